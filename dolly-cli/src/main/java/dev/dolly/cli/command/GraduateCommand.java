package dev.dolly.cli.command;

import picocli.CommandLine.Command;

/** {@code dolly graduate}: makes a new data image from a revision of a data container. */
@Command(
        name = "graduate",
        description = "Make a new data image from a revision of a data container.",
        subcommands = GraduateDataContainerCommand.class)
final class GraduateCommand {}
