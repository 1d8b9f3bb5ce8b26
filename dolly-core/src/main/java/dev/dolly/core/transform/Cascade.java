package dev.dolly.core.transform;

import dev.dolly.core.transform.TransformDatabase.ForeignKey;
import dev.dolly.core.transform.TransformDatabase.Table;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;

import static java.util.Objects.requireNonNull;

/**
 * Makes the remaining rows satisfy every foreign key again after rows were removed: a row whose non-null foreign key
 * points at a removed row is removed, or, when the key is nullable and its table does not say
 * {@code onRemovedParent: remove}, has the key set to NULL. Removal follows children of children to any depth and
 * around cycles (a self-reference such as {@code employee.reports_to}, or two tables referencing each other), whatever
 * the order of the tables.
 *
 * <p>The tables are taken parents first: once every table a table references is done, one statement for the foreign
 * keys whose orphans go and one per foreign key whose orphans are cleared are enough, as nothing it references loses a
 * row afterwards. Tables that reference each other, directly or through others (a cycle), are taken together, their
 * foreign keys over and over until a pass changes nothing.
 */
public final class Cascade
{
    /** The set-based statements a cascade runs, one per foreign key. */
    public interface Orphans
    {
        /** Removes the rows whose foreign key points at no row; returns how many. */
        long removeOrphans(ForeignKey foreignKey);

        /**
         * Removes the rows of a table any of whose foreign keys (all of the same table) points at no row; returns how
         * many. By default a statement per foreign key; an engine may read the table once for all of them.
         */
        default long removeOrphans(List<ForeignKey> foreignKeys)
        {
            long removed = 0;
            for (ForeignKey foreignKey : foreignKeys) {
                removed += removeOrphans(foreignKey);
            }
            return removed;
        }

        /** Sets to NULL the foreign keys that point at no row; returns how many rows changed. */
        long clearOrphans(ForeignKey foreignKey);

        /** How many rows have a non-null foreign key that points at no row. */
        long countOrphans(ForeignKey foreignKey);
    }

    private Cascade() {}

    /**
     * @param removesOrphans whether a child table's rows go when their nullable key points at a removed row
     * @return how many statements it ran
     */
    public static int run(List<ForeignKey> foreignKeys, Predicate<ForeignKey> removesOrphans, Orphans orphans)
    {
        requireNonNull(foreignKeys, "foreignKeys is null");
        requireNonNull(removesOrphans, "removesOrphans is null");
        requireNonNull(orphans, "orphans is null");
        int statements = 0;
        for (List<ForeignKey> group : parentsFirst(foreignKeys)) {
            boolean cycle = group.stream().anyMatch(foreignKey -> !group.getFirst().child().equals(foreignKey.child()) || foreignKey.child().equals(foreignKey.parent()));
            if (!cycle) {
                // one table whose parents are all done: its orphans go in one statement, then the keys to clear
                List<ForeignKey> removing = group.stream().filter(foreignKey -> !clears(foreignKey, removesOrphans)).toList();
                if (!removing.isEmpty()) {
                    orphans.removeOrphans(removing);
                    statements++;
                }
                for (ForeignKey foreignKey : group) {
                    if (clears(foreignKey, removesOrphans)) {
                        orphans.clearOrphans(foreignKey);
                        statements++;
                    }
                }
                continue;
            }
            boolean changed = true;
            while (changed) {
                changed = false;
                for (ForeignKey foreignKey : group) {
                    long rows = clears(foreignKey, removesOrphans) ? orphans.clearOrphans(foreignKey) : orphans.removeOrphans(foreignKey);
                    statements++;
                    changed |= rows > 0;
                }
            }
        }
        return statements;
    }

    /** Whether the orphans of a foreign key have it set to NULL rather than go. */
    private static boolean clears(ForeignKey foreignKey, Predicate<ForeignKey> removesOrphans)
    {
        return foreignKey.nullable() && !removesOrphans.test(foreignKey);
    }

    /**
     * The foreign keys grouped by the child tables that reference each other (a table alone when it is in no cycle), the
     * groups ordered so that a group comes after every table its tables reference: Tarjan's strongly connected
     * components of the graph from child to parent, which it completes parents first.
     */
    static List<List<ForeignKey>> parentsFirst(List<ForeignKey> foreignKeys)
    {
        Map<Table, List<ForeignKey>> byChild = new LinkedHashMap<>();
        foreignKeys.forEach(foreignKey -> byChild.computeIfAbsent(foreignKey.child(), table -> new ArrayList<>()).add(foreignKey));
        Components components = new Components(byChild);
        byChild.keySet().forEach(table -> {
            if (!components.index.containsKey(table)) {
                components.visit(table);
            }
        });
        return components.groups;
    }

    /** Tarjan's algorithm over the child tables (recursive: a schema's chains of references are short). */
    private static final class Components
    {
        private final Map<Table, List<ForeignKey>> byChild;
        private final Map<Table, Integer> index = new HashMap<>();
        private final Map<Table, Integer> lowest = new HashMap<>();
        private final Deque<Table> stack = new ArrayDeque<>();
        private final Set<Table> onStack = new HashSet<>();
        private final List<List<ForeignKey>> groups = new ArrayList<>();

        Components(Map<Table, List<ForeignKey>> byChild)
        {
            this.byChild = byChild;
        }

        void visit(Table table)
        {
            index.put(table, index.size());
            lowest.put(table, index.get(table));
            stack.push(table);
            onStack.add(table);
            for (ForeignKey foreignKey : byChild.getOrDefault(table, List.of())) {
                Table parent = foreignKey.parent();
                if (!index.containsKey(parent)) {
                    visit(parent);
                    lowest.put(table, Math.min(lowest.get(table), lowest.get(parent)));
                }
                else if (onStack.contains(parent)) {
                    lowest.put(table, Math.min(lowest.get(table), index.get(parent)));
                }
            }
            if (lowest.get(table).equals(index.get(table))) {
                List<ForeignKey> group = new ArrayList<>();
                Table member;
                do {
                    member = stack.pop();
                    onStack.remove(member);
                    group.addAll(byChild.getOrDefault(member, List.of()));
                }
                while (!member.equals(table));
                if (!group.isEmpty()) {
                    groups.add(group);
                }
            }
        }
    }
}
