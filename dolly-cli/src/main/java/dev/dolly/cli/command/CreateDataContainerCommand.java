package dev.dolly.cli.command;

import dev.dolly.api.CreateContainerRequest;
import dev.dolly.api.DataContainer;
import dev.dolly.api.client.DollyClient;
import dev.dolly.cli.output.Printer;
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

/** {@code dolly create data-container -i IMAGE}: starts a database server with a copy of the image's data. */
@Command(
        name = Aliases.DATA_CONTAINER,
        aliases = {"data-containers", "datacontainer", "datacontainers", "dc"},
        description = "Create a data container: a running database server with a copy of an image's data.")
final class CreateDataContainerCommand
        implements Callable<Integer>
{
    private final CommandContext context;

    @Spec
    CommandSpec spec;

    @Mixin
    GlobalOptions global;

    @Mixin
    OutputOptions output;

    @Option(names = {"-i", "--image"}, paramLabel = "IMAGE[:TAG]", description = "The image: its name, name:tag or ID.")
    String imageOption;

    @Parameters(arity = "0..1", paramLabel = "IMAGE", description = "The image, instead of -i.")
    String imageParameter;

    @Option(names = {"-n", "--name"}, paramLabel = "NAME", description = "The container's name. Default: the image's name and a random suffix.")
    String name;

    @Option(names = "--lifetime", paramLabel = "DURATION", description = "Delete the container after this long: 90m, 48h, 7d; 0 for never.")
    String lifetime;

    @Option(names = "--team", paramLabel = "ORG:TEAM",
            description = "Share the container with a team (repeatable): its members see it and get its connection details; only you and administrators change it.")
    List<String> teams = new ArrayList<>();

    @Option(names = "--follow", description = "Follow the image's tag (-i NAME:TAG): when the tag moves to a new image, the container is recreated on it "
            + "with the same name, port, user and password; its revisions are dropped.")
    boolean follow;

    @Option(names = "--refresh-at", paramLabel = "HH:MM|now", description = "With --follow: when the container moves to the tag's new image, HH:MM in the "
            + "daemon's time zone (default 06:00), or now: as soon as the tag moves.")
    String refreshAt;

    @Option(names = "--idle-stop", paramLabel = "DURATION", description = "Stop its server after this long with no client connection (30m, 45s; at least 1s); "
            + "the next connection starts it again. off: never. Default: the daemon's (off unless configured).")
    String idleStop;

    CreateDataContainerCommand(CommandContext context)
    {
        this.context = requireNonNull(context, "context is null");
    }

    @Override
    public Integer call()
    {
        String image = image();
        if (refreshAt != null && !follow) {
            throw new ParameterException(spec.commandLine(), "--refresh-at is for a container that follows a tag: add --follow.");
        }
        DollyClient client = new DaemonConnector(context).connect(global);
        DataContainer container = new ContainerCreation(context).create(client, new CreateContainerRequest(image, name, lifetime, teams, follow, refreshAt, idleStop));
        if (output.structured()) {
            new Printer(context.stdout()).print(container, output.format);
        }
        else if (global.quiet) {
            context.stdout().println(container.name());
        }
        else {
            // spawnctl's two lines, word for word, then more
            ContainerCreation.printCreated(context.stdout(), container);
        }
        return 0;
    }

    private String image()
    {
        if (imageOption != null && imageParameter != null && !imageOption.equals(imageParameter)) {
            throw new ParameterException(spec.commandLine(), "Two images given: '" + imageOption + "' with -i and '" + imageParameter + "'. Give one.");
        }
        if (imageOption == null && imageParameter == null) {
            throw new ParameterException(spec.commandLine(), "Which image? Pass -i IMAGE[:TAG], for example 'dolly create data-container -i chinook'.");
        }
        return imageOption != null ? imageOption : imageParameter;
    }
}
