package dev.dolly.core.transform;

import dev.dolly.core.transform.TransformDatabase.ForeignKey;
import dev.dolly.core.transform.TransformDatabase.Table;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The cascade over an in-memory database of tables whose rows have an id and references. */
class CascadeTest
{
    @Test
    void removalFollowsChildrenThroughCyclesInAnyOrder()
    {
        // a and b reference each other (non-null keys); c references b; removing a1 removes b1, then a2 (which references b1), then c1
        FakeDatabase database = new FakeDatabase();
        database.row("a", 1, Map.of("b", 2));
        database.row("a", 2, Map.of("b", 1));
        database.row("b", 1, Map.of("a", 1));
        database.row("b", 2, Map.of("a", 2));
        database.row("b", 3, Map.of("a", 3));
        database.row("a", 3, Map.of("b", 3));
        database.row("c", 1, Map.of("b", 2));
        ForeignKey aToB = database.key("a", "b", false);
        ForeignKey bToA = database.key("b", "a", false);
        ForeignKey cToB = database.key("c", "b", false);
        database.remove("a", 1);
        int passes = Cascade.run(List.of(cToB, aToB, bToA), foreignKey -> false, database);
        assertThat(database.ids("a")).containsExactly(3);
        assertThat(database.ids("b")).containsExactly(3);
        assertThat(database.ids("c")).isEmpty();
        assertThat(passes).isGreaterThan(1);
        List.of(aToB, bToA, cToB).forEach(foreignKey -> assertThat(database.countOrphans(foreignKey)).isZero());
    }

    @Test
    void withoutCyclesEachForeignKeyRunsOnceParentsFirstWhateverTheOrderGiven()
    {
        // customers ← orders ← events, and events → customers: event 103 belongs to customer 2 but to order 11 of
        // customer 1, so it goes only if orders is done before events
        FakeDatabase database = new FakeDatabase();
        database.row("customers", 1, Map.of());
        database.row("customers", 2, Map.of());
        database.row("orders", 10, Map.of("customers", 2));
        database.row("orders", 11, Map.of("customers", 1));
        database.row("orders", 12, Map.of("customers", 2));
        database.row("events", 100, Map.of("customers", 1, "orders", 11));
        database.row("events", 101, Map.of("customers", 2, "orders", 10));
        database.row("events", 102, Map.of("customers", 2, "orders", 12));
        database.row("events", 103, Map.of("customers", 2, "orders", 11));
        ForeignKey eventsToOrders = database.key("events", "orders", false);
        ForeignKey eventsToCustomers = database.key("events", "customers", false);
        ForeignKey ordersToCustomers = database.key("orders", "customers", false);
        database.remove("customers", 1);
        database.remove("orders", 10);

        int statements = Cascade.run(List.of(eventsToOrders, eventsToCustomers, ordersToCustomers), foreignKey -> false, database);

        assertThat(database.ids("orders")).containsExactly(12);
        assertThat(database.ids("events")).containsExactly(102);
        // the events' two foreign keys in one statement
        assertThat(statements).isEqualTo(2);
        assertThat(database.removedTogether).containsExactly(List.of(eventsToOrders, eventsToCustomers));
        assertThat(Cascade.parentsFirst(List.of(eventsToOrders, eventsToCustomers, ordersToCustomers)))
                .containsExactly(List.of(ordersToCustomers), List.of(eventsToOrders, eventsToCustomers));
    }

    @Test
    void aNullableSelfReferenceIsClearedUnlessTheTableSaysRemove()
    {
        FakeDatabase database = new FakeDatabase();
        database.row("employee", 1, Map.of());
        database.row("employee", 2, Map.of("employee", 1));
        database.row("employee", 3, Map.of("employee", 2));
        ForeignKey reportsTo = database.key("employee", "employee", true);
        database.remove("employee", 1);
        Cascade.run(List.of(reportsTo), foreignKey -> false, database);
        assertThat(database.ids("employee")).containsExactly(2, 3);
        assertThat(database.reference("employee", 2, "employee")).isNull();
        assertThat(database.reference("employee", 3, "employee")).isEqualTo(2);

        FakeDatabase removing = new FakeDatabase();
        removing.row("employee", 1, Map.of());
        removing.row("employee", 2, Map.of("employee", 1));
        removing.row("employee", 3, Map.of("employee", 2));
        removing.row("employee", 4, Map.of());
        ForeignKey key = removing.key("employee", "employee", true);
        removing.remove("employee", 1);
        Cascade.run(List.of(key), foreignKey -> true, removing);
        assertThat(removing.ids("employee")).containsExactly(4);
    }

    /** Tables of rows: id → references by parent table name (null when cleared). */
    private static final class FakeDatabase
            implements Cascade.Orphans
    {
        private final Map<String, Map<Integer, Map<String, Integer>>> tables = new HashMap<>();
        /** The foreign keys each statement for several removed the orphans of. */
        private final List<List<ForeignKey>> removedTogether = new ArrayList<>();

        void row(String table, int id, Map<String, Integer> references)
        {
            tables.computeIfAbsent(table, name -> new java.util.TreeMap<>()).put(id, new HashMap<>(references));
        }

        void remove(String table, int id)
        {
            tables.get(table).remove(id);
        }

        ForeignKey key(String child, String parent, boolean nullable)
        {
            tables.computeIfAbsent(child, name -> new java.util.TreeMap<>());
            tables.computeIfAbsent(parent, name -> new java.util.TreeMap<>());
            return new ForeignKey(child + "_" + parent, new Table("public", child, child, List.of()), List.of(parent + "_id"),
                    new Table("public", parent, parent, List.of()), List.of("id"), nullable);
        }

        List<Integer> ids(String table)
        {
            return new ArrayList<>(tables.get(table).keySet());
        }

        Integer reference(String table, int id, String parent)
        {
            return tables.get(table).get(id).get(parent);
        }

        private List<Integer> orphans(ForeignKey foreignKey)
        {
            Map<Integer, Map<String, Integer>> children = tables.get(foreignKey.child().name());
            Map<Integer, Map<String, Integer>> parents = tables.get(foreignKey.parent().name());
            return children.entrySet().stream()
                    .filter(entry -> entry.getValue().get(foreignKey.parent().name()) != null && !parents.containsKey(entry.getValue().get(foreignKey.parent().name())))
                    .map(Map.Entry::getKey)
                    .toList();
        }

        @Override
        public long removeOrphans(ForeignKey foreignKey)
        {
            List<Integer> orphans = orphans(foreignKey);
            orphans.forEach(id -> tables.get(foreignKey.child().name()).remove(id));
            return orphans.size();
        }

        @Override
        public long removeOrphans(List<ForeignKey> foreignKeys)
        {
            if (foreignKeys.size() > 1) {
                removedTogether.add(foreignKeys);
            }
            // every orphan found before any is removed, as one statement does
            List<Integer> orphans = foreignKeys.stream().flatMap(foreignKey -> orphans(foreignKey).stream()).distinct().toList();
            orphans.forEach(id -> tables.get(foreignKeys.getFirst().child().name()).remove(id));
            return orphans.size();
        }

        @Override
        public long clearOrphans(ForeignKey foreignKey)
        {
            List<Integer> orphans = orphans(foreignKey);
            orphans.forEach(id -> tables.get(foreignKey.child().name()).get(id).put(foreignKey.parent().name(), null));
            return orphans.size();
        }

        @Override
        public long countOrphans(ForeignKey foreignKey)
        {
            return orphans(foreignKey).size();
        }
    }
}
