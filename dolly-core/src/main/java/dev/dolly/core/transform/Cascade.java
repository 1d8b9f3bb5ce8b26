package dev.dolly.core.transform;

import dev.dolly.core.transform.TransformDatabase.ForeignKey;

import java.util.List;
import java.util.function.Predicate;

import static java.util.Objects.requireNonNull;

/**
 * Makes the remaining rows satisfy every foreign key again after rows were removed: a row whose non-null foreign key
 * points at a removed row is removed, or, when the key is nullable and its table does not say
 * {@code onRemovedParent: remove}, has the key set to NULL. Passes over all foreign keys repeat until one changes
 * nothing, so removal follows children of children to any depth and around cycles (a self-reference such as
 * {@code employee.reports_to}, or two tables referencing each other), whatever the order of the tables.
 */
public final class Cascade
{
    /** The set-based statements a cascade runs, one per foreign key. */
    public interface Orphans
    {
        /** Removes the rows whose foreign key points at no row; returns how many. */
        long removeOrphans(ForeignKey foreignKey);

        /** Sets to NULL the foreign keys that point at no row; returns how many rows changed. */
        long clearOrphans(ForeignKey foreignKey);

        /** How many rows have a non-null foreign key that points at no row. */
        long countOrphans(ForeignKey foreignKey);
    }

    private Cascade() {}

    /**
     * @param removesOrphans whether a child table's rows go when their nullable key points at a removed row
     * @return how many passes it took
     */
    public static int run(List<ForeignKey> foreignKeys, Predicate<ForeignKey> removesOrphans, Orphans orphans)
    {
        requireNonNull(foreignKeys, "foreignKeys is null");
        requireNonNull(removesOrphans, "removesOrphans is null");
        requireNonNull(orphans, "orphans is null");
        int passes = 0;
        boolean changed = true;
        while (changed) {
            changed = false;
            passes++;
            for (ForeignKey foreignKey : foreignKeys) {
                long rows = foreignKey.nullable() && !removesOrphans.test(foreignKey) ? orphans.clearOrphans(foreignKey) : orphans.removeOrphans(foreignKey);
                changed |= rows > 0;
            }
        }
        return passes;
    }
}
