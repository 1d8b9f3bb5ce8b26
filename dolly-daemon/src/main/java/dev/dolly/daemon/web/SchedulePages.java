package dev.dolly.daemon.web;

import dev.dolly.api.Schedule;
import dev.dolly.core.Dolly;
import io.javalin.http.Context;
import io.javalin.http.HttpStatus;

import java.util.List;
import java.util.Locale;
import java.util.function.Supplier;

import static java.util.Objects.requireNonNull;

/**
 * The Schedules page: the caller's scheduled image builds (every one for an administrator) as
 * {@code dolly get schedules} lists them, with Run now and delete. A schedule is created with the CLI, which uploads
 * the definition's files.
 */
final class SchedulePages
{
    private final Supplier<Dolly> dolly;

    SchedulePages(Supplier<Dolly> dolly)
    {
        this.dolly = requireNonNull(dolly, "dolly is null");
    }

    void list(Context context, WebSession session)
    {
        List<Schedule> schedules = dolly.get().schedules().list(session.caller());
        StringBuilder rows = new StringBuilder();
        for (Schedule schedule : schedules) {
            String base = "/schedules/" + Html.pathSegment(schedule.name());
            rows.append("<tr data-schedule=\"").append(Html.text(schedule.name())).append("\">")
                    .append("<th scope=\"row\">").append(Html.text(schedule.name())).append("</th>")
                    .append("<td><a href=\"/images?name=").append(Html.pathSegment(schedule.imageName())).append("\">").append(Html.text(schedule.imageName())).append("</a>")
                    .append(schedule.tags().isEmpty() ? "" : ":" + Html.list(schedule.tags())).append("</td>")
                    .append("<td><code>").append(Html.text(schedule.cron())).append("</code> <span class=\"muted\">").append(Html.text(schedule.timeZone())).append("</span></td>")
                    .append("<td>").append(schedule.lastRunAt() == null ? "never" : Html.timestamp(schedule.lastRunAt())).append("</td>")
                    .append("<td>").append(result(schedule)).append("</td>")
                    .append("<td>").append(schedule.nextRunAt() == null ? "never" : Html.timestamp(schedule.nextRunAt())).append("</td>")
                    .append("<td>").append(Layout.button(session, base + "/run", "Run now", "small", "Run schedule " + schedule.name() + " now"))
                    .append(" <a class=\"danger\" href=\"").append(base).append("/delete\" aria-label=\"Delete schedule ").append(Html.text(schedule.name()))
                    .append("\">Delete…</a></td>")
                    .append("</tr>\n");
        }
        String table = schedules.isEmpty()
                ? "<p>No scheduled builds yet.</p>"
                : """
                <div class="table"><table>
                <caption class="visually-hidden">Scheduled image builds</caption>
                <thead><tr><th scope="col">Name</th><th scope="col">Image</th><th scope="col">Cron</th><th scope="col">Last run</th>
                <th scope="col">Result</th><th scope="col">Next run</th><th scope="col"><span class="visually-hidden">Actions</span></th></tr></thead>
                <tbody>%s</tbody>
                </table></div>""".formatted(rows);
        context.html(Layout.page(session, Layout.Section.SCHEDULES, "Scheduled builds", "<div id=\"schedules\" data-live>" + table + "</div>"
                + "<p class=\"muted\">A schedule keeps the definition's files for all its runs, so it is created where they are, with "
                + "<code>dolly create schedule NAME -f image.yaml --cron \"0 2 * * *\"</code>.</p>"));
    }

    /** {@code Succeeded: Built image 14.}, {@code Failed: …}, and {@code Running (image 15)} while a run goes, as the CLI shows it. */
    private static String result(Schedule schedule)
    {
        String last = "";
        if (schedule.lastResult() != null) {
            last = "<span class=\"status status-" + Html.text(schedule.lastResult().toLowerCase(Locale.ROOT)) + "\">" + Html.text(schedule.lastResult()) + "</span>"
                    + " " + lastMessage(schedule);
        }
        if (schedule.runningImageId() != null) {
            String running = schedule.runningImageId() < 0
                    ? "<span class=\"status status-running\">Running</span>"
                    : "<span class=\"status status-running\">Running</span> <a href=\"/images/" + schedule.runningImageId() + "\">image " + schedule.runningImageId() + "</a>";
            return running + (last.isEmpty() ? "" : "<br><span class=\"muted\">last:</span> " + last);
        }
        return last.isEmpty() ? "<span class=\"muted\">not run yet</span>" : last;
    }

    /** What the last run built or why it failed, as a link to the image it built when there is one. */
    private static String lastMessage(Schedule schedule)
    {
        String message = schedule.lastMessage() == null ? "" : "<span class=\"detail\">" + Html.text(schedule.lastMessage()) + "</span>";
        if (schedule.lastImageId() == null) {
            return message;
        }
        return "<a href=\"/images/" + schedule.lastImageId() + "\">" + (message.isEmpty() ? "image " + schedule.lastImageId() : message) + "</a>";
    }

    void run(Context context, WebSession session)
    {
        dolly.get().schedules().run(context.pathParam("name"), session.caller());
        context.redirect("/schedules", HttpStatus.SEE_OTHER);
    }

    void confirmDelete(Context context, WebSession session)
    {
        Schedule schedule = dolly.get().schedules().get(context.pathParam("name"), session.caller());
        String base = "/schedules/" + Html.pathSegment(schedule.name());
        context.html(Layout.page(session, Layout.Section.SCHEDULES, "Delete schedule " + schedule.name() + "?",
                "<p>Schedule <strong>" + Html.text(schedule.name()) + "</strong> and the files it kept will be deleted; it builds "
                        + Html.text(schedule.imageName()) + " no more. The images it built stay.</p>"
                        + Layout.button(session, base + "/delete", "Delete schedule", "danger") + " <a href=\"/schedules\">Cancel</a>"));
    }

    void delete(Context context, WebSession session)
    {
        dolly.get().schedules().delete(context.pathParam("name"), session.caller());
        context.redirect("/schedules", HttpStatus.SEE_OTHER);
    }
}
