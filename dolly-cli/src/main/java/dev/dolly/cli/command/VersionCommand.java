package dev.dolly.cli.command;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

import java.util.concurrent.Callable;

import static java.util.Objects.requireNonNull;

/** {@code dolly version}, the same as {@code dolly --version}. */
@Command(name = "version", description = "Print the version of dolly.")
final class VersionCommand
        implements Callable<Integer>
{
    private final CommandContext context;

    @Mixin
    QuietOption quietOption;

    VersionCommand(CommandContext context)
    {
        this.context = requireNonNull(context, "context is null");
    }

    @Override
    public Integer call()
    {
        context.stdout().println(quietOption.quiet ? DollyVersion.version() : DollyVersion.line());
        return 0;
    }
}
