package dev.dolly.cli.command;

import java.time.Instant;

/**
 * What {@code dolly auth login} keeps in the CLI configuration file: the server signed in to, as whom, and the
 * session token with its expiry.
 */
record StoredSession(
        String server,
        String user,
        String token,
        Instant expiresAt) {}
