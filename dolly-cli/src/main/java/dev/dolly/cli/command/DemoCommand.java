package dev.dolly.cli.command;

import dev.dolly.api.DataContainer;
import dev.dolly.api.DataImage;
import dev.dolly.api.DollyException;
import dev.dolly.api.ErrorCode;
import dev.dolly.api.ResourceStatus;
import dev.dolly.api.client.DollyClient;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Callable;

import static java.util.Objects.requireNonNull;

/**
 * {@code dolly demo}: the example image shipped with Dolly (built once, then reused) and a fresh container from it,
 * with everything needed to connect and to clean up.
 */
@Command(name = "demo", description = "Create the example image chinook-demo (once) and a data container from it, and show how to connect.")
final class DemoCommand
        implements Callable<Integer>
{
    static final String IMAGE_NAME = "chinook-demo";
    static final Path DEFINITION = Path.of("examples", "chinook", "image.yaml");

    private final CommandContext context;

    @Mixin
    GlobalOptions global;

    DemoCommand(CommandContext context)
    {
        this.context = requireNonNull(context, "context is null");
    }

    @Override
    public Integer call()
    {
        Path definition = definition();
        ImageCreation imageCreation = new ImageCreation(context);
        DaemonConnector connector = new DaemonConnector(context);
        DollyClient client = connector.connect(global);

        PrintStream out = context.stdout();
        Optional<DataImage> existing = findImage(client);
        DataImage image;
        if (existing.isPresent() && existing.get().status() == ResourceStatus.READY) {
            image = existing.get();
            context.progress(global.quiet, "Using the data image '" + image.name() + "' (" + image.id() + ").");
        }
        else if (existing.isPresent() && existing.get().status() == ResourceStatus.PENDING) {
            image = imageCreation.awaitReady(client, existing.get(), global.quiet);
        }
        else {
            if (existing.isPresent()) {
                context.progress(global.quiet, "Deleting the data image '" + IMAGE_NAME + "', which is "
                        + existing.get().status().displayName().toLowerCase(Locale.ROOT) + ", to build it again.");
                client.deleteImage(String.valueOf(existing.get().id()));
            }
            DataImage created = client.createImage(imageCreation.request(client, connector.localAdministrator(), global.quiet, imageCreation.read(definition), IMAGE_NAME,
                    List.of(), List.of(), null));
            image = imageCreation.awaitReady(client, created, global.quiet);
            // the create command's lines, on standard error with the build's progress: standard output is the container's
            context.progress(global.quiet, ImageCreation.created(image));
        }

        DataContainer container = new ContainerCreation(context).create(client, image.name(), null, null);
        if (global.quiet) {
            out.println(container.name());
            return 0;
        }
        // what 'dolly create data-container' prints, then the JDBC URL and what to do next
        ContainerCreation.printCreated(out, container);
        out.println("JDBC URL:       " + container.jdbcUrl());
        out.println();
        out.println("Another container, with its own copy of the data:");
        out.println("  dolly create data-container " + image.name());
        out.println("Clean up when you are done:");
        out.println("  dolly delete data-container " + container.name());
        out.println("  dolly delete data-image " + image.name() + "   (once no container uses it)");
        return 0;
    }

    private Path definition()
    {
        Path installation = context.launcherSettings().installationDirectory().orElseThrow(() -> DollyException.failed(
                "The demo needs the examples shipped with Dolly, but their location is unknown. Run dolly through its launcher "
                        + "script, which sets the system property dolly.home.directory."));
        Path definition = installation.resolve(DEFINITION);
        if (!Files.isRegularFile(definition)) {
            throw DollyException.failed("The demo's image definition is missing: " + definition + ". Reinstall Dolly, or create an image "
                    + "from your own definition with 'dolly create data-image -f FILE'.");
        }
        return definition;
    }

    private static Optional<DataImage> findImage(DollyClient client)
    {
        try {
            return Optional.of(client.getImage(IMAGE_NAME));
        }
        catch (DollyException e) {
            if (e.errorCode() == ErrorCode.NOT_FOUND) {
                return Optional.empty();
            }
            throw e;
        }
    }
}
