package dev.dolly.api;

import java.time.Instant;

/**
 * What a sign-in answers: a session token, shown this once (the daemon keeps only its hash), and when it expires.
 */
public record SessionToken(
        String token,
        String user,
        Instant expiresAt) {}
