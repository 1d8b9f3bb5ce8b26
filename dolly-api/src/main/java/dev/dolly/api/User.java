package dev.dolly.api;

import java.time.Instant;
import java.util.List;

/**
 * Someone who signs in to the daemon. The password is never part of it.
 *
 * @param teams the teams the user is a member of, as {@code org:team}
 */
public record User(
        String name,
        boolean admin,
        List<String> teams,
        Instant createdAt)
{
    public User
    {
        teams = teams == null ? List.of() : List.copyOf(teams);
    }
}
