package dev.dolly.api;

import java.time.Instant;
import java.util.List;

/**
 * A team, {@code org:team}: images shared with it are visible to its members.
 */
public record Team(
        String name,
        List<String> members,
        Instant createdAt)
{
    public Team
    {
        members = members == null ? List.of() : List.copyOf(members);
    }
}
