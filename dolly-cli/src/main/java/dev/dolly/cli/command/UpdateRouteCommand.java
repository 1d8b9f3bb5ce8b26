package dev.dolly.cli.command;

import dev.dolly.api.Route;
import dev.dolly.api.UpdateRouteRequest;
import dev.dolly.api.client.DollyClient;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.util.concurrent.Callable;

import static java.util.Objects.requireNonNull;

/** {@code dolly update route NAME --to OTHER [--drop-connections]} */
@Command(
        name = "route",
        aliases = "routes",
        description = "Point a route at another data container: connections made once this returns go there; open ones stay until they end.")
final class UpdateRouteCommand
        implements Callable<Integer>
{
    private final CommandContext context;

    @Mixin
    GlobalOptions global;

    @Mixin
    OutputOptions output;

    @Parameters(index = "0", paramLabel = "NAME", description = "The route: its name or ID.")
    String reference;

    @Option(names = "--to", required = true, paramLabel = "CONTAINER", description = "The data container to relay to: its name or ID.")
    String container;

    @Option(names = "--drop-connections", description = "Close the connections open through the route at once, instead of leaving them on the old container.")
    boolean dropConnections;

    UpdateRouteCommand(CommandContext context)
    {
        this.context = requireNonNull(context, "context is null");
    }

    @Override
    public Integer call()
    {
        DollyClient client = new DaemonConnector(context).connect(global);
        Route route = client.updateRoute(reference, new UpdateRouteRequest(container, dropConnections));
        output.print(context, route, global.quiet, route.name(), "Route '" + route.name() + "' (port " + route.port() + ") now relays to data container '"
                + route.container() + "'.");
        return 0;
    }
}
