package dev.dolly.bench;

import static java.util.Objects.requireNonNull;

/**
 * What every report of a run records about it.
 *
 * @param date when the run started, ISO 8601 to the second
 * @param loadAverageAtStart {@code /proc/loadavg} when the run started
 * @param dollyVersion the version the daemons reported
 * @param totalSeconds the whole run: file systems, daemons and image builds included
 */
record ReportHeader(String date, Machine machine, String loadAverageAtStart, String dollyVersion, double totalSeconds)
{
    ReportHeader
    {
        requireNonNull(date, "date is null");
        requireNonNull(machine, "machine is null");
        requireNonNull(loadAverageAtStart, "loadAverageAtStart is null");
    }
}
