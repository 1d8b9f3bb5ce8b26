package dev.dolly.cli.command;

import picocli.CommandLine.Command;

/** {@code dolly storage}: where images and containers are kept. */
@Command(
        name = "storage",
        description = "Manage where Dolly keeps images and containers.",
        subcommands = {
                StorageInitCommand.class,
        })
final class StorageCommand {}
