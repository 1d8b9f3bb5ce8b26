package dev.dolly.cli.command;

import dev.dolly.api.CreateImageRequest;
import dev.dolly.api.DataImage;
import dev.dolly.api.DollyException;
import dev.dolly.api.ErrorCode;
import dev.dolly.api.ResourceStatus;
import dev.dolly.api.client.DollyClient;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

import static java.util.Objects.requireNonNull;

/** Reads an image definition, asks the daemon to build it, and follows the build: shared by create and demo. */
final class ImageCreation
{
    private final CommandContext context;

    ImageCreation(CommandContext context)
    {
        this.context = requireNonNull(context, "context is null");
    }

    /** Reads the definition file; relative paths in it are resolved against its directory, by the daemon. */
    CreateImageRequest request(Path file, String name, List<String> tags, List<String> teams, String lifetime)
    {
        Path absolute = file.toAbsolutePath().normalize();
        if (!Files.exists(absolute)) {
            throw DollyException.badInput("Image definition file not found: " + file);
        }
        if (Files.isDirectory(absolute)) {
            throw DollyException.badInput("The image definition " + file + " is a directory: pass the YAML file in it, for example "
                    + file.resolve("image.yaml") + ".");
        }
        try {
            String definition = Files.readString(absolute);
            Path directory = absolute.getParent().toRealPath();
            return new CreateImageRequest(definition, directory.toString(), name, tags, teams, lifetime);
        }
        catch (IOException e) {
            throw DollyException.badInput("Cannot read the image definition " + file + ": " + e.getMessage());
        }
    }

    /** Polls the image until it is ready, printing its progress on stderr; a failed build throws with its reason. */
    DataImage awaitReady(DollyClient client, DataImage image, boolean quiet)
    {
        return awaitReady(client, image, quiet, Duration.ZERO);
    }

    /**
     * Like {@link #awaitReady(DollyClient, DataImage, boolean)}, but gives up after {@code timeout} (zero: never) with
     * {@link ErrorCode#TIMED_OUT}; the build goes on.
     */
    DataImage awaitReady(DollyClient client, DataImage image, boolean quiet, Duration timeout)
    {
        Instant deadline = timeout.isZero() ? null : context.now().plus(timeout);
        context.progress(quiet, "Creating data image '" + image.name() + "' (" + image.id() + ")...");
        String shownProgress = null;
        DataImage current = image;
        while (true) {
            if (current.progress() != null && !current.progress().isBlank() && !Objects.equals(current.progress(), shownProgress)) {
                shownProgress = current.progress();
                context.progress(quiet, "  " + shownProgress);
            }
            ResourceStatus status = current.status() == null ? ResourceStatus.PENDING : current.status();
            switch (status) {
                case READY -> {
                    return current;
                }
                case FAILED -> throw DollyException.failed("Data image '" + current.name() + "' failed: "
                        + Objects.requireNonNullElse(current.statusMessage(), "the daemon gave no reason; see its log."));
                case DELETING, STOPPED -> throw DollyException.failed("Data image '" + current.name() + "' is "
                        + status.displayName().toLowerCase(Locale.ROOT) + " and will not become ready.");
                case PENDING -> {
                    if (deadline != null && !context.now().isBefore(deadline)) {
                        throw new DollyException(ErrorCode.TIMED_OUT, "Data image '" + current.name() + "' (" + current.id() + ") is not ready after "
                                + timeoutText(timeout) + "; its build goes on. Follow it with 'dolly get data-image " + current.id() + "'.");
                    }
                    context.sleep(context.pollInterval());
                    current = client.getImage(String.valueOf(current.id()));
                }
            }
        }
    }

    private static String timeoutText(Duration timeout)
    {
        StringBuilder text = new StringBuilder();
        if (timeout.toDays() > 0) {
            text.append(timeout.toDays()).append('d');
        }
        if (timeout.toHoursPart() > 0) {
            text.append(timeout.toHoursPart()).append('h');
        }
        if (timeout.toMinutesPart() > 0) {
            text.append(timeout.toMinutesPart()).append('m');
        }
        if (timeout.toSecondsPart() > 0) {
            text.append(timeout.toSecondsPart()).append('s');
        }
        return text.toString();
    }
}
