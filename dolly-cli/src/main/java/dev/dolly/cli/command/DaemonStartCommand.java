package dev.dolly.cli.command;

import dev.dolly.api.DaemonAddress;
import dev.dolly.cli.daemon.LocalDaemon;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

import java.util.Optional;
import java.util.concurrent.Callable;

import static java.util.Objects.requireNonNull;

/** {@code dolly daemon start}: the daemon in the background, logging to {@code DOLLY_HOME/logs/daemon.log}. */
@Command(name = "start", description = "Start the daemon in the background, unless it runs already.")
final class DaemonStartCommand
        implements Callable<Integer>
{
    private final CommandContext context;

    @Mixin
    QuietOption quietOption;

    DaemonStartCommand(CommandContext context)
    {
        this.context = requireNonNull(context, "context is null");
    }

    @Override
    public Integer call()
    {
        LocalDaemon daemon = context.localDaemon();
        Optional<DaemonAddress> running = daemon.running();
        if (running.isPresent()) {
            print(running.get(), "The Dolly daemon for " + daemon.home() + " is already running at " + running.get().url()
                    + " (pid " + running.get().pid() + ").");
            return 0;
        }
        DaemonAddress address = daemon.start(() -> context.progress(quietOption.quiet, "Starting the Dolly daemon for " + daemon.home() + "..."));
        print(address, "The Dolly daemon is running at " + address.url() + " (pid " + address.pid() + "). Its log: " + daemon.logFile());
        return 0;
    }

    private void print(DaemonAddress address, String message)
    {
        context.stdout().println(quietOption.quiet ? address.url() : message);
    }
}
