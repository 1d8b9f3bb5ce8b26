package dev.dolly.cli.command;

import dev.dolly.api.Revision;
import dev.dolly.api.client.DollyClient;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

import java.util.concurrent.Callable;

import static java.util.Objects.requireNonNull;

/** {@code dolly save data-container NAME}: saves the container's state as a new revision. */
@Command(
        name = Aliases.DATA_CONTAINER,
        aliases = {"datacontainer", "dc"},
        description = {
                "Save the state of a data container as a new revision, rev.N: a clean point holding everything committed before it.",
                "The server restarts on the same port with the same password; open connections are closed."})
final class SaveDataContainerCommand
        implements Callable<Integer>
{
    private final CommandContext context;

    @Mixin
    GlobalOptions global;

    @Mixin
    OutputOptions output;

    @Parameters(index = "0", paramLabel = "CONTAINER", description = "The container: its name or ID.")
    String reference;

    SaveDataContainerCommand(CommandContext context)
    {
        this.context = requireNonNull(context, "context is null");
    }

    @Override
    public Integer call()
    {
        DollyClient client = new DaemonConnector(context).connect(global);
        Revision revision = client.saveRevision(reference);
        output.print(context, revision, global.quiet, revision.name(), "New revision is '" + revision.name() + "'");
        return 0;
    }
}
