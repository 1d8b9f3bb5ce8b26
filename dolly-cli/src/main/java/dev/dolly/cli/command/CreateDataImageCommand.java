package dev.dolly.cli.command;

import dev.dolly.api.CreateImageRequest;
import dev.dolly.api.DataImage;
import dev.dolly.api.Durations;
import dev.dolly.api.client.DollyClient;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

import static java.util.Objects.requireNonNull;

/**
 * {@code dolly create data-image -f image.yaml}: builds an image and, unless {@code --no-wait}, waits until it is ready.
 * With {@code --dry-run}, the build goes up to the transform and keeps nothing; the command waits and prints the
 * transform's report.
 */
@Command(
        name = Aliases.DATA_IMAGE,
        aliases = {"data-images", "dataimage", "dataimages", "di"},
        description = "Create a data image from an image definition (Spawn's YAML format).")
final class CreateDataImageCommand
        implements Callable<Integer>
{
    private final CommandContext context;

    @Spec
    CommandSpec spec;

    @Mixin
    GlobalOptions global;

    @Mixin
    OutputOptions output;

    @Option(names = {"-f", "--file"}, required = true, paramLabel = "FILE",
            description = "The image definition. Paths in it are relative to its directory.")
    Path file;

    @Option(names = {"-n", "--name"}, paramLabel = "NAME", description = "The image's name, instead of the definition's.")
    String name;

    @Option(names = "--tag", paramLabel = "TAG", description = "A tag to add to the definition's; it moves to this image once the image is ready. Repeat for more.")
    List<String> tags = new ArrayList<>();

    @Option(names = "--team", paramLabel = "TEAM", description = "A team to share the image with; repeat for more.")
    List<String> teams = new ArrayList<>();

    @Option(names = "--lifetime", paramLabel = "DURATION", description = "Delete the image after this long: 90m, 48h, 7d; 0 for never.")
    String lifetime;

    @Option(names = "--pool", paramLabel = "N", description = "Once the image is ready, keep N containers of it started and idle, which 'create data-container' takes at once.")
    Integer pool;

    @Option(names = "--set", paramLabel = "NAME=VALUE", description = "A value for a variable of the definition's transform (transform.variables); repeat for more.")
    Map<String, String> variables = new LinkedHashMap<>();

    @Option(names = "--dry-run", description = "Restore and transform, print the transform's report (rows kept per table, columns masked, columns that "
            + "look personal) and keep nothing: no image is left.")
    boolean dryRun;

    @Option(names = "--wait", description = "Wait until the image is ready (the default), printing progress on stderr.")
    boolean wait;

    @Option(names = "--no-wait", description = "Return as soon as the build has started.")
    boolean noWait;

    @Option(names = "--timeout", paramLabel = "DURATION",
            description = "Stop waiting after this long (90m, 2h, 45s) and exit with code 4; the build goes on. Default: no limit.")
    String timeout;

    CreateDataImageCommand(CommandContext context)
    {
        this.context = requireNonNull(context, "context is null");
    }

    @Override
    public Integer call()
    {
        if (wait && noWait) {
            throw new ParameterException(spec.commandLine(), "Give --wait or --no-wait, not both.");
        }
        if (noWait && timeout != null) {
            throw new ParameterException(spec.commandLine(), "--timeout limits the wait: it makes no sense with --no-wait.");
        }
        if (dryRun && noWait) {
            throw new ParameterException(spec.commandLine(), "--dry-run waits for the transform's report: it makes no sense with --no-wait.");
        }
        if (dryRun && pool != null) {
            throw new ParameterException(spec.commandLine(), "--dry-run keeps no image, so it has no pool: leave out --pool.");
        }
        Duration limit = timeout == null ? Duration.ZERO : Durations.parse(timeout, "--timeout");
        ImageCreation creation = new ImageCreation(context);
        ImageCreation.DefinitionFile definition = creation.read(file);
        DaemonConnector connector = new DaemonConnector(context);
        DollyClient client = connector.connect(global);
        CreateImageRequest request = creation.request(client, connector.localAdministrator(), global.quiet || output.structured(), definition,
                name, tags, teams, lifetime, variables);
        if (pool != null || dryRun) {
            request = request.with(pool, dryRun);
        }
        DataImage image = client.createImage(request);
        if (noWait) {
            print(image, "Data image '" + image.name() + "' (" + image.id() + ") is being created. "
                    + "Follow it with 'dolly get data-image " + image.name() + "'.");
            return 0;
        }
        image = creation.awaitReady(client, image, global.quiet || output.structured(), limit);
        if (dryRun) {
            // the report is what a dry run is for: printed even with --quiet
            String report = ImageCreation.dryRunReport(image);
            output.print(context, image, global.quiet, report, report);
            return 0;
        }
        // spawnctl's line, then what else there is to know
        print(image, ImageCreation.created(image));
        return 0;
    }

    private void print(DataImage image, String message)
    {
        output.print(context, image, global.quiet, image.name(), message);
    }
}
