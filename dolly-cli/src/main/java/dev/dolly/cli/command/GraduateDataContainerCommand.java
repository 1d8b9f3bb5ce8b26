package dev.dolly.cli.command;

import dev.dolly.api.DataImage;
import dev.dolly.api.GraduateRequest;
import dev.dolly.api.client.DollyClient;
import dev.dolly.cli.output.Printer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

import static java.util.Objects.requireNonNull;

/** {@code dolly graduate data-container NAME}: makes a new image from a revision of the container. */
@Command(
        name = Aliases.DATA_CONTAINER,
        aliases = {"datacontainer", "dc"},
        description = {
                "Make a new data image, ready at once, from a revision of a data container, for teammates to create containers from.",
                "It shares storage with the container, and stays when the container or its revisions are deleted.",
                "Without --revision: the revision the container is on; changes not saved yet are not in the image (save first)."})
final class GraduateDataContainerCommand
        implements Callable<Integer>
{
    private final CommandContext context;

    @Mixin
    GlobalOptions global;

    @Mixin
    OutputOptions output;

    @Parameters(index = "0", paramLabel = "CONTAINER", description = "The container: its name or ID.")
    String reference;

    @Option(names = {"-r", "--revision"}, paramLabel = "REVISION", description = "The revision, such as rev.2. Default: the one the container is on.")
    String revision;

    @Option(names = {"-n", "--name"}, paramLabel = "NAME", description = "The image's name. Default: CONTAINER-graduate-N, N the revision's number.")
    String name;

    @Option(names = "--tag", paramLabel = "TAG", description = "A tag for the image; repeat for more.")
    List<String> tags = new ArrayList<>();

    @Option(names = "--team", paramLabel = "TEAM", description = "A team to share the image with, such as myorg:developers; repeat for more.")
    List<String> teams = new ArrayList<>();

    GraduateDataContainerCommand(CommandContext context)
    {
        this.context = requireNonNull(context, "context is null");
    }

    @Override
    public Integer call()
    {
        DollyClient client = new DaemonConnector(context).connect(global);
        DataImage image = client.graduate(reference, new GraduateRequest(revision, name, tags, teams));
        if (output.structured()) {
            new Printer(context.stdout()).print(image, output.format);
        }
        else if (global.quiet) {
            context.stdout().println(image.name());
        }
        else {
            // spawnctl's line, then where the image came from
            String origin = image.origin() == null ? "" : ", from data container '" + image.origin().container() + "' " + image.origin().revision();
            context.stdout().println("Data image '" + image.name() + "' created!");
            context.stdout().println("-> ID " + image.id() + origin);
        }
        return 0;
    }
}
