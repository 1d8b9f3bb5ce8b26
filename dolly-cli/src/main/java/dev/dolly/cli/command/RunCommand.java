package dev.dolly.cli.command;

import picocli.CommandLine.Command;

/** {@code dolly run}: runs a schedule now. */
@Command(name = "run", description = "Run a scheduled image build now.", subcommands = RunScheduleCommand.class)
final class RunCommand {}
