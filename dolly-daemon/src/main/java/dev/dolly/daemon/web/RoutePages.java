package dev.dolly.daemon.web;

import dev.dolly.api.CreateRouteRequest;
import dev.dolly.api.DataContainer;
import dev.dolly.api.DollyException;
import dev.dolly.api.Route;
import dev.dolly.api.UpdateRouteRequest;
import dev.dolly.core.Dolly;
import io.javalin.http.Context;
import io.javalin.http.HttpStatus;

import java.util.List;
import java.util.function.Supplier;

import static java.util.Objects.requireNonNull;

/**
 * The Routes page: the caller's routes (every one for an administrator) as {@code dolly get routes} lists them, and the
 * forms to create one, point one at another container and delete one, through the same {@code RouteService} calls as
 * the API.
 */
final class RoutePages
{
    private final Supplier<Dolly> dolly;

    RoutePages(Supplier<Dolly> dolly)
    {
        this.dolly = requireNonNull(dolly, "dolly is null");
    }

    void list(Context context, WebSession session)
    {
        Dolly dolly = this.dolly.get();
        List<Route> routes = dolly.routes().list(session.caller());
        List<DataContainer> containers = dolly.containers().list(session.caller(), null);
        StringBuilder rows = new StringBuilder();
        for (Route route : routes) {
            String base = "/routes/" + Html.pathSegment(route.name());
            rows.append("<tr data-route=\"").append(Html.text(route.name())).append("\">")
                    .append("<th scope=\"row\">").append(Html.text(route.name())).append("</th>")
                    .append("<td class=\"number\">").append(route.port()).append("</td>")
                    .append("<td>").append(target(route)).append("</td>")
                    .append("<td class=\"number\">").append(route.connections()).append("</td>")
                    .append("<td>").append(status(route)).append("</td>")
                    .append("<td><a class=\"danger\" href=\"").append(base).append("/delete\" aria-label=\"Delete route ").append(Html.text(route.name()))
                    .append("\">Delete…</a></td>")
                    .append("</tr>\n");
        }
        String table = routes.isEmpty()
                ? "<p>No routes yet: a route is a port that stays the same while the container behind it changes. Create one below.</p>"
                : """
                <div class="table"><table>
                <caption class="visually-hidden">Routes</caption>
                <thead><tr><th scope="col">Name</th><th scope="col">Port</th><th scope="col">Target</th><th scope="col">Connections</th>
                <th scope="col">Status</th><th scope="col"><span class="visually-hidden">Actions</span></th></tr></thead>
                <tbody>%s</tbody>
                </table></div>""".formatted(rows);

        StringBuilder containerNames = new StringBuilder();
        for (DataContainer container : containers) {
            containerNames.append("<option value=\"").append(Html.text(container.name())).append("\">");
        }
        StringBuilder routeNames = new StringBuilder();
        for (Route route : routes) {
            routeNames.append("<option value=\"").append(Html.text(route.name())).append("\">").append(Html.text(route.name())).append("</option>");
        }
        String create = """
                <section aria-labelledby="create-route-heading"><h2 id="create-route-heading">New route</h2>
                <form class="stacked" method="post" action="/routes">
                  %s
                  <label for="route-name">Name</label>
                  <input id="route-name" name="name" required pattern="[a-zA-Z0-9][a-zA-Z0-9_.-]*" maxlength="63">
                  <label for="route-port">Port <span class="muted">(outside the containers' port range)</span></label>
                  <input id="route-port" name="port" type="number" min="1" max="65535" required>
                  <label for="route-container">Data container</label>
                  <input id="route-container" name="container" list="container-names" required>
                  <button type="submit">Create route</button>
                </form>
                </section>
                """.formatted(Layout.csrfField(session));
        String update = routes.isEmpty() ? "" : """
                <section aria-labelledby="update-route-heading"><h2 id="update-route-heading">Point a route at another container</h2>
                <form class="stacked" method="post" action="/routes/update">
                  %s
                  <label for="update-route">Route</label>
                  <select id="update-route" name="route" required>%s</select>
                  <label for="update-container">Data container</label>
                  <input id="update-container" name="container" list="container-names" required>
                  <label class="check"><input type="checkbox" name="drop-connections" value="true"> Drop open connections
                  <span class="muted">(otherwise they stay on the old container until they end)</span></label>
                  <button type="submit">Point the route</button>
                </form>
                </section>
                """.formatted(Layout.csrfField(session), routeNames);
        context.html(Layout.page(session, Layout.Section.ROUTES, "Routes",
                "<div id=\"routes\" data-live>" + table + "</div>" + create + update
                        + "<datalist id=\"container-names\">" + containerNames + "</datalist>"));
    }

    private static String target(Route route)
    {
        if (route.container() == null) {
            return "<span class=\"muted\">(container deleted)</span>";
        }
        return "<a href=\"/containers/" + Html.pathSegment(route.container()) + "\">" + Html.text(route.container()) + "</a>";
    }

    private static String status(Route route)
    {
        if (route.listening()) {
            return "<span class=\"status status-listening\">Listening</span>";
        }
        return "<span class=\"status status-not-listening\">Not listening</span>"
                + (route.statusMessage() == null ? "" : " <span class=\"detail\">" + Html.text(route.statusMessage()) + "</span>");
    }

    void create(Context context, WebSession session)
    {
        CreateRouteRequest request = new CreateRouteRequest(
                Forms.required(context.formParam("name"), "the route's name"),
                port(Forms.required(context.formParam("port"), "the route's port")),
                Forms.required(context.formParam("container"), "the data container the route relays to"));
        dolly.get().routes().create(request, session.caller());
        context.redirect("/routes", HttpStatus.SEE_OTHER);
    }

    void update(Context context, WebSession session)
    {
        String route = Forms.required(context.formParam("route"), "the route to point");
        UpdateRouteRequest request = new UpdateRouteRequest(Forms.required(context.formParam("container"), "the data container to point the route at"),
                "true".equals(context.formParam("drop-connections")));
        dolly.get().routes().update(route, request, session.caller());
        context.redirect("/routes", HttpStatus.SEE_OTHER);
    }

    void confirmDelete(Context context, WebSession session)
    {
        Route route = dolly.get().routes().get(context.pathParam("reference"), session.caller());
        String base = "/routes/" + Html.pathSegment(route.name());
        context.html(Layout.page(session, Layout.Section.ROUTES, "Delete route " + route.name() + "?",
                "<p>Route <strong>" + Html.text(route.name()) + "</strong> stops listening on port " + route.port()
                        + " and closes the connections open through it (" + route.connections() + " now). "
                        + "The container it relays to stays.</p>"
                        + Layout.button(session, base + "/delete", "Delete route", "danger") + " <a href=\"/routes\">Cancel</a>"));
    }

    void delete(Context context, WebSession session)
    {
        dolly.get().routes().delete(context.pathParam("reference"), session.caller());
        context.redirect("/routes", HttpStatus.SEE_OTHER);
    }

    private static int port(String value)
    {
        try {
            return Integer.parseInt(value);
        }
        catch (NumberFormatException e) {
            throw DollyException.badInput("Port '" + value + "' is not a number: give the port the route listens on, such as 9160.");
        }
    }
}
