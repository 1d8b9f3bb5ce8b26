package dev.dolly.core.catalog;

import java.time.Instant;

/**
 * A saved state of a container, as the catalog holds it.
 *
 * @param parent the number of the revision the container was on when it was saved; 0 for its image
 * @param sizeBytes bytes the revision's volume takes, {@code null} when unknown
 */
public record RevisionRecord(
        long containerId,
        int number,
        int parent,
        String volume,
        Instant createdAt,
        Long sizeBytes) {}
