package dev.dolly.cli.command;

import picocli.CommandLine.Command;

/** {@code dolly update}: groups the kinds of resources that can be changed. */
@Command(
        name = "update",
        description = "Change a team.",
        subcommands = {
                UpdateTeamCommand.class,
        })
final class UpdateCommand {}
