package dev.dolly.cli.command;

import dev.dolly.api.DollyException;
import dev.dolly.api.ErrorCode;
import dev.dolly.api.relay.TcpRelay;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.concurrent.CountDownLatch;

import static java.util.Objects.requireNonNull;

/**
 * Runs the relay the daemon's routes use on this machine, in the foreground: it listens on a local port and relays
 * each connection to the host and port the daemon gave, until the process is interrupted (Ctrl-C).
 */
final class LocalProxy
{
    private final CommandContext context;

    LocalProxy(CommandContext context)
    {
        this.context = requireNonNull(context, "context is null");
    }

    /**
     * @param what what is behind the target, for the message ("data container 'x'")
     * @return never normally: the command ends when the process is interrupted
     */
    int run(String listenAddress, int port, String targetHost, int targetPort, String what, boolean quiet)
    {
        if (port < 1 || port > 65535) {
            throw DollyException.badInput("Port " + port + " is not a port: choose one from 1 to 65535 (--port).");
        }
        InetSocketAddress listen = new InetSocketAddress(listenAddress, port);
        InetSocketAddress target = InetSocketAddress.createUnresolved(targetHost, targetPort);
        TcpRelay relay;
        try {
            // resolved per connection: a name whose address changes is followed
            relay = TcpRelay.start("proxy", listen, () -> new InetSocketAddress(target.getHostString(), target.getPort()));
        }
        catch (IOException e) {
            throw new DollyException(ErrorCode.CONFLICT, "Cannot listen on " + listenAddress + ":" + port + " (" + e.getMessage()
                    + "): another program probably uses that port. Choose another one with --port.");
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Thread hook = Thread.ofPlatform().unstarted(() -> {
            relay.close();
            stopped.countDown();
        });
        Runtime.getRuntime().addShutdownHook(hook);
        if (!quiet) {
            context.stdout().println("Relaying " + listenAddress + ":" + relay.listenAddress().getPort() + " to " + what + " at " + targetHost + ":" + targetPort
                    + ". Press Ctrl-C to stop.");
            context.stdout().flush();
        }
        try {
            stopped.await();
        }
        catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            relay.close();
            Runtime.getRuntime().removeShutdownHook(hook);
        }
        return 0;
    }
}
