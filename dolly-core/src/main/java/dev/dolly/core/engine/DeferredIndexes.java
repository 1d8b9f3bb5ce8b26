package dev.dolly.core.engine;

/**
 * The indexes and constraints of a backup restored without them ({@link Engine#restoreWithoutIndexes}), for a
 * transform to run on bare tables: it removes and rewrites most rows, which costs less without index entries to keep
 * up, and they are then built once, on the rows that remain, which also checks those rows against every constraint.
 */
public interface DeferredIndexes
{
    /**
     * A database on the same server holding the backup's whole schema, indexes and constraints included, and no rows:
     * where the transform reads the foreign keys and unique columns the restored database does not have yet.
     */
    String schemaDatabase();

    /**
     * Adds the indexes and constraints to the restored database, then drops {@link #schemaDatabase}.
     *
     * @throws dev.dolly.api.DollyException with {@code LOAD_FAILED} when the rows do not satisfy a constraint
     */
    void restore(ProgressListener progress);
}
