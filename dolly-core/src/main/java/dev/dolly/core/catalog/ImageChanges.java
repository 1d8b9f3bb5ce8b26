package dev.dolly.core.catalog;

import java.time.Instant;
import java.util.List;

import static java.util.Objects.requireNonNull;

/**
 * What an update changes on an image.
 *
 * @param name the new name, or {@code null} to keep it
 * @param expiryChanged whether to set the expiry to {@code expiresAt} ({@code null}: never)
 */
public record ImageChanges(
        String name,
        List<String> addedTags,
        List<String> removedTags,
        List<String> addedTeams,
        List<String> removedTeams,
        boolean expiryChanged,
        Instant expiresAt)
{
    public ImageChanges
    {
        addedTags = List.copyOf(requireNonNull(addedTags, "addedTags is null"));
        removedTags = List.copyOf(requireNonNull(removedTags, "removedTags is null"));
        addedTeams = List.copyOf(requireNonNull(addedTeams, "addedTeams is null"));
        removedTeams = List.copyOf(requireNonNull(removedTeams, "removedTeams is null"));
    }
}
