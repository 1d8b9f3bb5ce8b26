package dev.dolly.cli.command;

import picocli.CommandLine.Command;

/** {@code dolly load}: brings a data container to one of its revisions. */
@Command(
        name = "load",
        description = "Bring a data container to one of its revisions.",
        subcommands = LoadDataContainerCommand.class)
final class LoadCommand {}
