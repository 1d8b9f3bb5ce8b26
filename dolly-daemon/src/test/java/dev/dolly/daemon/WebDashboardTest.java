package dev.dolly.daemon;

import dev.dolly.api.DollyHome;
import dev.dolly.api.Json;
import dev.dolly.core.Dolly;
import dev.dolly.core.DollyConfiguration;
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
    private DaemonServices services;
    private ApiServer server;
    private URI base;
    private String admin;

    @BeforeEach
    void setUp()
            throws IOException
    {
        DollyConfiguration configuration = FakeEngineServices.configuration(directory.resolve("home"));
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
