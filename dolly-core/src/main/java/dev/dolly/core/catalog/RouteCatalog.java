package dev.dolly.core.catalog;

import org.jdbi.v3.core.Jdbi;

import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

import static java.util.Objects.requireNonNull;

/** Routes: their names and ports are unique; a route's container may be deleted under it ({@code ON DELETE SET NULL}). */
public final class RouteCatalog
{
    private final Jdbi jdbi;

    RouteCatalog(Jdbi jdbi)
    {
        this.jdbi = requireNonNull(jdbi, "jdbi is null");
    }

    /**
     * Records a route unless its name or port is taken, in one statement.
     *
     * @return its ID; empty when a route has the name or the port already
     */
    public OptionalLong insert(RouteRecord route)
    {
        requireNonNull(route, "route is null");
        return jdbi.inTransaction(handle -> {
            int inserted = handle.createUpdate("""
                            INSERT INTO routes (name, port, container_id, owner, created_at)
                            SELECT :name, :port, :containerId, :owner, :createdAt
                            WHERE NOT EXISTS (SELECT 1 FROM routes WHERE name = :name OR port = :port)
                            """)
                    .bindMethods(route)
                    .execute();
            if (inserted == 0) {
                return OptionalLong.empty();
            }
            return OptionalLong.of(handle.createQuery("SELECT last_insert_rowid()").mapTo(Long.class).one());
        });
    }

    /** Points a route at another container. */
    public void setContainer(long id, long containerId)
    {
        jdbi.useHandle(handle -> handle.createUpdate("UPDATE routes SET container_id = :containerId WHERE id = :id")
                .bind("containerId", containerId)
                .bind("id", id)
                .execute());
    }

    public void delete(long id)
    {
        jdbi.useHandle(handle -> handle.createUpdate("DELETE FROM routes WHERE id = :id").bind("id", id).execute());
    }

    public Optional<RouteRecord> find(long id)
    {
        return jdbi.withHandle(handle -> handle.createQuery("SELECT * FROM routes WHERE id = :id")
                .bind("id", id)
                .mapTo(RouteRecord.class)
                .findOne());
    }

    public Optional<RouteRecord> findByName(String name)
    {
        return jdbi.withHandle(handle -> handle.createQuery("SELECT * FROM routes WHERE name = :name")
                .bind("name", name)
                .mapTo(RouteRecord.class)
                .findOne());
    }

    /** Every route, oldest first. */
    public List<RouteRecord> list()
    {
        return jdbi.withHandle(handle -> handle.createQuery("SELECT * FROM routes ORDER BY id")
                .mapTo(RouteRecord.class)
                .list());
    }
}
