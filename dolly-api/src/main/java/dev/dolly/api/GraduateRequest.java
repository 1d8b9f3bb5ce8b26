package dev.dolly.api;

import java.util.List;

/**
 * Makes a new image from a revision of a container.
 *
 * @param revision such as {@code rev.2}; {@code null} for the revision the container is on
 * @param name the image's name; {@code null} for {@code CONTAINER-graduate-N}
 */
public record GraduateRequest(
        String revision,
        String name,
        List<String> tags,
        List<String> teams)
{
    public GraduateRequest
    {
        tags = tags == null ? List.of() : List.copyOf(tags);
        teams = teams == null ? List.of() : List.copyOf(teams);
    }
}
