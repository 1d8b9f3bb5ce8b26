package dev.dolly.api;

import java.time.Instant;
import java.util.List;

/**
 * A sealed, read-only database state that data containers are created from.
 *
 * @param sizeBytes bytes the image's data directory takes, {@code null} while unknown
 * @param origin the container revision an image was graduated from; {@code null} for images built from a definition
 * @param requestedVersion the version the definition asked for ({@code 8.0}), {@code null} when it named none; the
 *         engine version says what runs ({@code 11.4.5-MariaDB} for {@code engine: mysql} without a MySQL installation)
 */
public record DataImage(
        long id,
        String name,
        List<String> tags,
        List<String> teams,
        String engine,
        String engineVersion,
        ResourceStatus status,
        String statusMessage,
        String progress,
        String sourceType,
        String databaseName,
        String owner,
        Instant createdAt,
        Instant readyAt,
        Instant expiresAt,
        Long sizeBytes,
        List<String> containers,
        ImageOrigin origin,
        String requestedVersion) {}
