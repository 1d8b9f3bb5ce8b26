package dev.dolly.core.catalog;

import dev.dolly.api.ResourceStatus;
import org.jdbi.v3.core.mapper.reflect.JdbiConstructor;

import java.time.Instant;
import java.util.List;

import static java.util.Objects.requireNonNull;

/**
 * A container as the catalog holds it.
 *
 * @param teams the teams it is shared with, {@code org:team}: their members see it and connect to it
 * @param pooled whether it waits in its image's warm pool, owned by nobody (its owner is empty), until a creation
 *         takes it
 */
public record ContainerRecord(
        long id,
        String name,
        long imageId,
        ResourceStatus status,
        String statusMessage,
        String engine,
        String engineVersion,
        String host,
        int port,
        String userName,
        String password,
        String databaseName,
        String volume,
        String revision,
        String owner,
        Instant createdAt,
        Instant expiresAt,
        List<String> teams,
        boolean pooled)
{
    @JdbiConstructor
    public ContainerRecord
    {
        teams = List.copyOf(requireNonNull(teams, "teams is null"));
    }

    /** A container of a user's, shared with no team, not in any pool. */
    public ContainerRecord(long id, String name, long imageId, ResourceStatus status, String statusMessage, String engine, String engineVersion, String host,
            int port, String userName, String password, String databaseName, String volume, String revision, String owner, Instant createdAt, Instant expiresAt)
    {
        this(id, name, imageId, status, statusMessage, engine, engineVersion, host, port, userName, password, databaseName, volume, revision, owner, createdAt,
                expiresAt, List.of(), false);
    }

    /** A container of a user's, not in any pool. */
    public ContainerRecord(long id, String name, long imageId, ResourceStatus status, String statusMessage, String engine, String engineVersion, String host,
            int port, String userName, String password, String databaseName, String volume, String revision, String owner, Instant createdAt, Instant expiresAt,
            List<String> teams)
    {
        this(id, name, imageId, status, statusMessage, engine, engineVersion, host, port, userName, password, databaseName, volume, revision, owner, createdAt,
                expiresAt, teams, false);
    }

    /** A container shared with no team, in a pool or not. */
    public ContainerRecord(long id, String name, long imageId, ResourceStatus status, String statusMessage, String engine, String engineVersion, String host,
            int port, String userName, String password, String databaseName, String volume, String revision, String owner, Instant createdAt, Instant expiresAt,
            boolean pooled)
    {
        this(id, name, imageId, status, statusMessage, engine, engineVersion, host, port, userName, password, databaseName, volume, revision, owner, createdAt,
                expiresAt, List.of(), pooled);
    }
}
