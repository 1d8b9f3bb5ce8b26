package dev.dolly.api;

import java.util.List;

/**
 * Asks the daemon to build an image from a definition on a schedule.
 *
 * @param name the schedule's name
 * @param definition the YAML text of the image definition
 * @param sourceDirectory for the local administrator only: a directory on the daemon's machine that every run reads the
 *         definition's files from; {@code null} with {@code upload}
 * @param upload the ID of an upload of the caller holding the definition's files, which the schedule keeps for all its runs;
 *         {@code null} with {@code sourceDirectory}
 * @param cron a standard five-field cron expression ({@code 0 2 * * *})
 * @param timeZone the time zone the expression is read in ({@code Europe/Berlin}), or {@code null} for the daemon's
 * @param keep how many of the images it built to keep (older ones are deleted once nothing uses them), or {@code null} for all
 * @param tags added to the definition's tags; they move to each image that builds successfully
 * @param lifetime the lifetime of each image ({@code 7d}), or {@code null} for the definition's
 */
public record CreateScheduleRequest(
        String name,
        String definition,
        String sourceDirectory,
        String upload,
        String cron,
        String timeZone,
        Integer keep,
        List<String> tags,
        String lifetime)
{
    public CreateScheduleRequest
    {
        tags = tags == null ? List.of() : List.copyOf(tags);
    }
}
