package dev.dolly.core.catalog;

import java.time.Instant;

/**
 * A route as the catalog holds it.
 *
 * @param containerId the container it relays to; {@code null} once that container was deleted
 */
public record RouteRecord(
        long id,
        String name,
        int port,
        Long containerId,
        String owner,
        Instant createdAt) {}
