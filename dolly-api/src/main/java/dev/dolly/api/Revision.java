package dev.dolly.api;

import java.time.Instant;

/**
 * A saved state of a data container. Revisions form a tree: each was saved from the revision its container was on
 * then. {@code rev.0} is the container's image.
 *
 * @param container the container's name
 * @param name {@code rev.N}
 * @param parent the revision it was saved from ({@code rev.0}: the image); {@code null} for {@code rev.0} itself
 * @param createdAt when it was saved; for {@code rev.0}, when the container was created
 * @param sizeBytes bytes its data takes, {@code null} when unknown (always for {@code rev.0}: that is the image's)
 * @param current whether the container is on this revision now
 */
public record Revision(
        String container,
        String name,
        int number,
        String parent,
        Instant createdAt,
        Long sizeBytes,
        boolean current) {}
