package dev.dolly.cli.command;

import dev.dolly.api.DataImage;
import dev.dolly.api.UpdateImageRequest;
import dev.dolly.api.client.DollyClient;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

import static java.util.Objects.requireNonNull;

/** {@code dolly update data-image REF --tag T --remove-tag T --team T --remove-team T --name NEW --lifetime D --pool N} */
@Command(
        name = Aliases.DATA_IMAGE,
        aliases = {"dataimage", "di"},
        description = {
                "Change a data image's tags, teams, name, lifetime or warm pool.",
                "A tag moves to this image from the other image of its name that holds it (a build still running takes it when it is ready).",
                "A renamed image keeps only the tags no image of its new name holds; tags given with --tag take over."})
final class UpdateDataImageCommand
        implements Callable<Integer>
{
    private final CommandContext context;

    @Spec
    CommandSpec spec;

    @Mixin
    GlobalOptions global;

    @Mixin
    OutputOptions output;

    @Parameters(index = "0", paramLabel = "IMAGE", description = "The image: its name (the newest of that name), name:tag or ID.")
    String reference;

    @Option(names = "--tag", paramLabel = "TAG", description = "A tag to add; repeat for more.")
    List<String> tags = new ArrayList<>();

    @Option(names = "--remove-tag", paramLabel = "TAG", description = "A tag to remove; repeat for more.")
    List<String> removedTags = new ArrayList<>();

    @Option(names = "--team", paramLabel = "TEAM", description = "A team to share the image with, such as myorg:developers; repeat for more.")
    List<String> teams = new ArrayList<>();

    @Option(names = "--remove-team", paramLabel = "TEAM", description = "A team to stop sharing the image with; repeat for more.")
    List<String> removedTeams = new ArrayList<>();

    @Option(names = {"-n", "--name"}, paramLabel = "NAME", description = "A new name for the image.")
    String name;

    @Option(names = "--lifetime", paramLabel = "DURATION", description = "Delete the image this long from now: 90m, 48h, 10h30m, 7d; 0 for never.")
    String lifetime;

    @Option(names = "--pool", paramLabel = "N", description = "Keep N containers of the image started and idle, which 'create data-container' takes at once; 0 for none.")
    Integer pool;

    UpdateDataImageCommand(CommandContext context)
    {
        this.context = requireNonNull(context, "context is null");
    }

    @Override
    public Integer call()
    {
        if (tags.isEmpty() && removedTags.isEmpty() && teams.isEmpty() && removedTeams.isEmpty() && name == null && lifetime == null && pool == null) {
            throw new ParameterException(spec.commandLine(), "Nothing to change: give --tag, --remove-tag, --team, --remove-team, --name, --lifetime or --pool.");
        }
        DollyClient client = new DaemonConnector(context).connect(global);
        DataImage image = client.updateImage(reference, new UpdateImageRequest(tags, removedTags, teams, removedTeams, name, lifetime, pool));
        output.print(context, image, global.quiet, image.name(), "Data image '" + image.name() + "' (" + image.id() + ") updated.");
        return 0;
    }
}
