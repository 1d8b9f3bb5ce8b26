package dev.dolly.core.catalog;

import java.time.Instant;
import java.util.List;

/**
 * A user as the catalog holds it.
 *
 * @param passwordHash the PBKDF2 hash of the password; {@code null} for a user who cannot sign in (the local administrator)
 * @param teams the teams the user is a member of, sorted
 */
public record UserRecord(
        long id,
        String name,
        String passwordHash,
        boolean admin,
        List<String> teams,
        Instant createdAt) {}
