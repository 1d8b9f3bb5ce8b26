package dev.dolly.api;

import java.util.List;

/** Adds users to a team and removes others from it (administrators only). */
public record UpdateTeamRequest(
        List<String> addMembers,
        List<String> removeMembers)
{
    public UpdateTeamRequest
    {
        addMembers = addMembers == null ? List.of() : List.copyOf(addMembers);
        removeMembers = removeMembers == null ? List.of() : List.copyOf(removeMembers);
    }
}
