package dev.dolly.cli.command;

import dev.dolly.api.client.DollyClient;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

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

    @Spec
    CommandSpec spec;

    @Mixin
    GlobalOptions global;

    @Mixin
    OutputOptions output;

    @Parameters(arity = "0..1", paramLabel = "IMAGE", description = "The image to show: its name, name:tag or ID.")
    String reference;

    @Option(names = "--name", paramLabel = "NAME", description = "Only images of this name.")
    String name;

    @Option(names = "--tag", paramLabel = "TAG", description = "Only the image that holds this tag (one per name).")
    String tag;

    GetDataImagesCommand(CommandContext context)
    {
        this.context = requireNonNull(context, "context is null");
    }

    @Override
    public Integer call()
    {
        DollyClient client = new DaemonConnector(context).connect(global);
        if (reference == null) {
            ImageTable.output(context).printList(name == null && tag == null ? client.listImages() : client.listImages(name, tag), output, global.quiet);
        }
        else if (name != null || tag != null) {
            throw new ParameterException(spec.commandLine(), "Give an image, or filter with --name and --tag, not both.");
        }
        else {
            ImageTable.output(context).printOne(client.getImage(reference), output, global.quiet);
        }
        return 0;
    }
}
