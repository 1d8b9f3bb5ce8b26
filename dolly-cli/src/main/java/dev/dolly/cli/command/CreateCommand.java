package dev.dolly.cli.command;

import picocli.CommandLine.Command;

/** {@code dolly create}: groups the kinds of resources that can be created. */
@Command(
        name = "create",
        description = "Create a data image or a data container.",
        subcommands = {
                CreateDataImageCommand.class,
                CreateDataContainerCommand.class,
        })
final class CreateCommand {}
