package dev.dolly.cli.command;

import picocli.CommandLine.Command;

/** {@code dolly stop}: stops a data container's server. */
@Command(
        name = "stop",
        description = "Stop a data container's server, keeping its data; the next connection starts it again.",
        subcommands = StopDataContainerCommand.class)
final class StopCommand {}
