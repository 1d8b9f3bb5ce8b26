package dev.dolly.core.catalog;

import java.time.Instant;
import java.util.List;

/**
 * A scheduled image build as the catalog holds it.
 *
 * @param sourceDirectory the directory on the daemon's machine every run reads, named by the local administrator; {@code null} when the
 *         schedule keeps the files of an upload
 * @param keep how many images of the name this schedule built to keep, or {@code null} for all
 * @param lastFiredAt when the schedule last started a run (by its cron expression or by hand), or {@code null}
 * @param runningImageId the image the run still going builds, or {@code null}
 * @param lastResult {@code Succeeded}, {@code Failed} or {@code Skipped} of the last run that ended, or {@code null}
 */
public record ScheduleRecord(
        long id,
        String name,
        String owner,
        String cron,
        String timeZone,
        String definition,
        String sourceDirectory,
        String imageName,
        List<String> tags,
        String lifetime,
        Integer keep,
        Instant createdAt,
        Instant lastFiredAt,
        Long runningImageId,
        Instant lastRunAt,
        Long lastImageId,
        String lastResult,
        String lastMessage) {}
