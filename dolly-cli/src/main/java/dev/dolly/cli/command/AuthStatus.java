package dev.dolly.cli.command;

import java.time.Instant;
import java.util.List;

/**
 * What {@code dolly auth status -o json} prints.
 *
 * @param admin {@code null} when the server was not asked
 * @param teams {@code null} when the server was not asked
 */
record AuthStatus(
        String server,
        String user,
        Boolean admin,
        List<String> teams,
        Instant expiresAt) {}
