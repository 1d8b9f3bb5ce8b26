package dev.dolly.cli.command;

import dev.dolly.api.DataContainer;
import dev.dolly.api.ResourceStatus;
import dev.dolly.api.client.DollyClient;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

import java.util.concurrent.Callable;

import static java.util.Objects.requireNonNull;

/** {@code dolly start data-container NAME}: starts a stopped container's server on its port. */
@Command(
        name = Aliases.DATA_CONTAINER,
        aliases = {"datacontainer", "dc"},
        description = {
                "Start a stopped data container's server on its port, with the same password and data.",
                "A connection to a container stopped by 'dolly stop' or for being idle starts it too."})
final class StartDataContainerCommand
        implements Callable<Integer>
{
    private final CommandContext context;

    @Mixin
    GlobalOptions global;

    @Mixin
    OutputOptions output;

    @Parameters(index = "0", paramLabel = "CONTAINER", description = "The container: its name or ID.")
    String reference;

    StartDataContainerCommand(CommandContext context)
    {
        this.context = requireNonNull(context, "context is null");
    }

    @Override
    public Integer call()
    {
        DollyClient client = new DaemonConnector(context).connect(global);
        boolean wasRunning = client.getContainer(reference).status() == ResourceStatus.READY;
        DataContainer container = client.startContainer(reference);
        String message = wasRunning
                ? "Data container '" + container.name() + "' is running already."
                : "Data container '" + container.name() + "' is started on " + container.host() + ":" + container.port() + ".";
        output.print(context, container, global.quiet, container.name(), message);
        return 0;
    }
}
