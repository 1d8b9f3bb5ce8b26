package dev.dolly.tests;

import com.microsoft.playwright.APIResponse;
import com.microsoft.playwright.Browser;
import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.BrowserType;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.Playwright;
import com.microsoft.playwright.Response;
import com.microsoft.playwright.Route;
import com.microsoft.playwright.options.AriaRole;
import com.microsoft.playwright.options.Cookie;
import com.microsoft.playwright.options.SameSiteAttribute;
import dev.dolly.api.DataContainer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.net.URI;
import java.net.URLDecoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The web dashboard in a real browser (Debian's chromium, driven by Playwright), against a real daemon on btrfs with
 * real PostgreSQL servers: alice signs in, watches the Chinook image she builds become ready without reloading,
 * starts a container from its page, copies its URI and queries it with JDBC, saves, changes the data, loads rev.0 and
 * gets it back, and deletes the container; bob does not see it; a cross-site POST and a POST without the form token
 * are refused; signing out revokes the session. Screenshots of every page go to {@code DOLLY_SCREENSHOTS} (the
 * README's are in {@code docs/images}), or to {@code target/dashboard-screenshots}.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TestWebDashboard
{
    private static final Path CHINOOK = DaemonProcess.PROJECT_ROOT.resolve("examples/chinook");
    private static final String ALICE_PASSWORD = "alice's long password";
    private static final String BOB_PASSWORD = "bob's long password!";
    private static final String OPS_PASSWORD = "the operator's password";
    private static final String CONTAINER = "alice-chinook";
    private static final String SECOND_CONTAINER = "alice-chinook-2";
    /** Outside the daemon's default container ports (54320-54999) and the ports of {@code TestRoutes}. */
    // above the kernel's range of ephemeral ports, which client connections of other tests may take
    private static final int ROUTE_PORT = 61910;
    private static final String INJECTED = "<script>window.injected = true</script>";

    private DaemonProcess daemon;
    private DaemonUsers users;
    private Cli alice;
    private String base;
    private Path screenshots;
    private Playwright playwright;
    private Browser browser;

    @BeforeAll
    void startDaemonAndBrowser()
            throws Exception
    {
        // fails rather than skips: CI installs chromium (.ci/run), and a missing browser must not pass for a tested dashboard
        Path chromium = Path.of(System.getenv().getOrDefault("DOLLY_TEST_CHROMIUM", "/usr/bin/chromium"));
        if (!Files.isExecutable(chromium)) {
            throw new AssertionError("The dashboard test needs Debian's chromium at " + chromium + ": install it with 'apt-get install chromium' "
                    + "(.ci/run does), or name another build of Chromium in DOLLY_TEST_CHROMIUM.");
        }
        screenshots = Path.of(System.getenv().getOrDefault("DOLLY_SCREENSHOTS", "target/dashboard-screenshots")).toAbsolutePath();
        Files.createDirectories(screenshots);

        daemon = DaemonProcess.withNewHome(DaemonOnDriver.testFileSystem("DOLLY_TEST_BTRFS"), Map.of()).start();
        Cli admin = new Cli(daemon.environment());
        users = new DaemonUsers(daemon, admin);
        admin.succeedWithStdin(ALICE_PASSWORD + "\n", "create", "user", "alice", "--password-stdin");
        admin.succeedWithStdin(BOB_PASSWORD + "\n", "create", "user", "bob", "--password-stdin");
        admin.succeedWithStdin(OPS_PASSWORD + "\n", "create", "user", "ops", "--admin", "--password-stdin");
        admin.succeed("create", "team", "acme:developers");
        admin.succeed("update", "team", "acme:developers", "--add-member", "alice", "--add-member", "bob");
        alice = users.signIn("alice", ALICE_PASSWORD);
        base = daemon.address().url().replaceAll("/+$", "");

        // the browser's driver comes from the jar; the browser is the system's (its download host is not reachable)
        playwright = Playwright.create(new Playwright.CreateOptions().setEnv(Map.of("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1")));
        browser = playwright.chromium().launch(new BrowserType.LaunchOptions().setExecutablePath(chromium).setHeadless(true)
                .setArgs(List.of("--no-sandbox")));
    }

    @AfterAll
    void stopEverything()
            throws Exception
    {
        if (browser != null) {
            browser.close();
        }
        if (playwright != null) {
            playwright.close();
        }
        if (users != null) {
            users.deleteEverythingAndStop();
        }
    }

    @Test
    void aUserBuildsUsesAndDeletesAContainerInTheBrowser()
            throws Exception
    {
        BrowserContext aliceBrowser = browser.newContext(new Browser.NewContextOptions().setViewportSize(1200, 800));
        aliceBrowser.grantPermissions(List.of("clipboard-read", "clipboard-write"), new BrowserContext.GrantPermissionsOptions().setOrigin(base));
        Page page = aliceBrowser.newPage();

        // not signed in: / leads to the sign-in form, which sets a strict, script-proof cookie and leads to the images
        page.navigate(base + "/");
        assertThat(page.url()).isEqualTo(base + "/login");
        screenshot(page, "login");
        signIn(page, "alice", "a wrong password");
        assertThat(page.locator("[role=alert]").textContent()).isEqualTo("Wrong user name or password.");
        signIn(page, "alice", ALICE_PASSWORD);
        assertThat(page.url()).isEqualTo(base + "/images");
        Cookie session = aliceBrowser.cookies().stream().filter(cookie -> cookie.name.equals("dolly_session")).findFirst().orElseThrow();
        assertThat(session.httpOnly).isTrue();
        assertThat(session.sameSite).isEqualTo(SameSiteAttribute.STRICT);
        assertThat(session.secure).isFalse();
        assertThat(page.evaluate("() => document.cookie")).isEqualTo("");

        // the build starts from the CLI; the open page follows it to Ready without a reload
        page.evaluate("() => { window.notReloaded = true; }");
        assertThat(page.textContent("main")).contains("No data images yet");
        Path definition = chinookDefinition();
        alice.succeed("create", "data-image", "-f", definition.toString(), "--no-wait", "-q");
        page.locator("tr[data-image='chinook'] .status-ready").waitFor(new com.microsoft.playwright.Locator.WaitForOptions().setTimeout(180_000));
        assertThat(page.evaluate("() => window.notReloaded")).isEqualTo(true);
        assertThat(page.locator("tr[data-image='chinook']").textContent()).contains("sample").contains("postgresql 17").contains("acme:developers");
        screenshot(page, "images");

        // the image's page: its definition as text (a script in it does not run), and a new container
        page.getByRole(AriaRole.LINK, new Page.GetByRoleOptions().setName("chinook").setExact(true)).click();
        assertThat(page.locator("#definition").textContent()).contains(INJECTED);
        assertThat(page.evaluate("() => window.injected === undefined")).isEqualTo(true);
        page.getByLabel("Name (optional)").fill(CONTAINER);
        page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("New container")).click();
        page.waitForURL(base + "/containers/" + CONTAINER);
        screenshot(page, "container");

        // the URI, copied with its button and read from the clipboard, connects with JDBC
        String uri = page.locator("#uri").textContent();
        page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Copy the URI")).click();
        assertThat(page.evaluate("() => navigator.clipboard.readText()")).isEqualTo(uri);
        assertThat(page.locator("#connection-line").textContent()).startsWith("-> Host=");
        try (Connection connection = connect(uri); Statement statement = connection.createStatement()) {
            assertThat(count(statement, "select count(*) from track")).isEqualTo(3503);
            assertThat(count(statement, "select count(*) from invoice_line")).isEqualTo(2240);
        }

        // save, change the data, load rev.0: the data is back
        page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Save revision")).click();
        page.locator("li[data-revision='rev.1']").waitFor();
        try (Connection connection = connect(uri); Statement statement = connection.createStatement()) {
            statement.execute("delete from invoice_line");
            assertThat(count(statement, "select count(*) from invoice_line")).isZero();
        }
        page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Load rev.0")).click();
        page.waitForURL(base + "/containers/" + CONTAINER);
        assertThat(page.locator("#current-revision").textContent()).isEqualTo("rev.0");
        try (Connection connection = connect(page.locator("#uri").textContent()); Statement statement = connection.createStatement()) {
            assertThat(count(statement, "select count(*) from invoice_line")).isEqualTo(2240);
        }
        screenshot(page, "container");
        page.navigate(base + "/images");
        page.getByRole(AriaRole.LINK, new Page.GetByRoleOptions().setName("chinook").setExact(true)).click();
        assertThat(page.locator("#image-containers").textContent()).contains(CONTAINER);
        screenshot(page, "image");
        page.navigate(base + "/containers");
        assertThat(page.locator("tr[data-container='" + CONTAINER + "']").textContent()).contains("chinook").contains("rev.0");
        screenshot(page, "containers");

        // bob, in the same team, sees the shared image but not alice's container
        BrowserContext bobBrowser = browser.newContext();
        Page bobPage = bobBrowser.newPage();
        bobPage.navigate(base + "/login");
        signIn(bobPage, "bob", BOB_PASSWORD);
        assertThat(bobPage.locator("tr[data-image='chinook']").count()).isEqualTo(1);
        bobPage.navigate(base + "/containers");
        assertThat(bobPage.textContent("main")).contains("No data containers yet");
        Response notFound = bobPage.navigate(base + "/containers/" + CONTAINER);
        assertThat(notFound.status()).isEqualTo(404);
        assertThat(bobPage.textContent("main")).contains("Data container '" + CONTAINER + "' not found");
        bobBrowser.close();

        // a POST with alice's cookie but without the form token is refused, and so is one that another site starts
        APIResponse withoutToken = aliceBrowser.request().post(base + "/containers/" + CONTAINER + "/delete");
        assertThat(withoutToken.status()).isEqualTo(403);
        assertThat(withoutToken.text()).contains("form token is missing or wrong");
        Page attacker = aliceBrowser.newPage();
        attacker.route("http://attacker.test/**", route -> route.fulfill(new Route.FulfillOptions().setContentType("text/html").setBody("""
                <form id="f" method="post" action="%s/containers/%s/delete"><input name="csrf" value="guessed"></form>
                <script>document.getElementById('f').submit();</script>
                """.formatted(base, CONTAINER))));
        attacker.navigate("http://attacker.test/");
        attacker.waitForURL(base + "/containers/" + CONTAINER + "/delete");
        assertThat(attacker.textContent("main")).containsAnyOf("Not signed in", "did not come from a page of this dashboard");
        attacker.close();
        assertThat(alice.json(DataContainer.class, "get", "data-container", CONTAINER).name()).isEqualTo(CONTAINER);

        // the other pages
        page.navigate(base + "/tokens");
        page.getByLabel("Purpose").fill("nightly refresh");
        page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Create access token")).click();
        String token = page.locator("#new-token").textContent();
        assertThat(token).startsWith("dolly_");
        assertThat(alice.with(Map.of("DOLLY_ACCESS_TOKEN", token)).succeed("get", "data-containers").stdout()).contains(CONTAINER);
        screenshot(page, "tokens");
        page.navigate(base + "/server");
        assertThat(page.textContent("main")).contains("btrfs").contains("container " + CONTAINER).contains("image chinook");
        screenshot(page, "server");
        Response teams = page.navigate(base + "/teams");
        assertThat(teams.status()).isEqualTo(403);
        BrowserContext opsBrowser = browser.newContext(new Browser.NewContextOptions().setViewportSize(1200, 800));
        Page opsPage = opsBrowser.newPage();
        opsPage.navigate(base + "/login");
        signIn(opsPage, "ops", OPS_PASSWORD);
        opsPage.navigate(base + "/teams");
        assertThat(opsPage.textContent("main")).contains("acme:developers").contains("alice, bob");
        screenshot(opsPage, "teams");
        opsBrowser.close();

        // a route made on the Routes page reaches the container; pointed at another container, new connections go there
        page.navigate(base + "/routes");
        page.getByLabel("Name", new Page.GetByLabelOptions().setExact(true)).fill("app-db");
        page.getByLabel("Port").fill(String.valueOf(ROUTE_PORT));
        page.getByLabel("Data container").fill(CONTAINER);
        page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Create route")).click();
        page.waitForURL(base + "/routes");
        page.locator("tr[data-route='app-db'] .status-listening").waitFor();
        assertThat(page.locator("tr[data-route='app-db']").textContent()).contains(String.valueOf(ROUTE_PORT)).contains(CONTAINER);
        String routeUri = alice.json(DataContainer.class, "get", "data-container", CONTAINER).uri().replaceFirst(":\\d+/", ":" + ROUTE_PORT + "/");
        try (Connection connection = connect(routeUri); Statement statement = connection.createStatement()) {
            assertThat(count(statement, "select count(*) from invoice_line")).isEqualTo(2240);
        }
        DataContainer second = alice.json(DataContainer.class, "create", "data-container", "-i", "chinook", "-n", SECOND_CONTAINER);
        try (Connection connection = connect(second.uri()); Statement statement = connection.createStatement()) {
            statement.execute("delete from invoice_line");
        }
        page.getByLabel("Route", new Page.GetByLabelOptions().setExact(true)).selectOption("app-db");
        page.locator("#update-container").fill(SECOND_CONTAINER);
        page.getByLabel("Drop open connections").check();
        page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Point the route")).click();
        page.locator("tr[data-route='app-db'] a[href='/containers/" + SECOND_CONTAINER + "']").waitFor();
        try (Connection connection = connect(second.uri().replaceFirst(":\\d+/", ":" + ROUTE_PORT + "/")); Statement statement = connection.createStatement()) {
            assertThat(count(statement, "select count(*) from invoice_line")).isZero();
        }
        screenshot(page, "routes");
        page.getByRole(AriaRole.LINK, new Page.GetByRoleOptions().setName("Delete route app-db")).click();
        page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Delete route")).click();
        page.waitForURL(base + "/routes");
        assertThat(page.textContent("main")).contains("No routes yet");
        alice.succeed("delete", "data-container", SECOND_CONTAINER);

        // a schedule made with the CLI, run from the Schedules page: the open page follows the run to its result
        alice.succeed("create", "schedule", "nightly", "-f", definition.toString(), "--cron", "0 2 * * *", "--time-zone", "UTC");
        page.navigate(base + "/schedules");
        assertThat(page.locator("tr[data-schedule='nightly']").textContent()).contains("chinook").contains("0 2 * * *").contains("not run yet");
        page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Run schedule nightly now")).click();
        page.waitForURL(base + "/schedules");
        page.locator("tr[data-schedule='nightly'] .status-succeeded").waitFor(new com.microsoft.playwright.Locator.WaitForOptions().setTimeout(180_000));
        screenshot(page, "schedules");
        page.getByRole(AriaRole.LINK, new Page.GetByRoleOptions().setName("Delete schedule nightly")).click();
        page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Delete schedule")).click();
        page.waitForURL(base + "/schedules");
        assertThat(page.textContent("main")).contains("No scheduled builds yet");

        // delete, after a confirmation
        page.navigate(base + "/containers/" + CONTAINER);
        page.getByRole(AriaRole.LINK, new Page.GetByRoleOptions().setName("Delete this container…")).click();
        page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Delete data container")).click();
        page.waitForURL(base + "/containers");
        assertThat(page.locator("tr[data-container='" + CONTAINER + "']").count()).isZero();
        assertThat(alice.run("get", "data-container", CONTAINER).exitCode()).isEqualTo(2);

        // signing out revokes the session: its cookie no longer works, even if kept
        String sessionToken = aliceBrowser.cookies().stream().filter(cookie -> cookie.name.equals("dolly_session")).findFirst().orElseThrow().value;
        assertThat(status(sessionToken)).isEqualTo(200);
        page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Sign out")).click();
        page.waitForURL(base + "/login");
        assertThat(status(sessionToken)).isEqualTo(303);
        aliceBrowser.close();
    }

    private static void signIn(Page page, String user, String password)
    {
        page.getByLabel("User name").fill(user);
        page.getByLabel("Password").fill(password);
        page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Sign in")).click();
        page.waitForLoadState();
    }

    /** Chinook with a script in a comment of its definition, which the image's page must show as text. */
    private Path chinookDefinition()
            throws Exception
    {
        Path directory = daemon.home().getParent().resolve("chinook");
        Files.createDirectories(directory);
        Files.copy(CHINOOK.resolve("Chinook_PostgreSql.sql"), directory.resolve("Chinook_PostgreSql.sql"));
        Path definition = directory.resolve("image.yaml");
        Files.writeString(definition, """
                # The Chinook sample database. %s
                name: chinook
                sourceType: backup
                engine: postgresql
                version: 17
                backup:
                  folder: ./
                  file: Chinook_PostgreSql.sql
                tags: [sample]
                teams: [acme:developers]
                """.formatted(INJECTED));
        return definition;
    }

    private void screenshot(Page page, String name)
    {
        page.screenshot(new Page.ScreenshotOptions().setPath(screenshots.resolve("dashboard-" + name + ".png")).setFullPage(true));
    }

    /** The status of the Images page for a session cookie, without following a redirect. */
    private int status(String sessionToken)
            throws Exception
    {
        try (HttpClient client = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build()) {
            HttpRequest request = HttpRequest.newBuilder(URI.create(base + "/images")).header("Cookie", "dolly_session=" + sessionToken).build();
            return client.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
        }
    }

    /** A JDBC connection from a {@code postgresql://user:password@host:port/database} URI. */
    private static Connection connect(String uri)
            throws SQLException
    {
        URI parsed = URI.create(uri);
        String[] credentials = parsed.getRawUserInfo().split(":", 2);
        return DriverManager.getConnection("jdbc:postgresql://" + parsed.getHost() + ":" + parsed.getPort() + parsed.getRawPath(),
                URLDecoder.decode(credentials[0], StandardCharsets.UTF_8), URLDecoder.decode(credentials[1], StandardCharsets.UTF_8));
    }

    private static long count(Statement statement, String query)
            throws SQLException
    {
        try (ResultSet result = statement.executeQuery(query)) {
            result.next();
            return result.getLong(1);
        }
    }
}
