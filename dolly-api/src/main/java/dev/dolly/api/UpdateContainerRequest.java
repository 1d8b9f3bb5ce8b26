package dev.dolly.api;

import java.util.List;

/**
 * Changes a container: its name, lifetime and teams. Only what is given changes.
 *
 * @param name a new name, or {@code null}
 * @param lifetime counted from now ({@code 90m}, {@code 48h}, {@code 7d}; {@code 0} for never), or {@code null} to keep the expiry
 * @param addTeams teams ({@code org:team}) to share the container with
 * @param removeTeams teams to stop sharing it with
 * @param idleStop stop its server after this long with no client connection ({@code 30m}, {@code 45s}), {@code off} for
 *         never, or {@code null} to keep it
 */
public record UpdateContainerRequest(
        String name,
        String lifetime,
        List<String> addTeams,
        List<String> removeTeams,
        String idleStop)
{
    public UpdateContainerRequest
    {
        addTeams = addTeams == null ? List.of() : List.copyOf(addTeams);
        removeTeams = removeTeams == null ? List.of() : List.copyOf(removeTeams);
    }

    /** Its name, lifetime or teams. */
    public UpdateContainerRequest(String name, String lifetime, List<String> addTeams, List<String> removeTeams)
    {
        this(name, lifetime, addTeams, removeTeams, null);
    }

    /** Its name or lifetime only. */
    public UpdateContainerRequest(String name, String lifetime)
    {
        this(name, lifetime, List.of(), List.of());
    }
}
