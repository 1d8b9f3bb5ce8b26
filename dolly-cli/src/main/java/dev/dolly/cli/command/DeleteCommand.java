package dev.dolly.cli.command;

import picocli.CommandLine.Command;

/** {@code dolly delete}: groups the kinds of resources that can be deleted. */
@Command(
        name = "delete",
        description = "Delete data images, data containers, revisions, users or access tokens.",
        subcommands = {
                DeleteDataImagesCommand.class,
                DeleteDataContainersCommand.class,
                DeleteRevisionCommand.class,
                DeleteRoutesCommand.class,
                DeleteUserCommand.class,
                DeleteAccessTokenCommand.class,
                DeleteScheduleCommand.class,
        })
final class DeleteCommand {}
