package dev.dolly.core.catalog;

import dev.dolly.api.ImageBuildStep;

import static java.util.Objects.requireNonNull;

/** A step of an image's build as the catalog holds it ({@code image_build_steps}), without its position. */
public record ImageBuildStepRecord(long imageId, String step, long milliseconds)
{
    public ImageBuildStepRecord
    {
        requireNonNull(step, "step is null");
    }

    public ImageBuildStep toBuildStep()
    {
        return new ImageBuildStep(step, milliseconds);
    }
}
