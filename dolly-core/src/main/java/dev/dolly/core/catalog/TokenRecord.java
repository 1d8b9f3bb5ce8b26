package dev.dolly.core.catalog;

import java.time.Instant;

/**
 * A bearer token as the catalog holds it: never the token, only its SHA-256 hash.
 *
 * @param kind {@link #ACCESS_TOKEN}, {@link #SESSION} or {@link #LOCAL_ADMIN}
 */
public record TokenRecord(
        long id,
        String userName,
        String kind,
        String purpose,
        Instant createdAt,
        Instant lastUsedAt,
        Instant expiresAt)
{
    public static final String ACCESS_TOKEN = "access-token";
    public static final String SESSION = "session";
    public static final String LOCAL_ADMIN = "local-admin";
}
