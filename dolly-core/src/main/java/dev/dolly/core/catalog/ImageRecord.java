package dev.dolly.core.catalog;

import dev.dolly.api.ImageOrigin;
import dev.dolly.api.ResourceStatus;

import java.time.Instant;
import java.util.List;

/**
 * An image as the catalog holds it, including what is never shown to users (the engine superuser's password).
 *
 * @param origin where an image made from a container's revision came from; {@code null} for images built from a definition
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
        ImageOrigin origin) {}
