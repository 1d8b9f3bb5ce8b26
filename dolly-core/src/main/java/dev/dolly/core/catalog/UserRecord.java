package dev.dolly.core.catalog;

import java.time.Instant;

/**
 * A user as the catalog holds it.
 *
 * @param passwordHash the PBKDF2 hash of the password; {@code null} for a user who cannot sign in (the local administrator)
 */
public record UserRecord(
        long id,
        String name,
        String passwordHash,
        boolean admin,
        Instant createdAt) {}
