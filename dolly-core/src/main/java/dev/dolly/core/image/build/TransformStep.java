package dev.dolly.core.image.build;

import dev.dolly.api.TransformReport;
import dev.dolly.core.transform.ImageTransform;
import dev.dolly.core.transform.TransformDatabase;
import dev.dolly.core.transform.TransformDefinition;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Optional;
import java.util.function.Consumer;

import static java.util.Objects.requireNonNull;

/**
 * The definition's {@code transform:}: keeps the subset, masks, checks for leaks, in the database the data ended up in,
 * after the post-script and before the seal (and before the backup's indexes and constraints, when the load left them out). The report goes to {@code report} (the image's catalog entry); the salt
 * lives only in this step, for the build.
 */
public final class TransformStep
        implements BuildStep
{
    private static final Logger LOG = LoggerFactory.getLogger(TransformStep.class);

    private final TransformDefinition definition;
    private final Optional<byte[]> salt;
    private final Consumer<TransformReport> report;

    public TransformStep(TransformDefinition definition, Optional<byte[]> salt, Consumer<TransformReport> report)
    {
        this.definition = requireNonNull(definition, "definition is null");
        this.salt = requireNonNull(salt, "salt is null");
        this.report = requireNonNull(report, "report is null");
    }

    @Override
    public String name()
    {
        return "transform";
    }

    @Override
    public void run(BuildContext context)
    {
        context.progress("Transforming the data");
        PartTimes parts = new PartTimes(context);
        try (TransformDatabase database = context.engine().openTransform(context.superuser().withDatabase(context.dataDatabase()), context.deferredIndexes())) {
            report.accept(new ImageTransform(definition, salt, parts::begin).run(database));
        }
        finally {
            parts.end();
        }
    }

    /** Shows each part of the transform as the build's progress, and logs how long it took when the next begins. */
    private static final class PartTimes
    {
        private final BuildContext context;
        private String part;
        private long startNanos;

        PartTimes(BuildContext context)
        {
            this.context = context;
        }

        void begin(String next)
        {
            end();
            part = next;
            startNanos = System.nanoTime();
            context.progress(next);
        }

        void end()
        {
            if (part != null) {
                // a part names tables and columns of the restored data, which may hold line breaks: not into the log as they are
                LOG.info("Image {} ({}): transform: {}: {} ms", context.image().name(), context.imageId(), part.replaceAll("\\p{Cntrl}", "?"),
                        (System.nanoTime() - startNanos) / 1_000_000);
                part = null;
            }
        }
    }
}
