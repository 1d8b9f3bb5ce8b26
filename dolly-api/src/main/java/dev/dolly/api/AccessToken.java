package dev.dolly.api;

import java.time.Instant;

/**
 * An access token as listed: never the token itself, which is shown once, when it is created.
 *
 * @param lastUsedAt {@code null} when never used
 * @param expiresAt {@code null} for never
 */
public record AccessToken(
        long id,
        String purpose,
        Instant createdAt,
        Instant lastUsedAt,
        Instant expiresAt) {}
