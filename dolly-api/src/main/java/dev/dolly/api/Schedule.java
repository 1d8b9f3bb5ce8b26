package dev.dolly.api;

import java.time.Instant;
import java.util.List;

/**
 * A scheduled image build.
 *
 * @param files where its runs read the definition's files: {@code kept upload} or a directory on the daemon's machine
 * @param lastRunAt when its last run ended, or {@code null}
 * @param lastResult {@code Succeeded}, {@code Failed} or {@code Skipped}, or {@code null} before the first run ended
 * @param lastMessage why it failed or was skipped, or what it built
 * @param lastImageId the image its last run built, or {@code null}
 * @param runningImageId the image the run still going builds, or {@code null}
 * @param nextRunAt when it runs next
 */
public record Schedule(
        long id,
        String name,
        String owner,
        String cron,
        String timeZone,
        String imageName,
        List<String> tags,
        Integer keep,
        String lifetime,
        String files,
        Instant createdAt,
        Instant lastRunAt,
        String lastResult,
        String lastMessage,
        Long lastImageId,
        Long runningImageId,
        Instant nextRunAt)
{
    public Schedule
    {
        tags = tags == null ? List.of() : List.copyOf(tags);
    }
}
