package dev.dolly.core.image;

import dev.dolly.api.DataImage;
import dev.dolly.core.auth.Caller;
import dev.dolly.core.catalog.ImageRecord;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import static java.util.Objects.requireNonNull;

/**
 * The outcomes of dry runs ({@code --dry-run}) that are over: their images left the catalog with everything else they
 * made, so the client that follows one by its ID reads here, in memory, how it ended (its transform's report, or why it
 * failed). An outcome is kept for {@link #KEPT_FOR}, then forgotten; a restart forgets them all.
 */
final class DryRuns
{
    static final Duration KEPT_FOR = Duration.ofHours(1);

    private final Map<Long, Outcome> outcomes = new ConcurrentHashMap<>();

    /** Keeps how the dry run of {@code image} ended; {@code view} is what reading it by its ID returns. */
    void remember(ImageRecord image, DataImage view, Instant now)
    {
        requireNonNull(image, "image is null");
        requireNonNull(view, "view is null");
        forgetOlderThan(now.minus(KEPT_FOR));
        outcomes.put(image.id(), new Outcome(image, view, now));
    }

    /** How the dry run of image {@code id} ended, if it is over, recent, and the caller may see its image. */
    Optional<DataImage> find(long id, Caller caller, Instant now)
    {
        requireNonNull(caller, "caller is null");
        forgetOlderThan(now.minus(KEPT_FOR));
        return Optional.ofNullable(outcomes.get(id))
                .filter(outcome -> caller.canSee(outcome.image()))
                .map(Outcome::view);
    }

    /** Whether the dry run of image {@code id} is over: its record, if still there, is about to go. */
    boolean isOver(long id)
    {
        return outcomes.containsKey(id);
    }

    private void forgetOlderThan(Instant oldest)
    {
        outcomes.values().removeIf(outcome -> outcome.endedAt().isBefore(oldest));
    }

    private record Outcome(ImageRecord image, DataImage view, Instant endedAt) {}
}
