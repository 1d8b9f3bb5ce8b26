package dev.dolly.cli.command;

import picocli.CommandLine.Command;

import java.util.concurrent.Callable;

import static java.util.Objects.requireNonNull;

/** {@code dolly daemon}: without a subcommand, runs the daemon in the foreground like {@code dolly daemon run}. */
@Command(
        name = "daemon",
        description = {
                "Run the Dolly daemon of DOLLY_HOME in the foreground (Ctrl-C stops it), or manage it in the background.",
                "Other commands start it in the background when they need it.",
        },
        subcommands = {
                DaemonRunCommand.class,
                DaemonStartCommand.class,
                DaemonStopCommand.class,
                DaemonStatusCommand.class,
        })
final class DaemonCommand
        implements Callable<Integer>
{
    private final CommandContext context;

    DaemonCommand(CommandContext context)
    {
        this.context = requireNonNull(context, "context is null");
    }

    @Override
    public Integer call()
    {
        return context.localDaemon().runInForeground();
    }
}
