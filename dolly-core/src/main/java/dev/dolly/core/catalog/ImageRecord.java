package dev.dolly.core.catalog;

import dev.dolly.api.ImageOrigin;
import dev.dolly.api.ResourceStatus;
import org.jdbi.v3.core.mapper.Nested;
import org.jdbi.v3.core.mapper.reflect.JdbiConstructor;

import java.time.Instant;
import java.util.List;

import static java.util.Objects.requireNonNull;

/**
 * An image as the catalog holds it, including what is never shown to users (the engine superuser's password).
 *
 * @param tags the tags the image holds, sorted
 * @param teams the teams it is shared with, sorted
 * @param origin where an image made from a container's revision came from; {@code null} for images built from a definition
 * @param poolSize how many containers of the image its warm pool keeps started and idle; 0 for none
 */
public record ImageRecord(
        long id,
        String name,
        ResourceStatus status,
        String statusMessage,
        String progress,
        String engine,
        String requestedVersion,
        String engineVersion,
        String sourceType,
        String databaseName,
        String superuserPassword,
        String volume,
        Long sizeBytes,
        String owner,
        String definition,
        String sourceDirectory,
        Instant createdAt,
        Instant readyAt,
        Instant expiresAt,
        List<String> tags,
        List<String> teams,
        @Nested("origin") ImageOrigin origin,
        int poolSize)
{
    @JdbiConstructor
    public ImageRecord
    {
        tags = List.copyOf(requireNonNull(tags, "tags is null"));
        teams = List.copyOf(requireNonNull(teams, "teams is null"));
        // the catalog's origin columns are all NULL for an image built from a definition, which maps to an origin of nulls
        if (origin != null && origin.container() == null) {
            origin = null;
        }
    }

    /** An image without a warm pool. */
    public ImageRecord(long id, String name, ResourceStatus status, String statusMessage, String progress, String engine, String requestedVersion,
            String engineVersion, String sourceType, String databaseName, String superuserPassword, String volume, Long sizeBytes, String owner,
            String definition, String sourceDirectory, Instant createdAt, Instant readyAt, Instant expiresAt, List<String> tags, List<String> teams,
            ImageOrigin origin)
    {
        this(id, name, status, statusMessage, progress, engine, requestedVersion, engineVersion, sourceType, databaseName, superuserPassword, volume,
                sizeBytes, owner, definition, sourceDirectory, createdAt, readyAt, expiresAt, tags, teams, origin, 0);
    }
}
