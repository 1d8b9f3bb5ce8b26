package dev.dolly.cli.command;

import picocli.CommandLine.Option;

/** {@code -q} for the commands that manage the local daemon and take no server options. */
final class QuietOption
{
    @Option(names = {"-q", "--quiet"}, description = "Print less: only what scripts need.")
    boolean quiet;
}
