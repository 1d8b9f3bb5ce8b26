package dev.dolly.cli.command;

import dev.dolly.api.CreateImageRequest;
import dev.dolly.api.DefinitionSources;
import dev.dolly.api.TransformReport;
import dev.dolly.api.DataImage;
import dev.dolly.api.DollyException;
import dev.dolly.api.ErrorCode;
import dev.dolly.api.ImageBuildStep;
import dev.dolly.api.ResourceStatus;
import dev.dolly.api.Upload;
import dev.dolly.api.client.DollyClient;
import dev.dolly.api.client.DollyClient.UploadFile;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
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

    /** Reads a definition file; relative paths in it start at its directory. */
    DefinitionFile read(Path file)
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
            return new DefinitionFile(Files.readString(absolute), absolute.getParent().toRealPath());
        }
        catch (IOException e) {
            throw DollyException.badInput("Cannot read the image definition " + file + ": " + e.getMessage());
        }
    }

    /**
     * An image definition read from its file.
     *
     * @param directory the file's directory, as a real path
     */
    record DefinitionFile(String text, Path directory) {}

    /**
     * The request for a definition: the local administrator names the definition's directory (the daemon reads the
     * files where they are, without a copy); everyone else uploads the files the definition names first.
     */
    CreateImageRequest request(DollyClient client, boolean localAdministrator, boolean quiet, DefinitionFile file, String name, List<String> tags,
            List<String> teams, String lifetime)
    {
        return request(client, localAdministrator, quiet, file, name, tags, teams, lifetime, Map.of());
    }

    /**
     * @param variables {@code --set name=value}, for the variables of the definition's {@code transform:}
     */
    CreateImageRequest request(DollyClient client, boolean localAdministrator, boolean quiet, DefinitionFile file, String name, List<String> tags,
            List<String> teams, String lifetime, Map<String, String> variables)
    {
        // the masking salt comes from this environment (transform.salt: env:NAME) and goes with the request only
        String salt = DefinitionSources.saltVariable(file.text(), file.directory()).map(variable -> context.environment().get(variable)).orElse(null);
        if (localAdministrator) {
            return new CreateImageRequest(file.text(), file.directory().toString(), name, tags, teams, lifetime, null, variables, salt);
        }
        List<UploadFile> files = SourceFiles.of(file.text(), file.directory());
        long total = 0;
        for (UploadFile upload : files) {
            total += size(upload.path());
        }
        context.progress(quiet, "Uploading " + files.size() + (files.size() == 1 ? " file" : " files") + " (" + Cells.bytes(total) + ") to "
                + client.server() + "...");
        UploadProgress progress = new UploadProgress(total, quiet);
        Upload upload = client.upload(files, progress::sent);
        return new CreateImageRequest(file.text(), null, name, tags, teams, lifetime, upload.id(), variables, salt);
    }

    /** What 'dolly create data-image' prints once the image is ready: spawnctl's line, then {@link #summary}. */
    static String created(DataImage image)
    {
        return "Data image '" + image.name() + "' created!\n" + summary(image);
    }

    /** What 'dolly create data-image --dry-run' prints once the dry run is over: that nothing was kept, then the transform's report. */
    static String dryRunReport(DataImage image)
    {
        String kept = "Dry run of data image '" + image.name() + "' (" + image.id() + ") is over: nothing was kept.";
        return image.transform() == null ? kept : kept + "\n" + transformSummary(image.transform());
    }

    /** The line after "Data image 'NAME' created!": {@code -> ID 7, postgresql 11.0 (runs 11.22.1), tags latest-production}. */
    static String summary(DataImage image)
    {
        StringBuilder summary = new StringBuilder("-> ID " + image.id());
        String engine = Cells.engine(image.engine(), image.requestedVersion(), image.engineVersion());
        if (!engine.isEmpty()) {
            summary.append(", ").append(engine);
        }
        if (image.tags() != null && !image.tags().isEmpty()) {
            summary.append(", tags ").append(Cells.list(image.tags()));
        }
        if (image.transform() != null) {
            summary.append('\n').append(transformSummary(image.transform()));
        }
        return summary.toString();
    }

    /** The transform's report for people: rows kept per table that changed, columns masked, the leak check. */
    static String transformSummary(TransformReport report)
    {
        StringBuilder summary = new StringBuilder("-> Transform (rules " + report.rulesDigest().substring(0, 12) + ", " + report.milliseconds() + " ms):");
        for (TransformReport.TableRows table : report.tables()) {
            if (table.rowsBefore() != table.rowsAfter()) {
                summary.append("\n   ").append(table.table()).append(": kept ").append(table.rowsAfter()).append(" of ").append(table.rowsBefore()).append(" rows");
            }
        }
        if (!report.maskedColumns().isEmpty()) {
            summary.append("\n   masked: ").append(String.join(", ", report.maskedColumns().stream().map(TransformReport.MaskedColumn::column).toList()));
        }
        if (!report.personalColumns().isEmpty()) {
            summary.append("\n   warning: these columns look personal and are left as they are: ").append(String.join(", ", report.personalColumns()));
        }
        summary.append("\n   leak check: ").append(report.leakCheck());
        if (report.leakCheck().equals("passed")) {
            summary.append(report.maskedColumns().isEmpty() ? " (nothing was masked)"
                    : " (no original value left in the masked columns, nor an original email address, phone or card number, or street address in any text column)");
        }
        return summary.toString();
    }

    private static long size(Path file)
    {
        try {
            return Files.size(file);
        }
        catch (IOException e) {
            throw DollyException.badInput("Cannot read " + file + ": " + e.getMessage());
        }
    }

    /** Prints how much is sent, every tenth of the total, for uploads big enough to take a while. */
    private final class UploadProgress
    {
        // below this, an upload takes well under a second on a local network: one line says it all
        private static final long SHOWN_FROM_BYTES = 32L * 1024 * 1024;

        private final long total;
        private final boolean quiet;
        private int shownTenths;

        UploadProgress(long total, boolean quiet)
        {
            this.total = total;
            this.quiet = quiet;
        }

        void sent(long bytes)
        {
            if (total < SHOWN_FROM_BYTES) {
                return;
            }
            int tenths = (int) Math.min(10, bytes * 10 / total);
            if (tenths > shownTenths) {
                shownTenths = tenths;
                context.progress(quiet, "  " + Cells.bytes(bytes) + " of " + Cells.bytes(total) + " sent (" + tenths * 10 + "%)");
            }
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
                    printBuildSteps(current, quiet);
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

    /**
     * How long each step of the build took, on stderr:
     * <pre>
     * Build steps:
     *   install        0.01 s
     *   load          11.20 s
     *   …
     *   total         14.05 s
     * </pre>
     */
    private void printBuildSteps(DataImage image, boolean quiet)
    {
        if (image.buildSteps().isEmpty()) {
            return;
        }
        int width = image.buildSteps().stream().mapToInt(step -> step.step().length()).max().orElse(0);
        width = Math.max(width, "total".length());
        long total = 0;
        context.progress(quiet, "Build steps:");
        for (ImageBuildStep step : image.buildSteps()) {
            context.progress(quiet, stepLine(step.step(), width, step.milliseconds()));
            total += step.milliseconds();
        }
        context.progress(quiet, stepLine("total", width, total));
    }

    private static String stepLine(String name, int width, long milliseconds)
    {
        return String.format(Locale.ROOT, "  %-" + width + "s %8.2f s", name, milliseconds / 1000.0);
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
