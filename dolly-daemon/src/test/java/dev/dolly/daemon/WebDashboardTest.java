package dev.dolly.daemon;

import dev.dolly.api.DollyHome;
import dev.dolly.api.Json;
import dev.dolly.api.TransformReport;
import dev.dolly.core.Dolly;
import dev.dolly.core.DollyConfiguration;
import dev.dolly.core.catalog.Catalog;
import dev.dolly.core.testing.FakeEngine;
import dev.dolly.core.testing.FakeEngineServices;
import dev.dolly.core.tls.SelfSignedCertificates;
import dev.dolly.core.tls.TlsIdentity;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The web dashboard over real HTTP, with the services of a home on a fake engine: the session cookie's attributes,
 * sign-out, the form token and origin checks on requests that change something, HTML escaping, and the same
 * authorisation as the API. {@code TestWebDashboard} (dolly-tests) drives it in a real browser.
 */
class WebDashboardTest
{
    private static final String PASSWORD = "correct horse battery";
    private static final Pattern CSRF = Pattern.compile("name=\"csrf\" value=\"([^\"]+)\"");

    @TempDir
    Path directory;

    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).followRedirects(HttpClient.Redirect.NEVER)
            .connectTimeout(Duration.ofSeconds(5)).build();
    private DollyConfiguration configuration;
    private DaemonServices services;
    private ApiServer server;
    private URI base;
    private String admin;

    @BeforeEach
    void setUp()
            throws IOException
    {
        configuration = FakeEngineServices.configuration(directory.resolve("home"));
        services = new DaemonServices(configuration, Dolly.open(configuration, List.of(new FakeEngine())));
        server = new ApiServer(services, () -> {});
        int port = server.start("127.0.0.1", 0, Optional.empty());
        base = URI.create("http://127.0.0.1:" + port);
        admin = Files.readString(DollyHome.adminTokenFile(configuration.home())).strip();
        for (String user : List.of("alice", "bob")) {
            HttpResponse<String> created = send(HttpRequest.newBuilder(base.resolve("/api/v1/users")).header("Authorization", "Bearer " + admin)
                    .POST(BodyPublishers.ofString(json(Map.of("name", user, "password", PASSWORD, "admin", false)))));
            assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        }
    }

    @AfterEach
    void tearDown()
    {
        server.stop();
        services.close();
    }

    @Test
    void signInSetsAStrictScriptProofCookieAndSignOutRevokesTheSession()
    {
        HttpResponse<String> root = get("/", null);
        assertThat(root.statusCode()).isEqualTo(303);
        assertThat(root.headers().firstValue("Location")).contains("/login");
        HttpResponse<String> form = get("/login", null);
        assertThat(form.statusCode()).isEqualTo(200);
        assertThat(form.headers().firstValue("Content-Type").orElseThrow()).startsWith("text/html");
        assertThat(form.body()).contains("<label for=\"username\">User name</label>").contains("<label for=\"password\">Password</label>");

        HttpResponse<String> wrong = post("/login", null, null, "username", "alice\"><b>", "password", "wrong");
        assertThat(wrong.statusCode()).isEqualTo(401);
        assertThat(wrong.body()).contains("Wrong user name or password.").contains("value=\"alice&quot;&gt;&lt;b&gt;\"").doesNotContain("<b>");
        assertThat(wrong.headers().firstValue("Set-Cookie")).isEmpty();

        String cookie = signIn("alice");
        HttpResponse<String> images = get("/images", cookie);
        assertThat(images.statusCode()).isEqualTo(200);
        assertThat(images.headers().firstValue("Content-Security-Policy").orElseThrow()).contains("script-src 'self'");
        assertThat(images.body()).contains("alice").contains("No data images yet");

        HttpResponse<String> signedOut = post("/logout", cookie, csrfToken(images.body()));
        assertThat(signedOut.statusCode()).isEqualTo(303);
        assertThat(signedOut.headers().firstValue("Location")).contains("/login");
        assertThat(signedOut.headers().firstValue("Set-Cookie").orElseThrow()).startsWith("dolly_session=;").contains("Max-Age=0");
        // the session is revoked, not just forgotten by the browser
        assertThat(get("/images", cookie).statusCode()).isEqualTo(303);
    }

    @Test
    void theCookieIsSecureUnderTls()
            throws Exception
    {
        SelfSignedCertificates.Pair certificate = SelfSignedCertificates.generate(Files.createDirectories(directory.resolve("tls")), "dolly-test-server", "RSA", "ip:127.0.0.1");
        ApiServer tlsServer = new ApiServer(services, () -> {});
        try {
            int port = tlsServer.start("127.0.0.1", 0, Optional.of(TlsIdentity.load(certificate.certificate(), certificate.key())));
            KeyStore trusted = KeyStore.getInstance(KeyStore.getDefaultType());
            trusted.load(null, null);
            trusted.setCertificateEntry("dolly", certificate.x509());
            TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            trust.init(trusted);
            SSLContext ssl = SSLContext.getInstance("TLS");
            ssl.init(null, trust.getTrustManagers(), null);
            try (HttpClient tlsClient = HttpClient.newBuilder().sslContext(ssl).followRedirects(HttpClient.Redirect.NEVER).build()) {
                HttpResponse<String> signedIn = tlsClient.send(HttpRequest.newBuilder(URI.create("https://127.0.0.1:" + port + "/login"))
                        .header("Content-Type", "application/x-www-form-urlencoded").POST(BodyPublishers.ofString(form("username", "alice", "password", PASSWORD))).build(),
                        BodyHandlers.ofString());
                assertThat(signedIn.statusCode()).as(signedIn.body()).isEqualTo(303);
                assertThat(signedIn.headers().firstValue("Set-Cookie").orElseThrow()).contains("; HttpOnly").contains("; SameSite=Strict").endsWith("; Secure");
            }
        }
        finally {
            tlsServer.stop();
        }
    }

    @Test
    void requestsThatChangeSomethingNeedTheSessionsFormTokenAndTheDaemonsOrigin()
    {
        String cookie = signIn("alice");
        String token = csrfToken(get("/tokens", cookie).body());
        String purpose = "<script>alert('owned')</script>";

        HttpResponse<String> withoutToken = post("/tokens", cookie, null, "purpose", purpose);
        assertThat(withoutToken.statusCode()).isEqualTo(403);
        assertThat(withoutToken.body()).contains("nothing was changed");
        HttpResponse<String> otherSessionsToken = post("/tokens", cookie, "x" + token.substring(1), "purpose", purpose);
        assertThat(otherSessionsToken.statusCode()).isEqualTo(403);
        HttpResponse<String> otherOrigin = send(HttpRequest.newBuilder(base.resolve("/tokens")).header("Cookie", cookie).header("Origin", "https://attacker.example")
                .header("Content-Type", "application/x-www-form-urlencoded").POST(BodyPublishers.ofString(form("csrf", token, "purpose", purpose))));
        assertThat(otherOrigin.statusCode()).isEqualTo(403);
        assertThat(get("/tokens", cookie).body()).contains("No access tokens yet");

        HttpResponse<String> created = send(HttpRequest.newBuilder(base.resolve("/tokens")).header("Cookie", cookie).header("Origin", base.toString())
                .header("Content-Type", "application/x-www-form-urlencoded").POST(BodyPublishers.ofString(form("csrf", token, "purpose", purpose))));
        assertThat(created.statusCode()).isEqualTo(201);
        // shown once, and every text of the user's is shown as text
        assertThat(created.body()).contains("id=\"new-token\">dolly_").contains("&lt;script&gt;alert(&#39;owned&#39;)&lt;/script&gt;").doesNotContain("<script>alert");
        assertThat(get("/tokens", cookie).body()).doesNotContain("id=\"new-token\"").contains("&lt;script&gt;alert(");

        // a form token of one session is no good in another
        String otherSession = signIn("alice");
        assertThat(post("/tokens", otherSession, token, "purpose", "second").statusCode()).isEqualTo(403);
        // nor is a cookie without a session
        assertThat(post("/tokens", null, token, "purpose", "third").statusCode()).isEqualTo(403);
    }

    @Test
    void aUserSeesWhatTheApiShowsThem()
    {
        String alice = signIn("alice");
        String bob = signIn("bob");
        assertThat(get("/teams", bob).statusCode()).isEqualTo(403);
        assertThat(get("/containers/nothing", bob).statusCode()).isEqualTo(404);
        assertThat(get("/containers/nothing", bob).body()).contains("Data container &#39;nothing&#39; not found");
        assertThat(get("/images?name=%3Cscript%3E", alice).body()).contains("value=\"&lt;script&gt;\"").doesNotContain("value=\"<script>");
        assertThat(get("/server", alice).body()).contains("copy").contains(FakeEngine.NAME);
        String opsCookie = signInAdmin();
        assertThat(get("/teams", opsCookie).body()).contains("alice").contains("bob");
    }

    @Test
    void aContainerStoppedForWantOfClientsShowsAsStoppedIdle()
            throws Exception
    {
        String aliceToken = apiSession("alice");
        buildImage(aliceToken, "widgets", null);
        HttpResponse<String> created = send(api("/api/v1/containers", aliceToken)
                .POST(BodyPublishers.ofString(json(Map.of("image", "widgets", "name", "sleepy", "idleStop", "1s")))));
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        createContainer(aliceToken, "widgets", "awake");

        String alice = signIn("alice");
        String details = awaitPage(alice, "/containers/sleepy", "Stopped (idle)");
        assertThat(details).contains("<span class=\"status status-stopped\">Stopped (idle)</span>");
        assertThat(get("/containers", alice).body()).contains("Stopped (idle)");
        // positive control: a container without an idle stop stays Ready, and one stopped by hand is plain Stopped
        assertThat(get("/containers/awake", alice).body()).contains(">Ready</span>").doesNotContain("Stopped");
        HttpResponse<String> stopped = send(api("/api/v1/containers/awake/stop", aliceToken).POST(BodyPublishers.noBody()));
        assertThat(stopped.statusCode()).as(stopped.body()).isEqualTo(200);
        assertThat(get("/containers/awake", alice).body()).contains(">Stopped</span>").doesNotContain("Stopped (idle)");
    }

    @Test
    void theRoutesPageCreatesSwitchesAndDeletesTheCallersRoutesOnly()
            throws Exception
    {
        String aliceToken = apiSession("alice");
        buildImage(aliceToken, "widgets", null);
        createContainer(aliceToken, "widgets", "copy-1");
        createContainer(aliceToken, "widgets", "copy-2");
        String bobToken = apiSession("bob");
        buildImage(bobToken, "gizmos", null);
        createContainer(bobToken, "gizmos", "bob-1");

        String alice = signIn("alice");
        HttpResponse<String> empty = get("/routes", alice);
        assertThat(empty.statusCode()).isEqualTo(200);
        assertThat(empty.body()).contains("aria-current=\"page\">Routes</a>").contains("No routes yet")
                .contains("<label for=\"route-name\">Name</label>").contains("<label for=\"route-container\">Data container</label>")
                .contains("<option value=\"copy-1\">").contains("<option value=\"copy-2\">").doesNotContain("bob-1");
        String token = csrfToken(empty.body());
        int port = freePort();

        // without the form token nothing is created, pointed or deleted
        assertThat(post("/routes", alice, null, "name", "app-db", "port", String.valueOf(port), "container", "copy-1").statusCode()).isEqualTo(403);
        assertThat(get("/routes", alice).body()).contains("No routes yet");

        HttpResponse<String> created = post("/routes", alice, token, "name", "app-db", "port", String.valueOf(port), "container", "copy-1");
        assertThat(created.statusCode()).as(created.body()).isEqualTo(303);
        assertThat(created.headers().firstValue("Location")).contains("/routes");
        String listed = get("/routes", alice).body();
        assertThat(listed).contains("<tr data-route=\"app-db\"><th scope=\"row\">app-db</th><td class=\"number\">" + port + "</td>"
                + "<td><a href=\"/containers/copy-1\">copy-1</a></td><td class=\"number\">0</td><td><span class=\"status status-listening\">Listening</span></td>");
        assertThat(listed).contains("<label for=\"update-route\">Route</label>").contains("<option value=\"app-db\">app-db</option>")
                .contains("<input type=\"checkbox\" name=\"drop-connections\" value=\"true\"> Drop open connections");
        // the route really listens
        try (Socket socket = new Socket("127.0.0.1", port)) {
            assertThat(socket.isConnected()).isTrue();
        }

        assertThat(post("/routes/update", alice, null, "route", "app-db", "container", "copy-2").statusCode()).isEqualTo(403);
        assertThat(apiGet("/api/v1/routes/app-db", aliceToken)).contains("\"container\":\"copy-1\"");
        HttpResponse<String> switched = post("/routes/update", alice, token, "route", "app-db", "container", "copy-2", "drop-connections", "true");
        assertThat(switched.statusCode()).as(switched.body()).isEqualTo(303);
        assertThat(apiGet("/api/v1/routes/app-db", aliceToken)).contains("\"container\":\"copy-2\"");
        assertThat(get("/routes", alice).body()).contains("<td><a href=\"/containers/copy-2\">copy-2</a></td>");

        // a name is checked by the service, and shown back as text
        HttpResponse<String> badName = post("/routes", alice, token, "name", "<img src=x onerror=alert(1)>", "port", String.valueOf(freePort()), "container", "copy-1");
        assertThat(badName.statusCode()).isEqualTo(400);
        assertThat(badName.body()).contains("Name &#39;&lt;img src=x onerror=alert(1)&gt;&#39; is not valid").doesNotContain("<img src=x")
                .contains("<a href=\"/routes\">Back</a>");
        HttpResponse<String> badPort = post("/routes", alice, token, "name", "other", "port", "nine", "container", "copy-1");
        assertThat(badPort.statusCode()).isEqualTo(400);
        assertThat(badPort.body()).contains("Port &#39;nine&#39; is not a number");

        // bob's route is not alice's to see or delete
        String bob = signIn("bob");
        HttpResponse<String> bobCreated = post("/routes", bob, csrfToken(get("/routes", bob).body()), "name", "bob-route", "port", String.valueOf(freePort()),
                "container", "bob-1");
        assertThat(bobCreated.statusCode()).as(bobCreated.body()).isEqualTo(303);
        assertThat(get("/routes", bob).body()).contains("data-route=\"bob-route\"").doesNotContain("data-route=\"app-db\"");
        assertThat(get("/routes", alice).body()).doesNotContain("bob-route");
        assertThat(get("/routes/bob-route/delete", alice).statusCode()).isEqualTo(404);
        assertThat(post("/routes/bob-route/delete", alice, token).statusCode()).isEqualTo(404);
        assertThat(post("/routes/update", alice, token, "route", "bob-route", "container", "copy-1").statusCode()).isEqualTo(404);
        assertThat(apiGet("/api/v1/routes/bob-route", bobToken)).contains("\"container\":\"bob-1\"");
        // nor may alice point her route at bob's container
        assertThat(post("/routes/update", alice, token, "route", "app-db", "container", "bob-1").statusCode()).isEqualTo(404);

        HttpResponse<String> confirm = get("/routes/app-db/delete", alice);
        assertThat(confirm.statusCode()).isEqualTo(200);
        assertThat(confirm.body()).contains("Delete route app-db?").contains("stops listening on port " + port).contains("action=\"/routes/app-db/delete\"");
        assertThat(post("/routes/app-db/delete", alice, null).statusCode()).isEqualTo(403);
        assertThat(get("/routes", alice).body()).contains("data-route=\"app-db\"");
        HttpResponse<String> deleted = post("/routes/app-db/delete", alice, token);
        assertThat(deleted.statusCode()).isEqualTo(303);
        assertThat(get("/routes", alice).body()).contains("No routes yet");
        assertThat(get("/routes", bob).body()).contains("data-route=\"bob-route\"");
    }

    @Test
    void theSchedulesPageRunsAndDeletesTheCallersSchedulesOnly()
            throws Exception
    {
        String aliceToken = apiSession("alice");
        HttpResponse<String> scheduled = send(api("/api/v1/schedules", aliceToken).POST(BodyPublishers.ofString(json(Map.of(
                "name", "nightly", "definition", FakeEngineServices.definition("widgets"), "upload", upload(aliceToken), "cron", "0 2 * * *", "timeZone", "UTC")))));
        assertThat(scheduled.statusCode()).as(scheduled.body()).isEqualTo(201);

        String alice = signIn("alice");
        HttpResponse<String> page = get("/schedules", alice);
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.body()).contains("aria-current=\"page\">Schedules</a>")
                .contains("<tr data-schedule=\"nightly\"><th scope=\"row\">nightly</th><td><a href=\"/images?name=widgets\">widgets</a></td>")
                .contains("<td><code>0 2 * * *</code> <span class=\"muted\">UTC</span></td><td>never</td><td><span class=\"muted\">not run yet</span></td>")
                .contains("aria-label=\"Run schedule nightly now\">Run now</button>").contains("dolly create schedule NAME -f image.yaml");
        String token = csrfToken(page.body());

        // bob sees none of it, and may neither run nor delete it
        String bob = signIn("bob");
        String bobToken = csrfToken(get("/schedules", bob).body());
        assertThat(get("/schedules", bob).body()).contains("No scheduled builds yet").doesNotContain("nightly");
        assertThat(post("/schedules/nightly/run", bob, bobToken).statusCode()).isEqualTo(404);
        assertThat(get("/schedules/nightly/delete", bob).statusCode()).isEqualTo(404);
        assertThat(post("/schedules/nightly/delete", bob, bobToken).statusCode()).isEqualTo(404);
        HttpResponse<String> escaped = post("/schedules/%3Cb%3Ebold/run", alice, token);
        assertThat(escaped.statusCode()).isEqualTo(404);
        assertThat(escaped.body()).contains("&lt;b&gt;bold").doesNotContain("<b>bold").contains("<a href=\"/schedules\">Back</a>");

        assertThat(post("/schedules/nightly/run", alice, null).statusCode()).isEqualTo(403);
        assertThat(apiGet("/api/v1/images", aliceToken)).doesNotContain("widgets");
        HttpResponse<String> run = post("/schedules/nightly/run", alice, token);
        assertThat(run.statusCode()).as(run.body()).isEqualTo(303);
        assertThat(run.headers().firstValue("Location")).contains("/schedules");
        String result = awaitPage(alice, "/schedules", "status-succeeded");
        assertThat(result).containsPattern("<span class=\"status status-succeeded\">Succeeded</span> <a href=\"/images/\\d+\"><span class=\"detail\">Built image \\d+\\.</span></a>")
                .doesNotContain("<td>never</td><td><span class=\"status");
        assertThat(apiGet("/api/v1/images", aliceToken)).contains("widgets");

        HttpResponse<String> confirm = get("/schedules/nightly/delete", alice);
        assertThat(confirm.statusCode()).isEqualTo(200);
        assertThat(confirm.body()).contains("Delete schedule nightly?").contains("The images it built stay.");
        assertThat(post("/schedules/nightly/delete", alice, null).statusCode()).isEqualTo(403);
        assertThat(get("/schedules", alice).body()).contains("data-schedule=\"nightly\"");
        assertThat(post("/schedules/nightly/delete", alice, token).statusCode()).isEqualTo(303);
        assertThat(get("/schedules", alice).body()).contains("No scheduled builds yet");
    }

    @Test
    void theImagePageShowsItsPoolAndItsTransformReport()
            throws Exception
    {
        String aliceToken = apiSession("alice");
        long plain = buildImage(aliceToken, "plain", null);
        long pooled = buildImage(aliceToken, "widgets", 1);
        String alice = signIn("alice");
        String plainPage = get("/images/" + plain, alice).body();
        assertThat(plainPage).contains("<div id=\"image-transform\" data-live></div>").doesNotContain("Warm pool");
        assertThat(awaitPage(alice, "/images/" + pooled, "<span id=\"pool\">1 ready of 1</span>")).contains("<dt>Warm pool</dt>");

        TransformReport report = new TransformReport("9f2c0e", List.of(new TransformReport.TableRows("public.customers", 1000, 100)),
                List.of(new TransformReport.MaskedColumn("public.customers.email", "fake-email", 97)), List.of("public.customers.<phone>"), "passed", 42);
        Catalog.open(configuration.catalogFile()).images().setTransformReport(pooled, Json.json().writeValueAsString(report));
        String page = get("/images/" + pooled, alice).body();
        assertThat(page).contains("<h2 id=\"transform-heading\">Transform</h2>").contains("<code id=\"transform-digest\">9f2c0e</code>")
                .contains("<span id=\"leak-check\" class=\"status status-ready\">Passed</span>")
                .contains("<tr><th scope=\"row\">public.customers</th><td class=\"number\">1000</td><td class=\"number\">100</td></tr>")
                .contains("<tr><th scope=\"row\">public.customers.email</th><td>fake-email</td><td class=\"number\">97</td></tr>")
                .contains("<li><code>public.customers.&lt;phone&gt;</code></li>").doesNotContain("<phone>");
        assertThat(get("/images/" + plain, alice).body()).doesNotContain("transform-heading");
    }

    private String apiSession(String user)
    {
        HttpResponse<String> session = send(api("/api/v1/sessions", null).POST(BodyPublishers.ofString(json(Map.of("name", user, "password", PASSWORD)))));
        assertThat(session.statusCode()).as(session.body()).isEqualTo(201);
        Matcher token = Pattern.compile("\"token\":\"([^\"]+)\"").matcher(session.body());
        assertThat(token.find()).isTrue();
        return token.group(1);
    }

    private String upload(String apiToken)
    {
        byte[] files = FakeEngineServices.definitionFiles();
        HttpResponse<String> upload = send(api("/api/v1/uploads?size=" + files.length, apiToken).header("Content-Type", "application/zip")
                .POST(BodyPublishers.ofByteArray(files)));
        assertThat(upload.statusCode()).as(upload.body()).isEqualTo(201);
        Matcher id = Pattern.compile("\"id\":\"([^\"]+)\"").matcher(upload.body());
        assertThat(id.find()).as(upload.body()).isTrue();
        return id.group(1);
    }

    /** Builds an image from an upload as the CLI does with a remote daemon, and waits until it is READY. */
    private long buildImage(String apiToken, String name, Integer pool)
            throws InterruptedException
    {
        Map<String, Object> request = new HashMap<>(Map.of("definition", FakeEngineServices.definition(name), "upload", upload(apiToken)));
        if (pool != null) {
            request.put("pool", pool);
        }
        HttpResponse<String> created = send(api("/api/v1/images", apiToken).POST(BodyPublishers.ofString(json(request))));
        assertThat(created.statusCode()).as(created.body()).isEqualTo(202);
        Matcher id = Pattern.compile("\"id\":(\\d+)").matcher(created.body());
        assertThat(id.find()).isTrue();
        long imageId = Long.parseLong(id.group(1));
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (System.nanoTime() < deadline) {
            String image = apiGet("/api/v1/images/" + imageId, apiToken);
            if (!image.contains("\"status\":\"PENDING\"")) {
                assertThat(image).contains("\"status\":\"READY\"");
                return imageId;
            }
            Thread.sleep(10);
        }
        throw new AssertionError("Image " + name + " was not built in time");
    }

    private void createContainer(String apiToken, String image, String name)
    {
        HttpResponse<String> created = send(api("/api/v1/containers", apiToken).POST(BodyPublishers.ofString(json(Map.of("image", image, "name", name)))));
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
    }

    /** The page once it contains the text, as the dashboard's script would see it change. */
    private String awaitPage(String cookie, String path, String text)
            throws InterruptedException
    {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        String body = "";
        while (System.nanoTime() < deadline) {
            body = get(path, cookie).body();
            if (body.contains(text)) {
                return body;
            }
            Thread.sleep(20);
        }
        throw new AssertionError(path + " never showed " + text + ":\n" + body);
    }

    private String apiGet(String path, String apiToken)
    {
        HttpResponse<String> response = send(api(path, apiToken).GET());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return response.body();
    }

    private HttpRequest.Builder api(String path, String apiToken)
    {
        HttpRequest.Builder request = HttpRequest.newBuilder(base.resolve(path)).header("Content-Type", "application/json");
        return apiToken == null ? request : request.header("Authorization", "Bearer " + apiToken);
    }

    private static int freePort()
            throws IOException
    {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    private String signInAdmin()
    {
        HttpResponse<String> created = send(HttpRequest.newBuilder(base.resolve("/api/v1/users")).header("Authorization", "Bearer " + admin)
                .POST(BodyPublishers.ofString(json(Map.of("name", "ops", "password", PASSWORD, "admin", true)))));
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        return signIn("ops");
    }

    private String signIn(String user)
    {
        HttpResponse<String> signedIn = post("/login", null, null, "username", user, "password", PASSWORD);
        assertThat(signedIn.statusCode()).as(signedIn.body()).isEqualTo(303);
        assertThat(signedIn.headers().firstValue("Location")).contains("/images");
        String setCookie = signedIn.headers().firstValue("Set-Cookie").orElseThrow();
        assertThat(setCookie).startsWith("dolly_session=dolly_").contains("; HttpOnly").contains("; SameSite=Strict").contains("; Path=/").doesNotContain("Secure");
        return setCookie.substring(0, setCookie.indexOf(';'));
    }

    private static String csrfToken(String html)
    {
        Matcher matcher = CSRF.matcher(html);
        assertThat(matcher.find()).as(html).isTrue();
        return matcher.group(1);
    }

    private HttpResponse<String> get(String path, String cookie)
    {
        HttpRequest.Builder request = HttpRequest.newBuilder(base.resolve(path));
        if (cookie != null) {
            request.header("Cookie", cookie);
        }
        return send(request.GET());
    }

    private HttpResponse<String> post(String path, String cookie, String csrf, String... fields)
    {
        List<String> all = new ArrayList<>(List.of(fields));
        if (csrf != null) {
            all.add("csrf");
            all.add(csrf);
        }
        HttpRequest.Builder request = HttpRequest.newBuilder(base.resolve(path)).header("Content-Type", "application/x-www-form-urlencoded")
                .POST(BodyPublishers.ofString(form(all.toArray(String[]::new))));
        if (cookie != null) {
            request.header("Cookie", cookie);
        }
        return send(request);
    }

    private static String form(String... fields)
    {
        StringBuilder body = new StringBuilder();
        for (int index = 0; index < fields.length; index += 2) {
            body.append(body.isEmpty() ? "" : "&").append(URLEncoder.encode(fields[index], StandardCharsets.UTF_8)).append('=')
                    .append(URLEncoder.encode(fields[index + 1], StandardCharsets.UTF_8));
        }
        return body.toString();
    }

    private static String json(Object value)
    {
        try {
            return Json.json().writeValueAsString(value);
        }
        catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private HttpResponse<String> send(HttpRequest.Builder request)
    {
        try {
            return client.send(request.timeout(Duration.ofSeconds(30)).build(), BodyHandlers.ofString());
        }
        catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
