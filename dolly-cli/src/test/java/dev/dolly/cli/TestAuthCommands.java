package dev.dolly.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.dolly.api.AccessToken;
import dev.dolly.api.ErrorCode;
import dev.dolly.api.Json;
import dev.dolly.api.NewAccessToken;
import dev.dolly.api.Session;
import dev.dolly.api.SessionToken;
import dev.dolly.api.Team;
import dev.dolly.api.User;
import dev.dolly.cli.CliRunner.Result;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;

import static dev.dolly.cli.CliRunner.NOW;
import static org.assertj.core.api.Assertions.assertThat;

/** Users, teams, access tokens and signing in, against a fake daemon. */
class TestAuthCommands
{
    private static final String TOKEN = "token-1";
    private static final String SESSION_TOKEN = "dolly_session-of-alice";

    @TempDir
    Path directory;

    private FakeDaemon daemon;
    private CliRunner dolly;
    private Path config;

    @BeforeEach
    void setUp()
    {
        daemon = FakeDaemon.start(TOKEN);
        config = directory.resolve("user/.dolly/config");
        dolly = new CliRunner(directory.resolve("home"))
                .withVariable("DOLLY_SERVER", daemon.url().toString())
                .withVariable("DOLLY_ACCESS_TOKEN", TOKEN)
                .withVariable("DOLLY_CONFIG", config.toString());
    }

    @AfterEach
    void tearDown()
    {
        daemon.close();
    }

    @Test
    void createsAUserWithThePasswordFromStdin()
            throws Exception
    {
        daemon.answer("POST", "/api/v1/users", new User("bob", false, List.of(), NOW));

        Result result = dolly.withStdin("a long password for bob\n").run("create", "user", "bob", "--password-stdin");

        assertThat(result.exitCode()).isZero();
        assertThat(result.stdout()).isEqualTo("User 'bob' created. They sign in with 'dolly auth login --username bob'.\n");
        JsonNode body = Json.json().readTree(daemon.requests("POST", "/api/v1/users").getFirst().body());
        assertThat(body.get("name").asText()).isEqualTo("bob");
        assertThat(body.get("password").asText()).isEqualTo("a long password for bob");
        assertThat(body.get("admin").asBoolean()).isFalse();

        assertThat(dolly.withStdin("another long password\n").run("create", "user", "carol", "--admin", "--password-stdin", "-q").stdout()).isEqualTo("bob\n");
        assertThat(Json.json().readTree(daemon.requests("POST", "/api/v1/users").get(1).body()).get("admin").asBoolean()).isTrue();
    }

    @Test
    void refusesAnEmptyStdinAndReportsTheDaemonsVerdictOnWeakPasswords()
    {
        Result empty = dolly.withStdin("").run("create", "user", "bob", "--password-stdin");
        assertThat(empty.exitCode()).isEqualTo(3);
        assertThat(empty.stderr()).contains("stdin is empty");
        assertThat(daemon.requests("POST", "/api/v1/users")).isEmpty();

        daemon.fail("POST", "/api/v1/users", ErrorCode.BAD_INPUT, "The password is too weak: use at least 12 characters.");
        Result weak = dolly.withStdin("short\n").run("create", "user", "bob", "--password-stdin");
        assertThat(weak.exitCode()).isEqualTo(3);
        assertThat(weak.stderr()).isEqualTo("Error: The password is too weak: use at least 12 characters.\n");
    }

    @Test
    void listsUsersAndTeams()
            throws Exception
    {
        daemon.answerList("GET", "/api/v1/users", List.of(new User("admin", true, List.of(), NOW.minus(Duration.ofDays(2))),
                new User("alice", false, List.of("myorg:developers"), NOW.minus(Duration.ofHours(3)))));
        daemon.answerList("GET", "/api/v1/teams", List.of(new Team("myorg:developers", List.of("alice", "bob"), NOW)));

        assertThat(dolly.run("get", "users").stdout()).isEqualTo("""
                NAME   ADMIN  TEAMS             CREATED
                admin  yes                      2 days ago
                alice  no     myorg:developers  3 hours ago
                """);
        assertThat(dolly.run("get", "users", "-q").stdout()).isEqualTo("admin\nalice\n");
        assertThat(Json.json().readValue(dolly.run("get", "users", "-o", "json").stdout(), User[].class)).hasSize(2);
        assertThat(dolly.run("get", "teams").stdout()).isEqualTo("""
                TEAM              MEMBERS
                myorg:developers  alice,bob
                """);
        assertThat(Json.yaml().readValue(dolly.run("get", "teams", "-o", "yaml").stdout(), Team[].class))
                .containsExactly(new Team("myorg:developers", List.of("alice", "bob"), NOW));
    }

    @Test
    void createsAndUpdatesTeams()
            throws Exception
    {
        daemon.answer("POST", "/api/v1/teams", new Team("myorg:developers", List.of(), NOW));
        daemon.answer("POST", "/api/v1/teams/myorg:developers/members", new Team("myorg:developers", List.of("alice", "bob"), NOW));

        assertThat(dolly.run("create", "team", "myorg:developers").stdout()).startsWith("Team 'myorg:developers' created.");
        Result updated = dolly.run("update", "team", "myorg:developers", "--add-member", "alice", "--add-member", "bob", "--remove-member", "eve");

        assertThat(updated.exitCode()).isZero();
        assertThat(updated.stdout()).isEqualTo("Team 'myorg:developers' updated. Members: alice, bob.\n");
        JsonNode body = Json.json().readTree(daemon.requests("POST", "/api/v1/teams/myorg:developers/members").getFirst().body());
        assertThat(body.get("addMembers").toString()).isEqualTo("[\"alice\",\"bob\"]");
        assertThat(body.get("removeMembers").toString()).isEqualTo("[\"eve\"]");

        Result nothing = dolly.run("update", "team", "myorg:developers");
        assertThat(nothing.exitCode()).isEqualTo(3);
        assertThat(nothing.stderr()).contains("--add-member");
    }

    @Test
    void anAdministratorCommandOfSomeoneElseExitsWith8()
    {
        daemon.fail("GET", "/api/v1/users", ErrorCode.NOT_PERMITTED, "Only administrators may list users.");

        Result result = dolly.run("get", "users");

        assertThat(result.exitCode()).isEqualTo(8);
        assertThat(result.stderr()).isEqualTo("Error: Only administrators may list users.\n");
    }

    @Test
    void createsAnAccessTokenAndPrintsItOnce()
            throws Exception
    {
        daemon.answer("POST", "/api/v1/access-tokens", new NewAccessToken(3, "dolly_abc", "nightly refresh", NOW, NOW.plus(Duration.ofDays(7))));

        assertThat(dolly.run("create", "access-token", "--purpose", "nightly refresh", "--expires", "7d"))
                .isEqualTo(new Result(0, "Access token generated: dolly_abc\n", ""));
        assertThat(dolly.run("create", "access-token", "--purpose", "ci", "-q").stdout()).isEqualTo("dolly_abc\n");
        JsonNode body = Json.json().readTree(daemon.requests("POST", "/api/v1/access-tokens").getFirst().body());
        assertThat(body.get("purpose").asText()).isEqualTo("nightly refresh");
        assertThat(body.get("expires").asText()).isEqualTo("7d");
        assertThat(Json.json().readTree(daemon.requests("POST", "/api/v1/access-tokens").get(1).body()).get("expires").isNull()).isTrue();
    }

    @Test
    void listsAndRevokesAccessTokens()
    {
        daemon.answerList("GET", "/api/v1/access-tokens", List.of(
                new AccessToken(3, "nightly refresh", NOW.minus(Duration.ofDays(1)), NOW.minus(Duration.ofHours(2)), null),
                new AccessToken(4, "one-off", NOW.minus(Duration.ofMinutes(5)), null, NOW.plus(Duration.ofHours(47)))));
        daemon.answer("DELETE", "/api/v1/access-tokens/3", new AccessToken(3, "nightly refresh", NOW, null, null));
        daemon.fail("DELETE", "/api/v1/access-tokens/9", ErrorCode.NOT_FOUND, "Access token '9' not found.");

        assertThat(dolly.run("get", "access-tokens").stdout()).isEqualTo("""
                ID  PURPOSE          CREATED        LAST USED    EXPIRES
                3   nightly refresh  1 day ago      2 hours ago  never
                4   one-off          5 minutes ago  never        in 2 days
                """);
        assertThat(dolly.run("delete", "access-token", "3")).isEqualTo(new Result(0, "Access token '3' deleted.\n", ""));
        Result missing = dolly.run("delete", "access-token", "9");
        assertThat(missing.exitCode()).isEqualTo(2);
        assertThat(missing.stderr()).contains("not found");
    }

    @Test
    void signsInKeepsTheSessionPrivateAndUsesIt()
            throws Exception
    {
        daemon.answerWithoutToken("POST", "/api/v1/sessions", 201, new SessionToken(TOKEN, "alice", NOW.plus(Duration.ofHours(12))));
        daemon.answerList("GET", "/api/v1/images", List.of());
        CliRunner signedOut = new CliRunner(directory.resolve("home")).withVariable("DOLLY_CONFIG", config.toString());

        Result login = signedOut.withStdin("a long password for alice\n")
                .run("auth", "login", "--server", daemon.url().toString(), "--username", "alice", "--password-stdin");

        assertThat(login.exitCode()).as(login.stderr()).isZero();
        assertThat(login.stdout()).startsWith("Signed in to " + daemon.url() + " as alice. The session expires in 12 hours");
        DaemonRequest signIn = DaemonRequest.of(daemon.requests("POST", "/api/v1/sessions").getFirst());
        assertThat(signIn.authorization()).isNull();
        assertThat(Json.json().readTree(signIn.body()).get("password").asText()).isEqualTo("a long password for alice");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(config))).isEqualTo("rw-------");
        assertThat(Files.readString(config)).contains(TOKEN).contains(daemon.url().toString());

        // no --server, no token: the session's server and token
        assertThat(signedOut.run("get", "data-images").exitCode()).isZero();
        assertThat(daemon.requests("GET", "/api/v1/images").getLast().authorization()).isEqualTo("Bearer " + TOKEN);
        // a token in the environment wins over the session
        Result withOtherToken = signedOut.withVariable("DOLLY_ACCESS_TOKEN", "other").run("get", "data-images");
        assertThat(withOtherToken.exitCode()).isEqualTo(7);
        assertThat(daemon.requests("GET", "/api/v1/images").getLast().authorization()).isEqualTo("Bearer other");
    }

    @Test
    void neverSendsASessionToAnotherServer()
            throws Exception
    {
        Files.createDirectories(config.getParent());
        Files.writeString(config, "server: http://127.0.0.1:1\nuser: alice\ntoken: " + SESSION_TOKEN + "\nexpiresAt: 2025-06-02T00:00:00Z\n");

        Result result = new CliRunner(directory.resolve("home")).withVariable("DOLLY_CONFIG", config.toString())
                .withVariable("DOLLY_SERVER", daemon.url().toString())
                .run("get", "data-images");

        assertThat(result.exitCode()).isEqualTo(7);
        assertThat(result.stderr()).contains("dolly auth login");
        assertThat(daemon.requests()).isEmpty();
    }

    @Test
    void aWrongPasswordExitsWith7AndKeepsNothing()
    {
        daemon.answerWithoutToken("POST", "/api/v1/sessions", 401,
                new dev.dolly.api.ErrorResponse(ErrorCode.NOT_AUTHENTICATED, "Wrong user name or password."));

        Result login = dolly.withStdin("wrong\n").run("auth", "login", "--username", "alice", "--password-stdin");

        assertThat(login.exitCode()).isEqualTo(7);
        assertThat(login.stderr()).isEqualTo("Error: Wrong user name or password.\n");
        assertThat(config).doesNotExist();
    }

    @Test
    void tooManyAttemptsExitWith9()
    {
        daemon.answerWithoutToken("POST", "/api/v1/sessions", 429,
                new dev.dolly.api.ErrorResponse(ErrorCode.TOO_MANY_ATTEMPTS, "Too many failed sign-ins. Try again in 4 seconds."));

        assertThat(dolly.withStdin("wrong\n").run("auth", "login", "--username", "alice", "--password-stdin").exitCode()).isEqualTo(9);
    }

    @Test
    void statusShowsTheSessionAndExits7WithoutOne()
            throws Exception
    {
        CliRunner signedOut = new CliRunner(directory.resolve("home")).withVariable("DOLLY_CONFIG", config.toString());
        Result none = signedOut.run("auth", "status");
        assertThat(none.exitCode()).isEqualTo(7);
        assertThat(none.stderr()).contains("Not signed in").contains("dolly auth login");

        Files.createDirectories(config.getParent());
        Files.writeString(config, "{\"server\": \"" + daemon.url() + "\", \"user\": \"alice\", \"token\": \"" + TOKEN
                + "\", \"expiresAt\": \"" + NOW.plus(Duration.ofHours(5)) + "\"}");
        daemon.answer("GET", "/api/v1/sessions/current", new Session("alice", false, List.of("myorg:developers"), "session", NOW.plus(Duration.ofHours(5))));
        Result status = signedOut.run("auth", "status");
        assertThat(status.exitCode()).isZero();
        assertThat(status.stdout()).isEqualTo("Signed in to " + daemon.url() + " as alice.\nTeams: myorg:developers.\n"
                + "The session expires in 5 hours (" + NOW.plus(Duration.ofHours(5)) + ").\n");
        assertThat(Json.json().readTree(signedOut.run("auth", "status", "-o", "json").stdout()).get("user").asText()).isEqualTo("alice");

        Files.writeString(config, "{\"server\": \"" + daemon.url() + "\", \"user\": \"alice\", \"token\": \"" + TOKEN
                + "\", \"expiresAt\": \"" + NOW.minus(Duration.ofHours(1)) + "\"}");
        Result expired = signedOut.run("auth", "status");
        assertThat(expired.exitCode()).isEqualTo(7);
        assertThat(expired.stderr()).contains("expired 1 hour ago");
    }

    @Test
    void logoutRevokesTheSessionAndForgetsIt()
            throws Exception
    {
        Files.createDirectories(config.getParent());
        Files.writeString(config, "{\"server\": \"" + daemon.url() + "\", \"user\": \"alice\", \"token\": \"" + TOKEN + "\"}");
        daemon.answer("DELETE", "/api/v1/sessions/current", null);
        CliRunner signedIn = new CliRunner(directory.resolve("home")).withVariable("DOLLY_CONFIG", config.toString());

        assertThat(signedIn.run("auth", "logout")).isEqualTo(new Result(0, "Signed out of " + daemon.url() + ".\n", ""));
        assertThat(daemon.requests("DELETE", "/api/v1/sessions/current").getFirst().authorization()).isEqualTo("Bearer " + TOKEN);
        assertThat(config).doesNotExist();
        assertThat(signedIn.run("auth", "logout")).isEqualTo(new Result(0, "Not signed in.\n", ""));
    }

    /** A request as the fake daemon saw it. */
    private record DaemonRequest(String body, String authorization)
    {
        static DaemonRequest of(FakeDaemon.Request request)
        {
            return new DaemonRequest(request.body(), request.authorization());
        }
    }
}
