package dev.dolly.api;

import java.util.List;

/**
 * Asks the daemon to start a data container from an image.
 *
 * @param image a name ({@code widgetstore}), {@code name:tag} or a numeric ID
 * @param name the container's name, or {@code null} for a generated one like {@code widgetstore-k3vq9x}
 * @param lifetime {@code 90m}, {@code 48h}, {@code 7d}, {@code 0} for never, or {@code null} for never
 * @param teams teams ({@code org:team}) whose members see the container and connect to it; empty: private
 * @param follow whether the container follows {@code image}, a {@code name:tag}: it is recreated on the image the tag moves to
 * @param refreshAt for a following container, when it moves: {@code HH:MM} (the daemon's time zone, the default {@code 06:00}) or {@code now}
 * @param idleStop stop its server after this long with no client connection ({@code 30m}, {@code 45s}; {@code off}: never);
 *         {@code null} for the daemon's default
 */
public record CreateContainerRequest(String image, String name, String lifetime, List<String> teams, boolean follow, String refreshAt, String idleStop)
{
    public CreateContainerRequest
    {
        teams = teams == null ? List.of() : List.copyOf(teams);
    }

    /** With the daemon's default idle stop. */
    public CreateContainerRequest(String image, String name, String lifetime, List<String> teams, boolean follow, String refreshAt)
    {
        this(image, name, lifetime, teams, follow, refreshAt, null);
    }

    /** A private container that follows no tag. */
    public CreateContainerRequest(String image, String name, String lifetime)
    {
        this(image, name, lifetime, List.of(), false, null);
    }

    /** A container shared with teams, following no tag. */
    public CreateContainerRequest(String image, String name, String lifetime, List<String> teams)
    {
        this(image, name, lifetime, teams, false, null);
    }

    /** A private container, following its tag or not. */
    public CreateContainerRequest(String image, String name, String lifetime, boolean follow, String refreshAt)
    {
        this(image, name, lifetime, List.of(), follow, refreshAt);
    }
}
