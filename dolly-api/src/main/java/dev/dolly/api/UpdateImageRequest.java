package dev.dolly.api;

import java.util.List;

/**
 * Changes an image: its tags, teams, name and lifetime. Only what is given changes.
 *
 * @param addTags tags the image takes over from the other images of its name (when it is READY; a build takes them when it is done)
 * @param name a new name, or {@code null}; the image keeps only the tags no image of the new name holds
 * @param lifetime counted from now ({@code 90m}, {@code 48h}, {@code 7d}; {@code 0} for never), or {@code null} to keep the expiry
 * @param pool how many containers of the image to keep started and idle ({@code 0}: none), or {@code null} to keep the pool's size
 */
public record UpdateImageRequest(
        List<String> addTags,
        List<String> removeTags,
        List<String> addTeams,
        List<String> removeTeams,
        String name,
        String lifetime,
        Integer pool)
{
    /** A request that leaves the pool as it is. */
    public UpdateImageRequest(List<String> addTags, List<String> removeTags, List<String> addTeams, List<String> removeTeams, String name, String lifetime)
    {
        this(addTags, removeTags, addTeams, removeTeams, name, lifetime, null);
    }

    public UpdateImageRequest
    {
        addTags = addTags == null ? List.of() : List.copyOf(addTags);
        removeTags = removeTags == null ? List.of() : List.copyOf(removeTags);
        addTeams = addTeams == null ? List.of() : List.copyOf(addTeams);
        removeTeams = removeTeams == null ? List.of() : List.copyOf(removeTeams);
    }
}
