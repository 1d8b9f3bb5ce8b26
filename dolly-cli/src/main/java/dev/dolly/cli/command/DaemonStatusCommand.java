package dev.dolly.cli.command;

import dev.dolly.api.DaemonAddress;
import dev.dolly.cli.daemon.LocalDaemon;
import dev.dolly.cli.output.Printer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

import java.util.Optional;
import java.util.concurrent.Callable;

import static java.util.Objects.requireNonNull;

/** {@code dolly daemon status}: exit code 0 when the daemon runs, 1 when it does not. */
@Command(name = "status", description = "Tell whether the daemon runs: exit code 0 if it does, 1 if not.")
final class DaemonStatusCommand
        implements Callable<Integer>
{
    private final CommandContext context;

    @Mixin
    QuietOption quietOption;

    @Mixin
    OutputOptions output;

    DaemonStatusCommand(CommandContext context)
    {
        this.context = requireNonNull(context, "context is null");
    }

    @Override
    public Integer call()
    {
        LocalDaemon daemon = context.localDaemon();
        Optional<DaemonAddress> running = daemon.running();
        Status status = new Status(
                daemon.home().toString(),
                running.isPresent(),
                running.map(DaemonAddress::url).orElse(null),
                running.map(DaemonAddress::pid).orElse(null),
                running.map(DaemonAddress::version).orElse(null),
                daemon.logFile().toString());
        if (output.structured()) {
            new Printer(context.stdout()).print(status, output.format);
        }
        else if (!quietOption.quiet) {
            context.stdout().println(running
                    .map(address -> "The Dolly daemon for " + daemon.home() + " is running at " + address.url() + " (pid " + address.pid() + ").")
                    .orElse("The Dolly daemon for " + daemon.home() + " is not running. Start it with 'dolly daemon start'."));
        }
        return running.isPresent() ? 0 : 1;
    }

    /** What {@code dolly daemon status -o json} prints. */
    record Status(String home, boolean running, String url, Long pid, String version, String logFile) {}
}
