package dev.dolly.cli.command;

import picocli.CommandLine.Command;

/** {@code dolly reset}: brings a data container back to the revision it is on. */
@Command(
        name = "reset",
        description = "Bring a data container back to the revision it is on.",
        subcommands = ResetDataContainerCommand.class)
final class ResetCommand {}
