package dev.dolly.cli.command;

import picocli.CommandLine.Command;

/** {@code dolly save}: saves the state of a data container as a new revision. */
@Command(
        name = "save",
        description = "Save the state of a data container as a new revision.",
        subcommands = SaveDataContainerCommand.class)
final class SaveCommand {}
