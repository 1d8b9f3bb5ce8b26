package dev.dolly.core.image.build;

import java.util.Optional;
import java.util.OptionalLong;

/**
 * Seals the volume (read-only from now on), measures it, frees the definition's files, and marks the image READY: it
 * takes its tags then.
 */
final class MarkReadyStep
        implements BuildStep
{
    @Override
    public String name()
    {
        return "mark-ready";
    }

    @Override
    public void run(BuildContext context)
    {
        context.storage().seal(context.volume());
        OptionalLong size = context.storage().sizeBytes(context.volume());
        context.releaseSources();
        // this step's time goes in with READY, so that whoever sees the image ready sees all its steps
        context.catalog().markReady(context.imageId(), context.dataDatabase(), size.isPresent() ? size.getAsLong() : null, context.clock().instant(),
                Optional.of(context.endStepHere()));
    }
}
