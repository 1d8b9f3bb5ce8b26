package dev.dolly.cli.command;

import dev.dolly.api.CreateRouteRequest;
import dev.dolly.api.Route;
import dev.dolly.api.client.DollyClient;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.util.concurrent.Callable;

import static java.util.Objects.requireNonNull;

/** {@code dolly create route NAME --port 9160 --to CONTAINER} */
@Command(
        name = "route",
        aliases = "routes",
        description = "Create a route: the daemon listens on a port and relays it to a data container; 'dolly update route' points it elsewhere.")
final class CreateRouteCommand
        implements Callable<Integer>
{
    private final CommandContext context;

    @Mixin
    GlobalOptions global;

    @Mixin
    OutputOptions output;

    @Parameters(index = "0", paramLabel = "NAME", description = "The route's name.")
    String name;

    @Option(names = {"-p", "--port"}, required = true, paramLabel = "PORT", description = "The port to listen on (outside the containers' port range).")
    int port;

    @Option(names = "--to", required = true, paramLabel = "CONTAINER", description = "The data container to relay to: its name or ID.")
    String container;

    CreateRouteCommand(CommandContext context)
    {
        this.context = requireNonNull(context, "context is null");
    }

    @Override
    public Integer call()
    {
        DollyClient client = new DaemonConnector(context).connect(global);
        Route route = client.createRoute(new CreateRouteRequest(name, port, container));
        output.print(context, route, global.quiet, route.name(),
                "Route '" + route.name() + "' listens on " + route.host() + ":" + route.port() + " and relays to data container '" + route.container() + "'.");
        return 0;
    }
}
