package dev.dolly.cli.command;

import dev.dolly.api.Route;
import dev.dolly.api.client.DollyClient;
import dev.dolly.cli.output.TableWriter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

import java.util.List;
import java.util.concurrent.Callable;

import static java.util.Objects.requireNonNull;

/** {@code dolly get routes [NAME]} */
@Command(name = "routes", aliases = "route", description = "List your routes (administrators: all), or show one.")
final class GetRoutesCommand
        implements Callable<Integer>
{
    private final CommandContext context;

    @Mixin
    GlobalOptions global;

    @Mixin
    OutputOptions output;

    @Parameters(arity = "0..1", paramLabel = "NAME", description = "Show only this route.")
    String reference;

    GetRoutesCommand(CommandContext context)
    {
        this.context = requireNonNull(context, "context is null");
    }

    @Override
    public Integer call()
    {
        DollyClient client = new DaemonConnector(context).connect(global);
        List<Route> routes = reference == null ? client.listRoutes() : List.of(client.getRoute(reference));
        new ResourceOutput<>(context, Route::name, GetRoutesCommand::table).printList(routes, output, global.quiet);
        return 0;
    }

    private static TableWriter table(List<Route> routes)
    {
        TableWriter table = new TableWriter("NAME", "PORT", "TARGET", "CONNECTIONS", "STATUS");
        for (Route route : routes) {
            table.addRow(
                    route.name(),
                    String.valueOf(route.port()),
                    route.container() == null ? "(container deleted)" : route.container(),
                    String.valueOf(route.connections()),
                    route.listening() ? "Listening" : "Not listening: " + route.statusMessage());
        }
        return table;
    }
}
