package dev.dolly.cli.command;

import picocli.CommandLine.Command;

/** {@code dolly delete}: groups the kinds of resources that can be deleted. */
@Command(
        name = "delete",
        description = "Delete data images or data containers.",
        subcommands = {
                DeleteDataImagesCommand.class,
                DeleteDataContainersCommand.class,
        })
final class DeleteCommand {}
