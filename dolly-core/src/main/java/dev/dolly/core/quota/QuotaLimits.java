package dev.dolly.core.quota;

import java.util.Map;

import static java.util.Objects.requireNonNull;

/**
 * The per-user quotas of a daemon. Every user has them, administrators included: an administrator's containers use
 * the machine like anyone's, and the administrator can raise a limit.
 *
 * @param containers how many data containers one user may have
 * @param images how many data images one user may have (failed ones hold no data and do not count)
 * @param concurrentBuilds how many images one user may have being built at once (queued builds count)
 */
public record QuotaLimits(Quota containers, Quota images, Quota concurrentBuilds)
{
    public static final String CONTAINERS_VARIABLE = "DOLLY_QUOTA_CONTAINERS";
    public static final String IMAGES_VARIABLE = "DOLLY_QUOTA_IMAGES";
    public static final String CONCURRENT_BUILDS_VARIABLE = "DOLLY_QUOTA_CONCURRENT_BUILDS";
    public static final int DEFAULT_CONTAINERS = 20;
    public static final int DEFAULT_IMAGES = 50;
    public static final int DEFAULT_CONCURRENT_BUILDS = 2;

    public QuotaLimits
    {
        requireNonNull(containers, "containers is null");
        requireNonNull(images, "images is null");
        requireNonNull(concurrentBuilds, "concurrentBuilds is null");
    }

    /**
     * Reads {@value #CONTAINERS_VARIABLE} (default {@value #DEFAULT_CONTAINERS}), {@value #IMAGES_VARIABLE} (default
     * {@value #DEFAULT_IMAGES}) and {@value #CONCURRENT_BUILDS_VARIABLE} (default {@value #DEFAULT_CONCURRENT_BUILDS}):
     * each a whole number of at least 1, or {@code unlimited}.
     */
    public static QuotaLimits fromEnvironment(Map<String, String> environment)
    {
        requireNonNull(environment, "environment is null");
        return new QuotaLimits(
                Quota.fromEnvironment(environment, CONTAINERS_VARIABLE, DEFAULT_CONTAINERS),
                Quota.fromEnvironment(environment, IMAGES_VARIABLE, DEFAULT_IMAGES),
                Quota.fromEnvironment(environment, CONCURRENT_BUILDS_VARIABLE, DEFAULT_CONCURRENT_BUILDS));
    }
}
