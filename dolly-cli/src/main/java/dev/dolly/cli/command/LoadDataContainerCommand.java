package dev.dolly.cli.command;

import dev.dolly.api.DataContainer;
import dev.dolly.api.client.DollyClient;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.util.concurrent.Callable;

import static java.util.Objects.requireNonNull;

/** {@code dolly load data-container NAME -r rev.N}: brings the container to a revision. */
@Command(
        name = Aliases.DATA_CONTAINER,
        aliases = {"datacontainer", "dc"},
        description = {
                "Bring a data container to one of its revisions (rev.0: its image). Changes that were not saved are gone.",
                "The server restarts on the same port with the same password; open connections are closed."})
final class LoadDataContainerCommand
        implements Callable<Integer>
{
    private final CommandContext context;

    @Mixin
    GlobalOptions global;

    @Mixin
    OutputOptions output;

    @Parameters(index = "0", paramLabel = "CONTAINER", description = "The container: its name or ID.")
    String reference;

    @Option(names = {"-r", "--revision"}, required = true, paramLabel = "REVISION", description = "The revision to load, such as rev.0 or rev.2.")
    String revision;

    LoadDataContainerCommand(CommandContext context)
    {
        this.context = requireNonNull(context, "context is null");
    }

    @Override
    public Integer call()
    {
        DollyClient client = new DaemonConnector(context).connect(global);
        DataContainer container = client.loadRevision(reference, revision);
        output.print(context, container, global.quiet, container.revision(), "Data container '" + container.name() + "' is on " + container.revision() + " now.");
        return 0;
    }
}
