package dev.dolly.cli.command;

import dev.dolly.api.DataContainer;
import dev.dolly.api.client.DollyClient;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

import java.util.concurrent.Callable;

import static java.util.Objects.requireNonNull;

/** {@code dolly reset data-container NAME}: brings the container back to the revision it is on. */
@Command(
        name = Aliases.DATA_CONTAINER,
        aliases = {"datacontainer", "dc"},
        description = {
                "Bring a data container back to the state of the revision it is on (rev.0: its image), dropping what changed since.",
                "The server restarts on the same port with the same password; open connections are closed."})
final class ResetDataContainerCommand
        implements Callable<Integer>
{
    private final CommandContext context;

    @Mixin
    GlobalOptions global;

    @Mixin
    OutputOptions output;

    @Parameters(index = "0", paramLabel = "CONTAINER", description = "The container: its name or ID.")
    String reference;

    ResetDataContainerCommand(CommandContext context)
    {
        this.context = requireNonNull(context, "context is null");
    }

    @Override
    public Integer call()
    {
        DollyClient client = new DaemonConnector(context).connect(global);
        DataContainer container = client.reset(reference);
        output.print(context, container, global.quiet, container.revision(), "Data container '" + container.name() + "' is reset to " + container.revision() + ".");
        return 0;
    }
}
