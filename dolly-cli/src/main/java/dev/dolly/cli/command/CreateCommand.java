package dev.dolly.cli.command;

import picocli.CommandLine.Command;

/** {@code dolly create}: groups the kinds of resources that can be created. */
@Command(
        name = "create",
        description = "Create a data image, a data container, a route, a schedule, a user, a team or an access token.",
        subcommands = {
                CreateDataImageCommand.class,
                CreateDataContainerCommand.class,
                CreateRouteCommand.class,
                CreateUserCommand.class,
                CreateTeamCommand.class,
                CreateAccessTokenCommand.class,
                CreateScheduleCommand.class,
        })
final class CreateCommand {}
