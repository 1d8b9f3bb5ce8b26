package dev.dolly.core.image.build;

import dev.dolly.core.engine.DeferredIndexes;

import java.util.Optional;

/**
 * Adds the indexes and constraints the load left out for the transform ({@link DeferredIndexes}), once the rows are
 * final: built on the rows that remain, and checking them against every constraint, before the seal.
 */
final class IndexesStep
        implements BuildStep
{
    @Override
    public String name()
    {
        return "indexes";
    }

    @Override
    public boolean isNeeded(BuildContext context)
    {
        return context.deferredIndexes().isPresent();
    }

    @Override
    public void run(BuildContext context)
    {
        context.deferredIndexes().orElseThrow().restore(context::progress);
        context.setDeferredIndexes(Optional.empty());
    }
}
