package dev.dolly.core.engine.postgresql;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Reading a plan to tell whether the removal of orphans finds its parents' keys in hashes: the plans are those
 * PostgreSQL 15 wrote for the 1 GB benchmark's {@code events}, whose two foreign keys' {@code NOT EXISTS} stand under
 * an {@code OR}, on tables without indexes, with 64 MB and with 4 MB of {@code work_mem}.
 */
class PostgresTransformDatabaseTest
{
    @Test
    void subqueriesLookedUpInHashes()
    {
        assertThat(PostgresTransformDatabase.everySubPlanHashed(List.of(
                " Delete on events c  (cost=0.00..50008931.38 rows=0 width=0)",
                "   ->  Seq Scan on events c  (cost=0.00..50008931.38 rows=2633343 width=6)",
                "         Filter: (((customer_id IS NOT NULL) AND (NOT (hashed SubPlan 2))) OR ((order_id IS NOT NULL) AND (NOT (hashed SubPlan 4))))",
                "         SubPlan 2",
                "           ->  Seq Scan on customers p  (cost=0.00..5993.82 rows=152082 width=8)",
                "         SubPlan 4",
                "           ->  Seq Scan on orders p_1  (cost=0.00..24273.97 rows=919697 width=8)"))).isTrue();
    }

    @Test
    void aSubqueryRunForEveryRow()
    {
        // orders' keys too many for 4 MB: a scan of orders for every row of events, which ran for minutes
        assertThat(PostgresTransformDatabase.everySubPlanHashed(List.of(
                " Delete on events c  (cost=0.00..185411633511.46 rows=0 width=0)",
                "   ->  Seq Scan on events c",
                "         Filter: (((customer_id IS NOT NULL) AND (NOT (hashed SubPlan 2))) OR ((order_id IS NOT NULL) AND (NOT (SubPlan 3))))",
                "         SubPlan 2",
                "           ->  Seq Scan on customers p",
                "         SubPlan 3",
                "           ->  Seq Scan on orders p_1"))).isFalse();
    }

    @Test
    void aPlanWithoutSubqueries()
    {
        // an anti-join: nothing is looked up row by row
        assertThat(PostgresTransformDatabase.everySubPlanHashed(List.of(
                " Delete on events c",
                "   ->  Hash Anti Join",
                "         Hash Cond: (c.customer_id = p.id)"))).isTrue();
    }
}
