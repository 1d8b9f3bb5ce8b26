package dev.dolly.api;

import static java.util.Objects.requireNonNull;

/**
 * One step of an image's build and how long it took.
 *
 * @param step the step's name, in the order of a build: install, volume, initialize, start, create-database,
 *         pre-script, load, post-script, seal, stop (the server's shutdown), flush, mark-ready
 */
public record ImageBuildStep(String step, long milliseconds)
{
    public ImageBuildStep
    {
        requireNonNull(step, "step is null");
    }
}
