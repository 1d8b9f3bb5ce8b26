package dev.dolly.cli.command;

import picocli.CommandLine.Command;

/** {@code dolly update}: groups the kinds of resources that can be changed. */
@Command(
        name = "update",
        description = "Change a data image (tags, teams, name, lifetime) or a data container (name, lifetime).",
        subcommands = {
                UpdateDataImageCommand.class,
                UpdateDataContainerCommand.class,
        })
final class UpdateCommand {}
