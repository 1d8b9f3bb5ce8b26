package dev.dolly.core.engine;

import java.util.Optional;

import static java.util.Objects.requireNonNull;

/**
 * What {@link Engine#restoreWithoutIndexes} did.
 *
 * @param database the database the backup ended in, as {@link Engine#restore} returns it
 * @param deferredIndexes the indexes and constraints left for later, when the engine left them out
 */
public record RestoredBackup(String database, Optional<DeferredIndexes> deferredIndexes)
{
    public RestoredBackup
    {
        requireNonNull(database, "database is null");
        requireNonNull(deferredIndexes, "deferredIndexes is null");
    }
}
