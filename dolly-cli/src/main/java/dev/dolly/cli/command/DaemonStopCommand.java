package dev.dolly.cli.command;

import dev.dolly.api.DaemonAddress;
import dev.dolly.cli.daemon.LocalDaemon;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

import java.util.Optional;
import java.util.concurrent.Callable;

import static java.util.Objects.requireNonNull;

/** {@code dolly daemon stop}: stops the containers' engines cleanly, then the daemon. */
@Command(name = "stop", description = "Stop the daemon; its containers come back when it starts again.")
final class DaemonStopCommand
        implements Callable<Integer>
{
    private final CommandContext context;

    @Mixin
    QuietOption quietOption;

    DaemonStopCommand(CommandContext context)
    {
        this.context = requireNonNull(context, "context is null");
    }

    @Override
    public Integer call()
    {
        LocalDaemon daemon = context.localDaemon();
        Optional<DaemonAddress> stopped = daemon.stop(GlobalOptions.environmentAccessToken(context));
        if (stopped.isEmpty()) {
            print("No daemon is running for " + daemon.home() + ".");
            return 0;
        }
        print("The Dolly daemon for " + daemon.home() + " (pid " + stopped.get().pid() + ") stopped.");
        return 0;
    }

    private void print(String message)
    {
        if (!quietOption.quiet) {
            context.stdout().println(message);
        }
    }
}
