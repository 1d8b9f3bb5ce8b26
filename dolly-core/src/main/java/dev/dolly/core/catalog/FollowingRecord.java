package dev.dolly.core.catalog;

import java.time.Instant;

/**
 * What a container follows: the image of a name holding a tag, to be recreated on when the tag moves.
 *
 * @param refreshAt {@code HH:MM} in the daemon's time zone, or {@code now}
 * @param refreshedAt when the container last moved to a new image, or {@code null}
 * @param message why the last refresh failed, or {@code null}
 * @param failedImageId the image the last refresh failed on, not tried again until the tag moves on
 * @param noticedImageId the image the tag moved to, as the container noticed it, or {@code null}
 * @param noticedAt when it noticed, from which the next refresh time is counted
 */
public record FollowingRecord(
        long containerId,
        String imageName,
        String tag,
        String refreshAt,
        Instant refreshedAt,
        String message,
        Long failedImageId,
        Long noticedImageId,
        Instant noticedAt) {}
