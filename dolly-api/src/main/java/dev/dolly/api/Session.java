package dev.dolly.api;

import java.time.Instant;
import java.util.List;

/**
 * Who the daemon takes the caller for, with the token the request carried.
 *
 * @param purpose the token's purpose ({@code session} for a sign-in)
 * @param expiresAt when the token stops working; {@code null} for never
 */
public record Session(
        String user,
        boolean admin,
        List<String> teams,
        String purpose,
        Instant expiresAt)
{
    public Session
    {
        teams = teams == null ? List.of() : List.copyOf(teams);
    }
}
