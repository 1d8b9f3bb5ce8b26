package dev.dolly.cli.command;

import picocli.CommandLine;

/** Answers {@code dolly --version}. */
final class VersionProvider
        implements CommandLine.IVersionProvider
{
    @Override
    public String[] getVersion()
    {
        return new String[] {DollyVersion.line()};
    }
}
