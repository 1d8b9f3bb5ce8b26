package dev.dolly.daemon.web;

import java.util.List;

/** The frame of every page: head, the navigation with the signed-in user and sign-out, and the main content. */
final class Layout
{
    /** A section of the navigation: its link and its label. */
    enum Section
    {
        IMAGES("/images", "Images"),
        CONTAINERS("/containers", "Containers"),
        ROUTES("/routes", "Routes"),
        SCHEDULES("/schedules", "Schedules"),
        TEAMS("/teams", "Teams & users"),
        TOKENS("/tokens", "Access tokens"),
        SERVER("/server", "Server");

        private final String path;
        private final String label;

        Section(String path, String label)
        {
            this.path = path;
            this.label = label;
        }
    }

    private Layout() {}

    static String page(WebSession session, Section current, String title, String content)
    {
        StringBuilder navigation = new StringBuilder();
        for (Section section : List.of(Section.values())) {
            if (section == Section.TEAMS && !session.caller().admin()) {
                continue;
            }
            navigation.append("<li><a href=\"").append(section.path).append('"')
                    .append(section == current ? " aria-current=\"page\"" : "")
                    .append('>').append(section.label).append("</a></li>");
        }
        String header = """
                <header class="top">
                  <nav aria-label="Main">
                    <a class="brand" href="/images">Dolly</a>
                    <ul>%s</ul>
                  </nav>
                  <form class="signout" method="post" action="/logout">
                    %s
                    <span class="user" title="Signed in">%s%s</span>
                    <button type="submit">Sign out</button>
                  </form>
                </header>
                """.formatted(navigation, csrfField(session), Html.text(session.caller().name()), session.caller().admin() ? " (administrator)" : "");
        return document(title, header + "<main id=\"main\">\n<h1>" + Html.text(title) + "</h1>\n" + content + "\n</main>");
    }

    /** A page without navigation: sign-in and errors before sign-in. */
    static String document(String title, String body)
    {
        return """
                <!DOCTYPE html>
                <html lang="en">
                <head>
                <meta charset="utf-8">
                <meta name="viewport" content="width=device-width, initial-scale=1">
                <title>%s · Dolly</title>
                <link rel="stylesheet" href="/static/dashboard.css">
                <script src="/static/dashboard.js" defer></script>
                </head>
                <body>
                <a class="skip" href="#main">Skip to the content</a>
                %s
                </body>
                </html>
                """.formatted(Html.text(title), body);
    }

    /** The hidden field that carries the session's token against cross-site requests in every form that changes something. */
    static String csrfField(WebSession session)
    {
        return "<input type=\"hidden\" name=\"" + WebDashboard.CSRF_FIELD + "\" value=\"" + Html.text(session.csrfToken()) + "\">";
    }

    /** A form of one button that posts to {@code action}. */
    static String button(WebSession session, String action, String label, String extraClass)
    {
        return button(session, action, label, extraClass, null);
    }

    /** A form of one button that posts to {@code action}, with an accessible name that says what it acts on when its label does not. */
    static String button(WebSession session, String action, String label, String extraClass, String accessibleName)
    {
        return "<form class=\"inline\" method=\"post\" action=\"" + Html.text(action) + "\">" + csrfField(session)
                + "<button type=\"submit\"" + (extraClass.isEmpty() ? "" : " class=\"" + extraClass + "\"")
                + (accessibleName == null ? "" : " aria-label=\"" + Html.text(accessibleName) + "\"") + ">" + Html.text(label) + "</button></form>";
    }

    static String status(dev.dolly.api.ResourceStatus status)
    {
        String name = status == null ? "" : status.displayName();
        return statusBadge(name, name);
    }

    /** A container's status as the CLI shows it: {@code Stopped (idle)} for a server stopped for want of clients. */
    static String status(dev.dolly.api.DataContainer container)
    {
        String name = container.status() == null ? "" : container.status().displayName();
        return statusBadge(name, container.statusDisplayName());
    }

    private static String statusBadge(String kind, String text)
    {
        return "<span class=\"status status-" + Html.text(kind.toLowerCase(java.util.Locale.ROOT)) + "\">" + Html.text(text) + "</span>";
    }
}
