package dev.dolly.cli.command;

import picocli.CommandLine.Command;

/** {@code dolly update}: groups the kinds of resources that can be changed. */
@Command(
        name = "update",
        description = "Change a data image (tags, teams, name, lifetime), a data container (name, lifetime, teams), a route (its container) or a team (members).",
        subcommands = {
                UpdateDataImageCommand.class,
                UpdateDataContainerCommand.class,
                UpdateRouteCommand.class,
                UpdateTeamCommand.class,
        })
final class UpdateCommand {}
