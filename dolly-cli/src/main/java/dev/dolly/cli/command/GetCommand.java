package dev.dolly.cli.command;

import picocli.CommandLine.Command;

/** {@code dolly get}: groups the kinds of resources that can be listed and shown. */
@Command(
        name = "get",
        description = "List or show data images, data containers, revisions, users, teams and access tokens.",
        subcommands = {
                GetDataImagesCommand.class,
                GetDataContainersCommand.class,
                GetRevisionsCommand.class,
                GetRoutesCommand.class,
                GetUsersCommand.class,
                GetTeamsCommand.class,
                GetAccessTokensCommand.class,
                GetSchedulesCommand.class,
        })
final class GetCommand {}
