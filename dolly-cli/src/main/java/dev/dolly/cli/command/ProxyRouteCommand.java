package dev.dolly.cli.command;

import dev.dolly.api.Route;
import dev.dolly.api.client.DollyClient;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.util.concurrent.Callable;

import static java.util.Objects.requireNonNull;

/** {@code dolly proxy route NAME --port 9160}: follows the route's switches, since it relays to the route's own port. */
@Command(
        name = "route",
        description = "Relay a local port to a route of the daemon (and so to whatever container it points at), in the foreground until Ctrl-C.")
final class ProxyRouteCommand
        implements Callable<Integer>
{
    private final CommandContext context;

    @Mixin
    GlobalOptions global;

    @Parameters(index = "0", paramLabel = "NAME", description = "The route: its name or ID.")
    String reference;

    @Option(names = {"-p", "--port"}, required = true, paramLabel = "PORT", description = "The local port to listen on.")
    int port;

    @Option(names = "--listen", paramLabel = "ADDRESS", defaultValue = "127.0.0.1", description = "The local address to listen on. Default: ${DEFAULT-VALUE}.")
    String listenAddress;

    ProxyRouteCommand(CommandContext context)
    {
        this.context = requireNonNull(context, "context is null");
    }

    @Override
    public Integer call()
    {
        DollyClient client = new DaemonConnector(context).connect(global);
        Route route = client.getRoute(reference);
        return new LocalProxy(context).run(listenAddress, port, route.host(), route.port(), "route '" + route.name() + "'", global.quiet);
    }
}
