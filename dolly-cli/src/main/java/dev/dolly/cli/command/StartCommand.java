package dev.dolly.cli.command;

import picocli.CommandLine.Command;

/** {@code dolly start}: starts a data container's server. */
@Command(
        name = "start",
        description = "Start a stopped data container's server.",
        subcommands = StartDataContainerCommand.class)
final class StartCommand {}
