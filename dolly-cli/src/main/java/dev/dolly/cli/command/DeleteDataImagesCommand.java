package dev.dolly.cli.command;

import dev.dolly.api.DataImage;
import dev.dolly.api.client.DollyClient;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.util.List;
import java.util.concurrent.Callable;

import static java.util.Objects.requireNonNull;

/** {@code dolly delete data-image REF...} */
@Command(
        name = Aliases.DATA_IMAGE,
        aliases = {"data-images", "dataimage", "dataimages", "di"},
        description = "Delete data images. An image that containers still use is kept: delete them first.")
final class DeleteDataImagesCommand
        implements Callable<Integer>
{
    private final CommandContext context;

    @Mixin
    GlobalOptions global;

    @Parameters(arity = "1..*", paramLabel = "IMAGE", description = "The images to delete: names, name:tag or IDs.")
    List<String> references;

    @Option(names = "--ignore-not-found", description = "Succeed when an image does not exist (for scripts that clean up).")
    boolean ignoreNotFound;

    DeleteDataImagesCommand(CommandContext context)
    {
        this.context = requireNonNull(context, "context is null");
    }

    @Override
    public Integer call()
    {
        DollyClient client = new DaemonConnector(context).connect(global);
        return new Deletion(context, "Data image").deleteEach(references, reference -> {
            DataImage deleted = client.deleteImage(reference);
            return deleted == null ? null : deleted.name();
        }, global.quiet, ignoreNotFound);
    }
}
