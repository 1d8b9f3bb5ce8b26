package dev.dolly.daemon.web;

import dev.dolly.api.DataContainer;
import dev.dolly.api.DataImage;
import dev.dolly.api.GraduateRequest;
import dev.dolly.api.Revision;
import dev.dolly.core.Dolly;
import io.javalin.http.Context;
import io.javalin.http.HttpStatus;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Supplier;

import static java.util.Objects.requireNonNull;

/** The Containers page (the user's containers; every one for an administrator) and the page of one container. */
final class ContainerPages
{
    private final Supplier<Dolly> dolly;

    ContainerPages(Supplier<Dolly> dolly)
    {
        this.dolly = requireNonNull(dolly, "dolly is null");
    }

    void list(Context context, WebSession session)
    {
        List<DataContainer> containers = dolly.get().containers().list(session.caller(), null);
        Instant now = Instant.now();
        StringBuilder rows = new StringBuilder();
        for (DataContainer container : containers) {
            rows.append("<tr data-container=\"").append(Html.text(container.name())).append("\">")
                    .append("<th scope=\"row\"><a href=\"/containers/").append(Html.pathSegment(container.name())).append("\">")
                    .append(Html.text(container.name())).append("</a></th>")
                    .append("<td><a href=\"/images/").append(container.imageId()).append("\">").append(Html.text(container.imageName())).append("</a></td>")
                    .append("<td>").append(Html.text(container.revision())).append("</td>")
                    .append("<td>").append(Layout.status(container)).append("</td>")
                    .append("<td class=\"number\">").append(container.port()).append("</td>")
                    .append("<td class=\"number\">").append(Html.bytes(container.sizeBytes())).append("</td>")
                    .append("<td>").append(Html.text(container.owner())).append("</td>")
                    .append("<td>").append(Html.expires(container.expiresAt(), now)).append("</td>")
                    .append("</tr>\n");
        }
        String table = containers.isEmpty()
                ? "<p>No data containers yet: open an image and press <em>New container</em>.</p>"
                : """
                <div class="table"><table>
                <caption class="visually-hidden">Data containers</caption>
                <thead><tr><th scope="col">Name</th><th scope="col">Image</th><th scope="col">Revision</th><th scope="col">Status</th>
                <th scope="col">Port</th><th scope="col">Size</th><th scope="col">Owner</th><th scope="col">Expires</th></tr></thead>
                <tbody>%s</tbody>
                </table></div>""".formatted(rows);
        context.html(Layout.page(session, Layout.Section.CONTAINERS, "Data containers", "<div id=\"containers\" data-live>" + table + "</div>"));
    }

    void show(Context context, WebSession session)
    {
        Dolly dolly = this.dolly.get();
        String reference = context.pathParam("reference");
        DataContainer container = dolly.containers().get(reference, session.caller());
        List<Revision> revisions = dolly.revisions().list(reference, session.caller());
        String base = "/containers/" + Html.pathSegment(container.name());

        StringBuilder details = new StringBuilder("<dl class=\"details\">");
        details.append("<dt>Status</dt><dd>").append(Layout.status(container))
                .append(container.statusMessage() == null ? "" : " <span class=\"detail\">" + Html.text(container.statusMessage()) + "</span>").append("</dd>");
        details.append("<dt>Image</dt><dd><a href=\"/images/").append(container.imageId()).append("\">").append(Html.text(container.imageName())).append("</a></dd>");
        details.append("<dt>Revision</dt><dd id=\"current-revision\">").append(Html.text(container.revision())).append("</dd>");
        details.append("<dt>Engine</dt><dd>").append(Html.text(container.engine() + " " + container.engineVersion())).append("</dd>");
        details.append("<dt>Owner</dt><dd>").append(Html.text(container.owner())).append("</dd>");
        details.append("<dt>Size</dt><dd>").append(Html.bytes(container.sizeBytes())).append("</dd>");
        details.append("<dt>Created</dt><dd>").append(Html.timestamp(container.createdAt())).append("</dd>");
        details.append("<dt>Expires</dt><dd>").append(container.expiresAt() == null ? "never" : Html.expires(container.expiresAt(), Instant.now())).append("</dd>");
        details.append("</dl>");

        String connection = """
                <section aria-labelledby="connection-heading"><h2 id="connection-heading">Connection</h2>
                <dl class="connection">%s%s%s%s</dl></section>
                """.formatted(
                copyable("uri", "URI", container.uri()),
                copyable("jdbc", "JDBC", container.jdbcUrl()),
                copyable("key-value", "Key-value", container.keyValueConnectionString()),
                copyable("connection-line", "spawnctl", connectionLine(container)));

        String actions = """
                <section aria-labelledby="revisions-heading"><h2 id="revisions-heading">Revisions</h2>
                <div class="actions">%s %s</div>
                <div id="revisions" data-live>%s</div>
                <form class="row" method="post" action="%s/graduate">%s
                  <label for="graduate-name">Graduate the current revision to a new image named</label>
                  <input id="graduate-name" name="name" required pattern="[a-zA-Z0-9][a-zA-Z0-9_.-]*">
                  <button type="submit">Graduate</button>
                </form>
                </section>
                <p><a class="danger" href="%s/delete">Delete this container…</a></p>
                """.formatted(
                Layout.button(session, base + "/save", "Save revision", ""),
                Layout.button(session, base + "/reset", "Reset to the image", ""),
                revisionTree(session, base, revisions),
                base, Layout.csrfField(session), base);
        context.html(Layout.page(session, Layout.Section.CONTAINERS, container.name(),
                "<div id=\"container\" data-live>" + details + "</div>" + connection + actions));
    }

    private static String copyable(String id, String label, String value)
    {
        if (value == null || value.isEmpty()) {
            return "";
        }
        return "<dt>" + label + "</dt><dd><code id=\"" + id + "\">" + Html.text(value) + "</code> "
                + "<button type=\"button\" class=\"small\" data-copy=\"" + id + "\" aria-label=\"Copy the " + label + "\">Copy</button></dd>";
    }

    /** spawnctl's line, which scripts written for Spawn read: {@code -> Host=…;Port=…;Username=…;Database=…;Password=…}. */
    static String connectionLine(DataContainer container)
    {
        String database = Objects.requireNonNullElse(container.database(), "");
        if ("mysql".equals(container.engine()) || "mariadb".equals(container.engine())) {
            return "-> Server=" + container.host() + ";Port=" + container.port() + ";User Id=" + container.user() + ";Database=" + database
                    + ";Password=" + container.password();
        }
        return "-> Host=" + container.host() + ";Port=" + container.port() + ";Username=" + container.user() + ";Database=" + database
                + ";Password=" + container.password();
    }

    /** The revisions as a tree: each under the revision it was saved from, with a Load button. */
    private static String revisionTree(WebSession session, String base, List<Revision> revisions)
    {
        if (revisions.isEmpty()) {
            return "<p>No revisions saved yet.</p>";
        }
        Set<String> names = new HashSet<>();
        revisions.forEach(revision -> names.add(revision.name()));
        Map<String, List<Revision>> children = new LinkedHashMap<>();
        List<Revision> roots = new ArrayList<>();
        for (Revision revision : revisions) {
            if (revision.parent() == null || !names.contains(revision.parent())) {
                roots.add(revision);
            }
            else {
                children.computeIfAbsent(revision.parent(), parent -> new ArrayList<>()).add(revision);
            }
        }
        StringBuilder tree = new StringBuilder();
        appendRevisions(tree, session, base, roots, children);
        return tree.toString();
    }

    private static void appendRevisions(StringBuilder tree, WebSession session, String base, List<Revision> level, Map<String, List<Revision>> children)
    {
        tree.append("<ul class=\"tree\">");
        for (Revision revision : level) {
            tree.append("<li data-revision=\"").append(Html.text(revision.name())).append("\"><strong>").append(Html.text(revision.name())).append("</strong>")
                    .append(revision.current() ? " <span class=\"badge\">current</span>" : "")
                    .append(" <span class=\"muted\">").append(Html.timestamp(revision.createdAt())).append(' ').append(Html.bytes(revision.sizeBytes())).append("</span> ")
                    .append("<form class=\"inline\" method=\"post\" action=\"").append(base).append("/load\">").append(Layout.csrfField(session))
                    .append("<input type=\"hidden\" name=\"revision\" value=\"").append(Html.text(revision.name())).append("\">")
                    .append("<button type=\"submit\" class=\"small\" aria-label=\"Load ").append(Html.text(revision.name())).append("\">Load</button></form>");
            List<Revision> below = children.get(revision.name());
            if (below != null) {
                appendRevisions(tree, session, base, below, children);
            }
            tree.append("</li>");
        }
        tree.append("</ul>");
    }

    void save(Context context, WebSession session)
    {
        dolly.get().revisions().save(context.pathParam("reference"), session.caller());
        backToContainer(context);
    }

    void load(Context context, WebSession session)
    {
        dolly.get().revisions().load(context.pathParam("reference"), Forms.required(context.formParam("revision"), "the revision to load"), session.caller());
        backToContainer(context);
    }

    void reset(Context context, WebSession session)
    {
        dolly.get().revisions().reset(context.pathParam("reference"), session.caller());
        backToContainer(context);
    }

    void graduate(Context context, WebSession session)
    {
        DataImage image = dolly.get().revisions().graduate(context.pathParam("reference"),
                new GraduateRequest(null, Forms.required(context.formParam("name"), "the new image's name"), null, null), session.caller());
        context.redirect("/images/" + image.id(), HttpStatus.SEE_OTHER);
    }

    void confirmDelete(Context context, WebSession session)
    {
        DataContainer container = dolly.get().containers().get(context.pathParam("reference"), session.caller());
        String base = "/containers/" + Html.pathSegment(container.name());
        context.html(Layout.page(session, Layout.Section.CONTAINERS, "Delete data container " + container.name() + "?",
                "<p>Data container <strong>" + Html.text(container.name()) + "</strong>, its server, its data and its revisions will be deleted.</p>"
                        + Layout.button(session, base + "/delete", "Delete data container", "danger") + " <a href=\"" + base + "\">Cancel</a>"));
    }

    void delete(Context context, WebSession session)
    {
        dolly.get().containers().delete(context.pathParam("reference"), session.caller());
        context.redirect("/containers", HttpStatus.SEE_OTHER);
    }

    private static void backToContainer(Context context)
    {
        context.redirect("/containers/" + Forms.pathSegment(context.pathParam("reference")), HttpStatus.SEE_OTHER);
    }
}
