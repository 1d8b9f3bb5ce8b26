package dev.dolly.api;

import java.util.List;

/**
 * Asks the daemon to start a data container from an image.
 *
 * @param image a name ({@code widgetstore}), {@code name:tag} or a numeric ID
 * @param name the container's name, or {@code null} for a generated one like {@code widgetstore-k3vq9x}
 * @param lifetime {@code 90m}, {@code 48h}, {@code 7d}, {@code 0} for never, or {@code null} for never
 * @param teams teams ({@code org:team}) whose members see the container and connect to it; empty: private
 */
public record CreateContainerRequest(String image, String name, String lifetime, List<String> teams)
{
    public CreateContainerRequest
    {
        teams = teams == null ? List.of() : List.copyOf(teams);
    }

    /** A private container. */
    public CreateContainerRequest(String image, String name, String lifetime)
    {
        this(image, name, lifetime, List.of());
    }
}
