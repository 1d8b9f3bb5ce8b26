package dev.dolly.cli.command;

import dev.dolly.api.DataContainer;
import dev.dolly.api.ResourceStatus;
import dev.dolly.api.client.DollyClient;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

import java.util.concurrent.Callable;

import static java.util.Objects.requireNonNull;

/** {@code dolly stop data-container NAME}: stops a container's server, keeping its data and its port. */
@Command(
        name = Aliases.DATA_CONTAINER,
        aliases = {"datacontainer", "dc"},
        description = {
                "Stop a data container's server cleanly (open connections are closed), freeing its memory and keeping its data.",
                "The daemon holds its port: the next connection starts the server again, as does 'dolly start data-container'."})
final class StopDataContainerCommand
        implements Callable<Integer>
{
    private final CommandContext context;

    @Mixin
    GlobalOptions global;

    @Mixin
    OutputOptions output;

    @Parameters(index = "0", paramLabel = "CONTAINER", description = "The container: its name or ID.")
    String reference;

    StopDataContainerCommand(CommandContext context)
    {
        this.context = requireNonNull(context, "context is null");
    }

    @Override
    public Integer call()
    {
        DollyClient client = new DaemonConnector(context).connect(global);
        boolean wasStopped = client.getContainer(reference).status() == ResourceStatus.STOPPED;
        DataContainer container = client.stopContainer(reference);
        String message = wasStopped
                ? "Data container '" + container.name() + "' is stopped already (" + container.statusDisplayName() + ")."
                : "Data container '" + container.name() + "' is stopped; the next connection to " + container.host() + ":" + container.port() + " starts it.";
        output.print(context, container, global.quiet, container.name(), message);
        return 0;
    }
}
