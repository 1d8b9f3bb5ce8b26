package dev.dolly.daemon.web;

import dev.dolly.api.AccessToken;
import dev.dolly.api.CreateAccessTokenRequest;
import dev.dolly.api.DataContainer;
import dev.dolly.api.DataImage;
import dev.dolly.api.NewAccessToken;
import dev.dolly.api.ServerInfo;
import dev.dolly.api.Team;
import dev.dolly.api.User;
import dev.dolly.core.Dolly;
import io.javalin.http.Context;
import io.javalin.http.HttpStatus;

import java.time.Instant;
import java.util.List;
import java.util.function.Supplier;

import static java.util.Objects.requireNonNull;

/** The pages about who uses the daemon and the daemon itself: Teams & users (administrators), Access tokens, Server. */
final class AccountPages
{
    private final Supplier<Dolly> dolly;

    AccountPages(Supplier<Dolly> dolly)
    {
        this.dolly = requireNonNull(dolly, "dolly is null");
    }

    void teams(Context context, WebSession session)
    {
        // the services refuse a user who is not an administrator, as the API does
        List<User> users = dolly.get().users().list(session.caller());
        List<Team> teams = dolly.get().users().listTeams(session.caller());
        StringBuilder userRows = new StringBuilder();
        for (User user : users) {
            userRows.append("<tr><th scope=\"row\">").append(Html.text(user.name())).append("</th><td>").append(user.admin() ? "yes" : "")
                    .append("</td><td>").append(Html.list(user.teams())).append("</td><td>").append(Html.timestamp(user.createdAt())).append("</td></tr>");
        }
        StringBuilder teamRows = new StringBuilder();
        for (Team team : teams) {
            teamRows.append("<tr><th scope=\"row\">").append(Html.text(team.name())).append("</th><td>").append(Html.list(team.members()))
                    .append("</td><td>").append(Html.timestamp(team.createdAt())).append("</td></tr>");
        }
        context.html(Layout.page(session, Layout.Section.TEAMS, "Teams & users", """
                <section aria-labelledby="users-heading"><h2 id="users-heading">Users</h2>
                <div class="table"><table><thead><tr><th scope="col">User</th><th scope="col">Administrator</th><th scope="col">Teams</th><th scope="col">Created</th></tr></thead>
                <tbody>%s</tbody></table></div></section>
                <section aria-labelledby="teams-heading"><h2 id="teams-heading">Teams</h2>
                %s</section>
                <p class="muted">Users and teams are managed with <code>dolly create user</code>, <code>dolly create team</code> and <code>dolly update team</code>.</p>
                """.formatted(userRows, teams.isEmpty() ? "<p>No teams yet.</p>"
                : "<div class=\"table\"><table><thead><tr><th scope=\"col\">Team</th><th scope=\"col\">Members</th><th scope=\"col\">Created</th></tr></thead><tbody>"
                        + teamRows + "</tbody></table></div>")));
    }

    void tokens(Context context, WebSession session)
    {
        context.html(tokensPage(session, null));
    }

    void createToken(Context context, WebSession session)
    {
        NewAccessToken token = dolly.get().accessTokens().create(session.caller(),
                new CreateAccessTokenRequest(Forms.required(context.formParam("purpose"), "the token's purpose"), Forms.optional(context.formParam("expires"))));
        context.status(HttpStatus.CREATED).html(tokensPage(session, token));
    }

    void revokeToken(Context context, WebSession session)
    {
        dolly.get().accessTokens().delete(session.caller(), context.pathParam("id"));
        context.redirect("/tokens", HttpStatus.SEE_OTHER);
    }

    private String tokensPage(WebSession session, NewAccessToken created)
    {
        List<AccessToken> tokens = dolly.get().accessTokens().list(session.caller());
        Instant now = Instant.now();
        StringBuilder rows = new StringBuilder();
        for (AccessToken token : tokens) {
            rows.append("<tr><th scope=\"row\">").append(Html.text(token.purpose())).append("</th><td>").append(Html.timestamp(token.createdAt()))
                    .append("</td><td>").append(Html.timestamp(token.lastUsedAt())).append("</td><td>")
                    .append(token.expiresAt() == null ? "never" : Html.expires(token.expiresAt(), now)).append("</td><td>")
                    .append(Layout.button(session, "/tokens/" + token.id() + "/revoke", "Revoke", "small danger")).append("</td></tr>");
        }
        String shown = created == null ? "" : """
                <div class="notice" role="status">
                <p>Access token <strong>%s</strong> created. Copy it now: it is not shown again.</p>
                <p><code id="new-token">%s</code> <button type="button" class="small" data-copy="new-token" aria-label="Copy the new token">Copy</button></p>
                </div>
                """.formatted(Html.text(created.purpose()), Html.text(created.token()));
        return Layout.page(session, Layout.Section.TOKENS, "Access tokens", shown + """
                <p>Access tokens let scripts and pipelines act as you: <code>DOLLY_ACCESS_TOKEN=… dolly get data-images</code>.</p>
                %s
                <form class="stacked" method="post" action="/tokens">
                  %s
                  <label for="token-purpose">Purpose</label>
                  <input id="token-purpose" name="purpose" required placeholder="nightly refresh">
                  <label for="token-expires">Expires after <span class="muted">(optional, such as 30d)</span></label>
                  <input id="token-expires" name="expires">
                  <button type="submit">Create access token</button>
                </form>
                """.formatted(tokens.isEmpty() ? "<p>No access tokens yet.</p>"
                : "<div class=\"table\"><table><thead><tr><th scope=\"col\">Purpose</th><th scope=\"col\">Created</th><th scope=\"col\">Last used</th>"
                        + "<th scope=\"col\">Expires</th><th scope=\"col\"><span class=\"visually-hidden\">Actions</span></th></tr></thead><tbody>" + rows + "</tbody></table></div>",
                Layout.csrfField(session)));
    }

    void server(Context context, WebSession session)
    {
        Dolly dolly = this.dolly.get();
        ServerInfo info = dolly.info();
        List<DataImage> images = dolly.images().list(session.caller());
        List<DataContainer> containers = dolly.containers().list(session.caller(), null);
        long largest = 1;
        for (DataImage image : images) {
            largest = Math.max(largest, image.sizeBytes() == null ? 0 : image.sizeBytes());
        }
        for (DataContainer container : containers) {
            largest = Math.max(largest, container.sizeBytes() == null ? 0 : container.sizeBytes());
        }
        StringBuilder chart = new StringBuilder();
        for (DataImage image : images) {
            bar(chart, "image " + image.name() + " #" + image.id(), image.sizeBytes(), largest);
        }
        for (DataContainer container : containers) {
            bar(chart, "container " + container.name(), container.sizeBytes(), largest);
        }
        StringBuilder engines = new StringBuilder();
        for (ServerInfo.EngineInfo engine : info.engines()) {
            engines.append("<tr><th scope=\"row\">").append(Html.text(engine.engine())).append("</th><td>").append(Html.text(engine.defaultVersion()))
                    .append("</td><td>").append(Html.list(engine.installedVersions())).append("</td><td>").append(Html.list(engine.availableMajors()))
                    .append("</td><td>").append(Html.list(engine.systemInstallations())).append("</td></tr>");
        }
        String space = info.storageTotalBytes() == null ? "<p>The storage's space is not known.</p>" : """
                <p><meter id="storage-meter" min="0" max="%d" value="%d" aria-label="Storage used">%s</meter>
                %s used, %s free of %s</p>
                """.formatted(info.storageTotalBytes(), info.storageUsedBytes(), Html.bytes(info.storageUsedBytes()),
                Html.bytes(info.storageUsedBytes()), Html.bytes(info.storageFreeBytes()), Html.bytes(info.storageTotalBytes()));
        context.html(Layout.page(session, Layout.Section.SERVER, "Server", """
                <div id="server" data-live>
                <dl class="details">
                <dt>Version</dt><dd>%s</dd>
                <dt>Storage driver</dt><dd>%s <span class="detail">%s</span></dd>
                <dt>Container ports</dt><dd>%s</dd>
                <dt>Routes</dt><dd>%s</dd>
                </dl>
                <section aria-labelledby="space-heading"><h2 id="space-heading">Storage space</h2>%s</section>
                <section aria-labelledby="usage-heading"><h2 id="usage-heading">Disk used per image and container</h2>
                %s</section>
                </div>
                <section aria-labelledby="engines-heading"><h2 id="engines-heading">Engines</h2>
                <div class="table"><table><thead><tr><th scope="col">Engine</th><th scope="col">Default</th><th scope="col">Installed</th>
                <th scope="col">Available</th><th scope="col">System installations</th></tr></thead><tbody>%s</tbody></table></div></section>
                """.formatted(Html.text(info.version()), Html.text(info.storageDriver()), Html.text(info.storageDriverReason()), Html.text(info.containerPorts()),
                Html.text(info.routes()), space, chart.isEmpty() ? "<p>No images or containers.</p>" : "<table class=\"chart\"><tbody>" + chart + "</tbody></table>", engines)));
    }

    private static void bar(StringBuilder chart, String label, Long bytes, long largest)
    {
        long value = bytes == null ? 0 : bytes;
        chart.append("<tr><th scope=\"row\">").append(Html.text(label)).append("</th><td><meter min=\"0\" max=\"").append(largest).append("\" value=\"")
                .append(value).append("\" aria-label=\"").append(Html.text(label)).append("\"></meter></td><td class=\"number\">").append(Html.bytes(bytes))
                .append("</td></tr>");
    }
}
