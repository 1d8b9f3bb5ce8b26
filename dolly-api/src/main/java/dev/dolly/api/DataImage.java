package dev.dolly.api;

import java.time.Instant;
import java.util.List;

/**
 * A sealed, read-only database state that data containers are created from.
 *
 * @param sizeBytes bytes the image's data directory takes, {@code null} while unknown
 * @param origin the container revision an image was graduated from; {@code null} for images built from a definition
 * @param tags the tags the image holds: {@code name:tag} names it
 * @param pendingTags tags a build asked for, which it takes over from the other images of its name when it is READY
 *         (a failed build takes none)
 * @param requestedVersion the version the definition asked for ({@code 8.0}), {@code null} when it named none; the
 *         engine version says what runs ({@code 11.4.5-MariaDB} for {@code engine: mysql} without a MySQL installation)
 * @param buildSteps the steps of the image's build that ended, in order, with their times; empty for images graduated
 *         from a revision
 * @param pool the image's warm pool: how many containers it keeps started and idle, and how many of them are ready
 *         to be taken; {@code null} when it has none
 * @param transform what the build's {@code transform:} stage did (rows kept, columns masked, the leak check), {@code null}
 *         for an image built without one
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
        List<String> pendingTags,
        String requestedVersion,
        List<ImageBuildStep> buildSteps,
        Pool pool,
        TransformReport transform)
{
    /**
     * @param size how many containers the pool keeps started and idle
     * @param ready how many of them are ready to be taken now
     */
    public record Pool(int size, int ready) {}

    public DataImage
    {
        pendingTags = pendingTags == null ? List.of() : List.copyOf(pendingTags);
        buildSteps = buildSteps == null ? List.of() : List.copyOf(buildSteps);
    }

    /** An image without a pool, built without a transform. */
    public DataImage(long id, String name, List<String> tags, List<String> teams, String engine, String engineVersion, ResourceStatus status, String statusMessage,
            String progress, String sourceType, String databaseName, String owner, Instant createdAt, Instant readyAt, Instant expiresAt, Long sizeBytes,
            List<String> containers, ImageOrigin origin, List<String> pendingTags, String requestedVersion, List<ImageBuildStep> buildSteps)
    {
        this(id, name, tags, teams, engine, engineVersion, status, statusMessage, progress, sourceType, databaseName, owner, createdAt, readyAt, expiresAt,
                sizeBytes, containers, origin, pendingTags, requestedVersion, buildSteps, null, null);
    }
}
