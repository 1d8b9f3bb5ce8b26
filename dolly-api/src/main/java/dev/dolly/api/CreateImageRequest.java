package dev.dolly.api;

import java.util.List;

/**
 * Asks the daemon to build an image from an image definition (Spawn's YAML format).
 *
 * @param definition the YAML text
 * @param sourceDirectory absolute directory that relative paths in the definition are resolved against (the YAML
 *         file's directory); no path in the definition may lead outside it
 * @param name overrides the definition's {@code name}, or {@code null}
 * @param tags added to the definition's tags
 * @param teams added to the definition's teams
 * @param lifetime overrides the definition's lifetime ({@code 90m}, {@code 48h}, {@code 7d}, {@code 0}), or {@code null}
 */
public record CreateImageRequest(
        String definition,
        String sourceDirectory,
        String name,
        List<String> tags,
        List<String> teams,
        String lifetime)
{
    public CreateImageRequest
    {
        tags = tags == null ? List.of() : List.copyOf(tags);
        teams = teams == null ? List.of() : List.copyOf(teams);
    }
}
