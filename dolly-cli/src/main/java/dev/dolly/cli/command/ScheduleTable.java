package dev.dolly.cli.command;

import dev.dolly.api.Schedule;
import dev.dolly.cli.output.RelativeTime;
import dev.dolly.cli.output.TableWriter;

import java.time.Instant;

/** The columns of {@code dolly get schedules}. */
final class ScheduleTable
{
    private ScheduleTable() {}

    static ResourceOutput<Schedule> output(CommandContext context)
    {
        return new ResourceOutput<>(context, Schedule::name, schedules -> {
            Instant now = context.now();
            TableWriter table = new TableWriter("NAME", "IMAGE", "CRON", "LAST RUN", "RESULT", "NEXT RUN");
            for (Schedule schedule : schedules) {
                table.addRow(
                        schedule.name(),
                        schedule.imageName() + (schedule.tags().isEmpty() ? "" : ":" + String.join(",", schedule.tags())),
                        schedule.cron() + " " + schedule.timeZone(),
                        schedule.lastRunAt() == null ? "never" : RelativeTime.format(schedule.lastRunAt(), now),
                        result(schedule),
                        schedule.nextRunAt() == null ? "never" : schedule.nextRunAt() + " (" + RelativeTime.format(schedule.nextRunAt(), now) + ")");
            }
            return table;
        });
    }

    /** {@code Succeeded: Built image 14.}, {@code Failed: …}, {@code Running (image 15)} while a run goes. */
    private static String result(Schedule schedule)
    {
        String last = schedule.lastResult() == null ? "" : schedule.lastResult() + (schedule.lastMessage() == null ? "" : ": " + schedule.lastMessage());
        if (schedule.runningImageId() != null) {
            return "Running (image " + schedule.runningImageId() + ")" + (last.isEmpty() ? "" : "; last " + last);
        }
        return last.isEmpty() ? "-" : last;
    }
}
