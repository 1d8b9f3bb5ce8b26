package dev.dolly.cli.command;

import dev.dolly.api.client.DollyClient;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

import java.util.concurrent.Callable;

import static java.util.Objects.requireNonNull;

/** {@code dolly get revisions NAME}: the revisions of a container, as a tree of parents. */
@Command(
        name = "revisions",
        aliases = {"revision", "rev", "revs"},
        description = "List the revisions of a data container: each with the revision it was saved from; '*' marks the one it is on.")
final class GetRevisionsCommand
        implements Callable<Integer>
{
    private final CommandContext context;

    @Mixin
    GlobalOptions global;

    @Mixin
    OutputOptions output;

    @Parameters(index = "0", paramLabel = "CONTAINER", description = "The container: its name or ID.")
    String reference;

    GetRevisionsCommand(CommandContext context)
    {
        this.context = requireNonNull(context, "context is null");
    }

    @Override
    public Integer call()
    {
        DollyClient client = new DaemonConnector(context).connect(global);
        RevisionTable.output(context).printList(client.listRevisions(reference), output, global.quiet);
        return 0;
    }
}
