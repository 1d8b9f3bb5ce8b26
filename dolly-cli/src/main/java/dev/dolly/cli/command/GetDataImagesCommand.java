package dev.dolly.cli.command;

import dev.dolly.api.client.DollyClient;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

import java.util.concurrent.Callable;

import static java.util.Objects.requireNonNull;

/** {@code dolly get data-images}, or {@code dolly get data-image REF} for one. */
@Command(
        name = Aliases.DATA_IMAGE,
        aliases = {"data-images", "dataimage", "dataimages", "di"},
        description = "List the data images, or show one.")
final class GetDataImagesCommand
        implements Callable<Integer>
{
    private final CommandContext context;

    @Mixin
    GlobalOptions global;

    @Mixin
    OutputOptions output;

    @Parameters(arity = "0..1", paramLabel = "IMAGE", description = "The image to show: its name, name:tag or ID.")
    String reference;

    GetDataImagesCommand(CommandContext context)
    {
        this.context = requireNonNull(context, "context is null");
    }

    @Override
    public Integer call()
    {
        DollyClient client = new DaemonConnector(context).connect(global);
        if (reference == null) {
            ImageTable.output(context).printList(client.listImages(), output, global.quiet);
        }
        else {
            ImageTable.output(context).printOne(client.getImage(reference), output, global.quiet);
        }
        return 0;
    }
}
