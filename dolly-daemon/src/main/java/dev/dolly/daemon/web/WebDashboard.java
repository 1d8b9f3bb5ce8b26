package dev.dolly.daemon.web;

import dev.dolly.api.DollyException;
import dev.dolly.api.ErrorCode;
import dev.dolly.api.SignInRequest;
import dev.dolly.api.SessionToken;
import dev.dolly.core.Dolly;
import dev.dolly.core.auth.Authentication;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.javalin.http.Handler;
import io.javalin.http.HandlerType;
import io.javalin.http.HttpStatus;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.function.Supplier;

import static java.util.Objects.requireNonNull;

/**
 * The web dashboard, served by the daemon next to the API: server-rendered pages that call the same services with the
 * same {@code Caller} as the API, so a user sees and may do in a browser exactly what the CLI lets them.
 *
 * <p>Signing in makes a session as {@code dolly auth login} does (it expires and is revoked alike); its token is kept
 * in a cookie that scripts cannot read ({@code HttpOnly}), that is sent only over TLS when the daemon serves TLS
 * ({@code Secure}) and never with a request that another site starts ({@code SameSite=Strict}). Every request that
 * changes something must be a POST that carries the session's form token ({@link WebSession}) in the form or in the
 * {@value #CSRF_HEADER} header, and, when the browser names its origin, come from the daemon's own.
 */
public final class WebDashboard
{
    private static final Logger LOG = LoggerFactory.getLogger(WebDashboard.class);
    static final String COOKIE = "dolly_session";
    static final String CSRF_FIELD = "csrf";
    static final String CSRF_HEADER = "X-CSRF-Token";
    private static final String STATIC = "/static/";

    private final Supplier<Dolly> dolly;
    private final ImagePages imagePages;
    private final ContainerPages containerPages;
    private final AccountPages accountPages;
    private final RoutePages routePages;
    private final SchedulePages schedulePages;

    public WebDashboard(Supplier<Dolly> dolly)
    {
        this.dolly = requireNonNull(dolly, "dolly is null");
        this.imagePages = new ImagePages(dolly);
        this.containerPages = new ContainerPages(dolly);
        this.accountPages = new AccountPages(dolly);
        this.routePages = new RoutePages(dolly);
        this.schedulePages = new SchedulePages(dolly);
    }

    /** Adds the dashboard's pages to the daemon's routes: {@code /}, {@code /login} and the pages of the navigation. */
    public void register(RoutesConfig routes)
    {
        routes.get("/", context -> context.redirect(session(context).isPresent() ? "/images" : "/login", HttpStatus.SEE_OTHER));
        routes.get("/login", context -> page(context, () -> loginPage(context, null)));
        routes.post("/login", this::signIn);
        routes.post("/logout", signedIn((context, session) -> {
            dolly.get().accessTokens().signOut(session.authentication());
            context.header("Set-Cookie", cookie(context, "", Duration.ZERO));
            context.redirect("/login", HttpStatus.SEE_OTHER);
        }));
        routes.get(STATIC + "dashboard.css", context -> resource(context, "dashboard.css", "text/css; charset=utf-8"));
        routes.get(STATIC + "dashboard.js", context -> resource(context, "dashboard.js", "text/javascript; charset=utf-8"));

        routes.get("/images", signedIn(imagePages::list));
        routes.get("/images/{reference}", signedIn(imagePages::show));
        routes.post("/images/{reference}/containers", signedIn(imagePages::createContainer));
        routes.post("/images/{reference}/update", signedIn(imagePages::update));
        routes.get("/images/{reference}/delete", signedIn(imagePages::confirmDelete));
        routes.post("/images/{reference}/delete", signedIn(imagePages::delete));

        routes.get("/containers", signedIn(containerPages::list));
        routes.get("/containers/{reference}", signedIn(containerPages::show));
        routes.post("/containers/{reference}/save", signedIn(containerPages::save));
        routes.post("/containers/{reference}/load", signedIn(containerPages::load));
        routes.post("/containers/{reference}/reset", signedIn(containerPages::reset));
        routes.post("/containers/{reference}/graduate", signedIn(containerPages::graduate));
        routes.get("/containers/{reference}/delete", signedIn(containerPages::confirmDelete));
        routes.post("/containers/{reference}/delete", signedIn(containerPages::delete));

        routes.get("/routes", signedIn(routePages::list));
        routes.post("/routes", signedIn(routePages::create));
        routes.post("/routes/update", signedIn(routePages::update));
        routes.get("/routes/{reference}/delete", signedIn(routePages::confirmDelete));
        routes.post("/routes/{reference}/delete", signedIn(routePages::delete));

        routes.get("/schedules", signedIn(schedulePages::list));
        routes.post("/schedules/{name}/run", signedIn(schedulePages::run));
        routes.get("/schedules/{name}/delete", signedIn(schedulePages::confirmDelete));
        routes.post("/schedules/{name}/delete", signedIn(schedulePages::delete));

        routes.get("/teams", signedIn(accountPages::teams));
        routes.get("/tokens", signedIn(accountPages::tokens));
        routes.post("/tokens", signedIn(accountPages::createToken));
        routes.post("/tokens/{id}/revoke", signedIn(accountPages::revokeToken));
        routes.get("/server", signedIn(accountPages::server));
    }

    /** A page of a signed-in user. */
    @FunctionalInterface
    interface PageHandler
    {
        void handle(Context context, WebSession session)
                throws Exception;
    }

    private Handler signedIn(PageHandler handler)
    {
        return context -> {
            securityHeaders(context);
            Optional<WebSession> session = session(context);
            if (session.isEmpty()) {
                if (context.method().equals(HandlerType.GET)) {
                    context.redirect("/login", HttpStatus.SEE_OTHER);
                }
                else {
                    context.status(HttpStatus.FORBIDDEN).html(Layout.document("Not signed in",
                            "<main id=\"main\"><h1>Not signed in</h1><p>This request needs a signed-in session: <a href=\"/login\">sign in</a>, then try again.</p></main>"));
                }
                return;
            }
            if (!context.method().equals(HandlerType.GET) && (!isSameOrigin(context) || !session.get().isCsrfToken(sentCsrfToken(context)))) {
                LOG.warn("Refused a {} {} of user {} without this dashboard's form token or from another origin ({})",
                        context.method(), context.path(), session.get().caller().name(), context.header("Origin"));
                context.status(HttpStatus.FORBIDDEN).html(Layout.page(session.get(), null, "Request refused",
                        "<p class=\"error\" role=\"alert\">This request did not come from a page of this dashboard (its form token is missing or wrong), "
                                + "so nothing was changed. Reload the page and try again.</p>"));
                return;
            }
            try {
                handler.handle(context, session.get());
            }
            catch (DollyException e) {
                context.status(e.errorCode().httpStatus()).html(Layout.page(session.get(), null, title(e.errorCode()),
                        "<p class=\"error\" role=\"alert\">" + Html.text(e.getMessage()) + "</p>"
                                + "<p><a href=\"" + Html.text(backLink(context)) + "\">Back</a></p>"));
            }
        };
    }

    private static String title(ErrorCode code)
    {
        return switch (code) {
            case NOT_FOUND -> "Not found";
            case NOT_PERMITTED -> "Not permitted";
            case BAD_INPUT -> "Cannot do that";
            default -> "Failed";
        };
    }

    /** The page a failed action goes back to: the resource's page for an action on it, else the list. */
    private static String backLink(Context context)
    {
        String path = context.path();
        // routes and schedules have no page of their own: their list is it
        for (String list : new String[] {"/routes", "/schedules"}) {
            if (path.equals(list) || path.startsWith(list + "/")) {
                return list;
            }
        }
        if (!context.method().equals(HandlerType.GET)) {
            int slash = path.lastIndexOf('/');
            return slash > 0 ? path.substring(0, slash) : "/images";
        }
        return path.startsWith("/containers") ? "/containers" : "/images";
    }

    private void signIn(Context context)
    {
        securityHeaders(context);
        if (!isSameOrigin(context)) {
            context.status(HttpStatus.FORBIDDEN);
            page(context, () -> loginPage(context, "This sign-in form was sent from another site; sign in from this page."));
            return;
        }
        String name = context.formParam("username");
        String password = context.formParam("password");
        SessionToken session;
        try {
            session = dolly.get().accessTokens().signIn(new SignInRequest(name, password), context.ip());
        }
        catch (DollyException e) {
            context.status(e.errorCode().httpStatus());
            page(context, () -> loginPage(context, e.getMessage()));
            return;
        }
        context.header("Set-Cookie", cookie(context, session.token(), Duration.between(Instant.now(), session.expiresAt())));
        context.redirect("/images", HttpStatus.SEE_OTHER);
    }

    private static String loginPage(Context context, String error)
    {
        String username = Optional.ofNullable(context.formParam("username")).orElse("");
        return Layout.document("Sign in", """
                <main id="main" class="signin">
                <h1>Sign in to Dolly</h1>
                %s
                <form method="post" action="/login">
                  <label for="username">User name</label>
                  <input id="username" name="username" autocomplete="username" required autofocus value="%s">
                  <label for="password">Password</label>
                  <input id="password" name="password" type="password" autocomplete="current-password" required>
                  <button type="submit">Sign in</button>
                </form>
                </main>
                """.formatted(error == null ? "" : "<p class=\"error\" role=\"alert\">" + Html.text(error) + "</p>", Html.text(username)));
    }

    private void page(Context context, Supplier<String> html)
    {
        securityHeaders(context);
        context.html(html.get());
    }

    private Optional<WebSession> session(Context context)
    {
        String token = context.cookie(COOKIE);
        if (token == null || token.isBlank()) {
            return Optional.empty();
        }
        Optional<Authentication> authentication = dolly.get().accessTokens().authenticate(token);
        return authentication.map(value -> WebSession.of(value, token));
    }

    private static String sentCsrfToken(Context context)
    {
        String header = context.header(CSRF_HEADER);
        return header != null ? header : context.formParam(CSRF_FIELD);
    }

    /**
     * Whether a request that changes something comes from a page of the daemon itself, as far as the browser says
     * ({@code Origin}; browsers send it with every POST). A request without it (not from a browser) passes here and
     * still needs the form token.
     */
    private static boolean isSameOrigin(Context context)
    {
        String origin = context.header("Origin");
        if (origin == null) {
            return true;
        }
        try {
            URI uri = URI.create(origin);
            String host = context.header("Host");
            return uri.getScheme() != null && uri.getScheme().equals(context.scheme()) && host != null && host.equalsIgnoreCase(uri.getRawAuthority());
        }
        catch (IllegalArgumentException e) {
            return false;
        }
    }

    private static String cookie(Context context, String value, Duration lifetime)
    {
        return COOKIE + "=" + value + "; Path=/; Max-Age=" + Math.max(0, lifetime.toSeconds()) + "; HttpOnly; SameSite=Strict"
                + ("https".equals(context.scheme()) ? "; Secure" : "");
    }

    private static void securityHeaders(Context context)
    {
        // scripts and styles only from the daemon's files: an injected script would not run even if escaping failed
        context.header("Content-Security-Policy", "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
                + "form-action 'self'; frame-ancestors 'none'; base-uri 'none'");
        context.header("X-Content-Type-Options", "nosniff");
        context.header("Referrer-Policy", "same-origin");
        context.header("Cache-Control", "no-store");
    }

    private static void resource(Context context, String name, String contentType)
    {
        try (InputStream input = WebDashboard.class.getResourceAsStream(name)) {
            if (input == null) {
                throw new IllegalStateException("The daemon's jar lacks its dashboard file " + name);
            }
            context.contentType(contentType).header("Cache-Control", "no-cache").result(input.readAllBytes());
        }
        catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
