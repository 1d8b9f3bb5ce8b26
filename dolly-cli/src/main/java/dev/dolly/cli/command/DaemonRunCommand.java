package dev.dolly.cli.command;

import picocli.CommandLine.Command;

import java.util.concurrent.Callable;

import static java.util.Objects.requireNonNull;

/** {@code dolly daemon run}: the daemon attached to this terminal, for services and containers. */
@Command(name = "run", description = "Run the daemon in the foreground until Ctrl-C or SIGTERM; its log goes to this terminal.")
final class DaemonRunCommand
        implements Callable<Integer>
{
    private final CommandContext context;

    DaemonRunCommand(CommandContext context)
    {
        this.context = requireNonNull(context, "context is null");
    }

    @Override
    public Integer call()
    {
        return context.localDaemon().runInForeground();
    }
}
