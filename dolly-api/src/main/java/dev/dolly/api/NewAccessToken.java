package dev.dolly.api;

import java.time.Instant;

/** A new access token: the only time the token itself is shown, since the daemon keeps only its hash. */
public record NewAccessToken(
        long id,
        String token,
        String purpose,
        Instant createdAt,
        Instant expiresAt) {}
