package dev.dolly.daemon.web;

import dev.dolly.api.CreateContainerRequest;
import dev.dolly.api.DataContainer;
import dev.dolly.api.DataImage;
import dev.dolly.api.DollyException;
import dev.dolly.api.ErrorCode;
import dev.dolly.api.ImageOrigin;
import dev.dolly.api.TransformReport;
import dev.dolly.api.UpdateImageRequest;
import dev.dolly.core.Dolly;
import dev.dolly.core.catalog.ImageRecord;
import io.javalin.http.Context;
import io.javalin.http.HttpStatus;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

import static java.util.Objects.requireNonNull;

/** The Images page (every image the user may see, filtered by name and tag) and the page of one image. */
final class ImagePages
{
    private final Supplier<Dolly> dolly;

    ImagePages(Supplier<Dolly> dolly)
    {
        this.dolly = requireNonNull(dolly, "dolly is null");
    }

    void list(Context context, WebSession session)
    {
        String name = Forms.optional(context.queryParam("name"));
        String tag = Forms.optional(context.queryParam("tag"));
        List<DataImage> images = dolly.get().images().list(session.caller(), name, tag);
        Instant now = Instant.now();
        StringBuilder rows = new StringBuilder();
        for (DataImage image : images) {
            rows.append("<tr data-image=\"").append(Html.text(image.name())).append("\">")
                    .append("<th scope=\"row\"><a href=\"/images/").append(image.id()).append("\">").append(Html.text(image.name())).append("</a>")
                    .append(" <span class=\"muted\">#").append(image.id()).append("</span></th>")
                    .append("<td>").append(Html.list(image.tags())).append("</td>")
                    .append("<td>").append(Html.text(image.engine())).append(' ').append(Html.text(image.engineVersion())).append("</td>")
                    .append("<td>").append(status(image)).append("</td>")
                    .append("<td class=\"number\">").append(Html.bytes(image.sizeBytes())).append("</td>")
                    .append("<td>").append(Html.timestamp(image.createdAt())).append("</td>")
                    .append("<td>").append(Html.list(image.teams())).append("</td>")
                    .append("<td>").append(Html.expires(image.expiresAt(), now)).append("</td>")
                    .append("</tr>\n");
        }
        String table = images.isEmpty()
                ? "<p>No data images" + (name != null || tag != null ? " match the filter" : " yet: build one with <code>dolly create data-image -f image.yaml</code>") + ".</p>"
                : """
                <div class="table"><table>
                <caption class="visually-hidden">Data images</caption>
                <thead><tr><th scope="col">Name</th><th scope="col">Tags</th><th scope="col">Engine</th><th scope="col">Status</th>
                <th scope="col">Size</th><th scope="col">Created</th><th scope="col">Teams</th><th scope="col">Expires</th></tr></thead>
                <tbody>%s</tbody>
                </table></div>""".formatted(rows);
        String filter = """
                <form class="filter" method="get" action="/images" role="search">
                  <label for="filter-name">Name</label> <input id="filter-name" name="name" value="%s">
                  <label for="filter-tag">Tag</label> <input id="filter-tag" name="tag" value="%s">
                  <button type="submit">Filter</button> <a href="/images">Clear</a>
                </form>
                """.formatted(Html.text(name), Html.text(tag));
        context.html(Layout.page(session, Layout.Section.IMAGES, "Data images", filter + "<div id=\"images\" data-live>" + table + "</div>"));
    }

    /** The status, with the build's progress while it is built and the reason when it failed. */
    static String status(DataImage image)
    {
        String detail = switch (image.status()) {
            case PENDING -> image.progress();
            case FAILED -> image.statusMessage();
            default -> null;
        };
        return Layout.status(image.status()) + (detail == null || detail.isBlank() ? "" : " <span class=\"detail\">" + Html.text(detail) + "</span>");
    }

    void show(Context context, WebSession session)
    {
        String reference = context.pathParam("reference");
        Dolly dolly = this.dolly.get();
        ImageRecord record = dolly.images().resolve(reference, session.caller());
        DataImage image = dolly.images().view(record);
        Instant now = Instant.now();
        boolean owner = session.caller().canChange(record);
        List<DataContainer> containers = dolly.containers().list(session.caller(), String.valueOf(image.id()));
        String base = "/images/" + image.id();

        StringBuilder details = new StringBuilder("<dl class=\"details\">");
        definition(details, "Status", status(image));
        definition(details, "Engine", Html.text(image.engine() + " " + image.engineVersion()));
        definition(details, "Tags", Html.list(image.tags()) + (image.pendingTags().isEmpty() ? "" : " <span class=\"detail\">(once ready: "
                + Html.list(image.pendingTags()) + ")</span>"));
        definition(details, "Teams", Html.list(image.teams()));
        definition(details, "Owner", Html.text(image.owner()));
        definition(details, "Source", Html.text(image.sourceType()));
        definition(details, "Database", Html.text(image.databaseName()));
        definition(details, "Size", Html.bytes(image.sizeBytes()));
        definition(details, "Created", Html.timestamp(image.createdAt()));
        definition(details, "Ready", Html.timestamp(image.readyAt()));
        definition(details, "Expires", image.expiresAt() == null ? "never" : Html.expires(image.expiresAt(), now));
        if (image.pool() != null) {
            definition(details, "Warm pool", "<span id=\"pool\">" + image.pool().ready() + " ready of " + image.pool().size() + "</span>"
                    + " <span class=\"detail\">(started containers kept idle, taken by <em>New container</em>)</span>");
        }
        details.append("</dl>");

        StringBuilder containerRows = new StringBuilder();
        for (DataContainer container : containers) {
            containerRows.append("<li><a href=\"/containers/").append(Html.pathSegment(container.name())).append("\">").append(Html.text(container.name()))
                    .append("</a> ").append(Layout.status(container)).append(" <span class=\"muted\">").append(Html.text(container.revision()))
                    .append(", ").append(Html.text(container.owner())).append("</span></li>");
        }
        String containerList = containers.isEmpty() ? "<p>No containers of yours from this image.</p>" : "<ul>" + containerRows + "</ul>";

        String newContainer = """
                <form class="stacked" method="post" action="%s/containers">
                  %s
                  <label for="container-name">Name <span class="muted">(optional)</span></label>
                  <input id="container-name" name="name" pattern="[a-zA-Z0-9][a-zA-Z0-9_.-]*">
                  <label for="container-lifetime">Lifetime <span class="muted">(optional, such as 2h or 7d)</span></label>
                  <input id="container-lifetime" name="lifetime">
                  <button type="submit">New container</button>
                </form>
                """.formatted(base, Layout.csrfField(session));

        StringBuilder content = new StringBuilder();
        content.append("<div id=\"image\" data-live>").append(details).append("</div>");
        content.append("<section aria-labelledby=\"containers-heading\"><h2 id=\"containers-heading\">Containers</h2>")
                .append("<div id=\"image-containers\" data-live>").append(containerList).append("</div>").append(newContainer).append("</section>");
        content.append("<section aria-labelledby=\"lineage-heading\"><h2 id=\"lineage-heading\">Lineage</h2>").append(lineage(dolly, image, session)).append("</section>");
        // a live region even while there is no report yet: it appears when the build's transform stage has run
        content.append("<div id=\"image-transform\" data-live>").append(image.transform() == null ? "" : transform(image.transform())).append("</div>");
        if (!image.buildSteps().isEmpty()) {
            StringBuilder steps = new StringBuilder("<ol class=\"steps\">");
            image.buildSteps().forEach(step -> steps.append("<li>").append(Html.text(step.step())).append(" <span class=\"muted\">")
                    .append(step.milliseconds()).append(" ms</span></li>"));
            content.append("<section aria-labelledby=\"build-heading\"><h2 id=\"build-heading\">Build</h2>").append(steps).append("</ol></section>");
        }
        if (record.definition() != null && !record.definition().isBlank()) {
            content.append("<section aria-labelledby=\"definition-heading\"><h2 id=\"definition-heading\">Definition</h2><pre id=\"definition\"><code>")
                    .append(Html.text(record.definition())).append("</code></pre></section>");
        }
        if (owner) {
            content.append(ownerForms(session, image, base));
        }
        context.html(Layout.page(session, Layout.Section.IMAGES, image.name() + (image.tags().isEmpty() ? "" : ":" + image.tags().getFirst()), content.toString()));
    }

    /** Where the image came from when it was graduated from a container, and the images graduated from its containers. */
    private static String lineage(Dolly dolly, DataImage image, WebSession session)
    {
        List<String> items = new ArrayList<>();
        ImageOrigin origin = image.origin();
        if (origin != null) {
            items.add("Graduated from " + Html.text(origin.revision()) + " of container " + Html.text(origin.container()) + " of image "
                    + imageLink(origin.image()));
        }
        for (DataImage other : dolly.images().list(session.caller())) {
            if (other.origin() != null && image.name().equals(other.origin().image()) && other.id() != image.id()) {
                items.add("Graduated into <a href=\"/images/" + other.id() + "\">" + Html.text(other.name()) + "</a> (from "
                        + Html.text(other.origin().revision()) + " of " + Html.text(other.origin().container()) + ")");
            }
        }
        if (items.isEmpty()) {
            return "<p>Built from its definition; no image was graduated from its containers.</p>";
        }
        StringBuilder list = new StringBuilder("<ul>");
        items.forEach(item -> list.append("<li>").append(item).append("</li>"));
        return list.append("</ul>").toString();
    }

    /** What the build's {@code transform:} stage did: the rules' digest, the rows kept per table, the columns masked, and the checks. */
    static String transform(TransformReport report)
    {
        StringBuilder tables = new StringBuilder();
        for (TransformReport.TableRows table : report.tables()) {
            tables.append("<tr><th scope=\"row\">").append(Html.text(table.table())).append("</th>")
                    .append("<td class=\"number\">").append(table.rowsBefore()).append("</td>")
                    .append("<td class=\"number\">").append(table.rowsAfter()).append("</td></tr>");
        }
        StringBuilder masked = new StringBuilder();
        for (TransformReport.MaskedColumn column : report.maskedColumns()) {
            masked.append("<tr><th scope=\"row\">").append(Html.text(column.column())).append("</th>")
                    .append("<td>").append(Html.text(column.transformer())).append("</td>")
                    .append("<td class=\"number\">").append(column.distinctValues()).append("</td></tr>");
        }
        boolean passed = "passed".equals(report.leakCheck());
        StringBuilder section = new StringBuilder("<section aria-labelledby=\"transform-heading\"><h2 id=\"transform-heading\">Transform</h2>");
        section.append("<dl class=\"details\">");
        definition(section, "Rules", "<code id=\"transform-digest\">" + Html.text(report.rulesDigest()) + "</code> <span class=\"detail\">SHA-256</span>");
        definition(section, "Leak check", "<span id=\"leak-check\" class=\"status status-" + (passed ? "ready" : "failed") + "\">"
                + Html.text(passed ? "Passed" : report.leakCheck()) + "</span>");
        definition(section, "Took", report.milliseconds() + " ms");
        section.append("</dl>");
        if (!report.tables().isEmpty()) {
            section.append("""
                    <h3 id="transform-tables-heading">Rows per table</h3>
                    <div class="table"><table aria-labelledby="transform-tables-heading">
                    <thead><tr><th scope="col">Table</th><th scope="col">Rows before</th><th scope="col">Rows after</th></tr></thead>
                    <tbody>%s</tbody></table></div>""".formatted(tables));
        }
        section.append("<h3 id=\"masked-heading\">Masked columns</h3>");
        section.append(report.maskedColumns().isEmpty() ? "<p>None.</p>" : """
                <div class="table"><table aria-labelledby="masked-heading">
                <thead><tr><th scope="col">Column</th><th scope="col">Transformer</th><th scope="col">Distinct values masked</th></tr></thead>
                <tbody>%s</tbody></table></div>""".formatted(masked));
        section.append("<h3 id=\"personal-heading\">Personal columns left as they are</h3>");
        if (report.personalColumns().isEmpty()) {
            section.append("<p>None: every column that looks personal is masked, emptied or kept on purpose (<code>keep-columns</code>).</p>");
        }
        else {
            section.append("<p class=\"error\">These columns look personal but are neither masked, emptied nor listed under <code>keep-columns</code>:</p><ul>");
            report.personalColumns().forEach(column -> section.append("<li><code>").append(Html.text(column)).append("</code></li>"));
            section.append("</ul>");
        }
        return section.append("</section>").toString();
    }

    private static String imageLink(String name)
    {
        return "<a href=\"/images/" + Html.pathSegment(name) + "\">" + Html.text(name) + "</a>";
    }

    private static String ownerForms(WebSession session, DataImage image, String base)
    {
        StringBuilder tags = new StringBuilder();
        for (String tag : image.tags()) {
            tags.append("<li>").append(Html.text(tag)).append(' ').append(update(session, base, "remove-tag", tag, "Remove tag " + tag)).append("</li>");
        }
        StringBuilder teams = new StringBuilder();
        for (String team : image.teams()) {
            teams.append("<li>").append(Html.text(team)).append(' ').append(update(session, base, "remove-team", team, "Stop sharing with " + team)).append("</li>");
        }
        return """
                <section aria-labelledby="owner-heading"><h2 id="owner-heading">Tags, sharing and lifetime</h2>
                <ul class="chips">%s</ul>
                <form class="row" method="post" action="%s/update">%s<input type="hidden" name="action" value="add-tag">
                  <label for="add-tag">Add tag</label> <input id="add-tag" name="value" required> <button type="submit">Add tag</button></form>
                <ul class="chips">%s</ul>
                <form class="row" method="post" action="%s/update">%s<input type="hidden" name="action" value="add-team">
                  <label for="add-team">Share with team</label> <input id="add-team" name="value" placeholder="org:team" required> <button type="submit">Share</button></form>
                <form class="row" method="post" action="%s/update">%s<input type="hidden" name="action" value="lifetime">
                  <label for="lifetime">Lifetime from now</label> <input id="lifetime" name="value" placeholder="7d, or 0 for never" required> <button type="submit">Set lifetime</button></form>
                <p><a class="danger" href="%s/delete">Delete this image…</a></p>
                </section>
                """.formatted(tags, base, Layout.csrfField(session), teams, base, Layout.csrfField(session), base, Layout.csrfField(session), base);
    }

    private static String update(WebSession session, String base, String action, String value, String label)
    {
        return "<form class=\"inline\" method=\"post\" action=\"" + base + "/update\">" + Layout.csrfField(session)
                + "<input type=\"hidden\" name=\"action\" value=\"" + action + "\"><input type=\"hidden\" name=\"value\" value=\"" + Html.text(value) + "\">"
                + "<button type=\"submit\" class=\"small\" aria-label=\"" + Html.text(label) + "\">×</button></form>";
    }

    private static void definition(StringBuilder details, String term, String html)
    {
        details.append("<dt>").append(term).append("</dt><dd>").append(html.isEmpty() ? "<span class=\"muted\">—</span>" : html).append("</dd>");
    }

    void createContainer(Context context, WebSession session)
    {
        String reference = context.pathParam("reference");
        DataContainer container = dolly.get().containers().create(
                new CreateContainerRequest(reference, Forms.optional(context.formParam("name")), Forms.optional(context.formParam("lifetime"))), session.caller());
        context.redirect("/containers/" + Forms.pathSegment(container.name()), HttpStatus.SEE_OTHER);
    }

    void update(Context context, WebSession session)
    {
        String reference = context.pathParam("reference");
        String value = Forms.required(context.formParam("value"), "a value");
        List<String> one = List.of(value);
        UpdateImageRequest request = switch (Forms.required(context.formParam("action"), "an action")) {
            case "add-tag" -> new UpdateImageRequest(one, null, null, null, null, null);
            case "remove-tag" -> new UpdateImageRequest(null, one, null, null, null, null);
            case "add-team" -> new UpdateImageRequest(null, null, one, null, null, null);
            case "remove-team" -> new UpdateImageRequest(null, null, null, one, null, null);
            case "lifetime" -> new UpdateImageRequest(null, null, null, null, null, value);
            default -> throw new DollyException(ErrorCode.BAD_INPUT, "Unknown change of an image: " + context.formParam("action"));
        };
        DataImage image = dolly.get().images().update(reference, request, session.caller());
        context.redirect("/images/" + image.id(), HttpStatus.SEE_OTHER);
    }

    void confirmDelete(Context context, WebSession session)
    {
        DataImage image = dolly.get().images().get(context.pathParam("reference"), session.caller());
        String base = "/images/" + image.id();
        context.html(Layout.page(session, Layout.Section.IMAGES, "Delete data image " + image.name() + "?",
                "<p>Data image <strong>" + Html.text(image.name()) + "</strong> (#" + image.id() + ") and its data will be deleted. "
                        + "An image that containers still use cannot be deleted.</p>"
                        + Layout.button(session, base + "/delete", "Delete data image", "danger") + " <a href=\"" + base + "\">Cancel</a>"));
    }

    void delete(Context context, WebSession session)
    {
        dolly.get().images().delete(context.pathParam("reference"), session.caller());
        context.redirect("/images", HttpStatus.SEE_OTHER);
    }
}
