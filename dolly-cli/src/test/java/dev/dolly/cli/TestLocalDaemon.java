package dev.dolly.cli;

import dev.dolly.api.DaemonAddress;
import dev.dolly.api.DataImage;
import dev.dolly.api.Json;
import dev.dolly.api.ServerInfo;
import dev.dolly.cli.CliRunner.Result;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import static dev.dolly.api.ResourceStatus.READY;
import static dev.dolly.cli.Resources.image;
import static org.assertj.core.api.Assertions.assertThat;

class TestLocalDaemon
{
    @TempDir
    Path home;

    private final List<FakeDaemon> fakeDaemons = new ArrayList<>();

    @AfterEach
    void tearDown()
            throws Exception
    {
        fakeDaemons.forEach(FakeDaemon::close);
        // a child daemon left behind by a failed test: end it by its pid
        Path daemonFile = home.resolve("daemon.json");
        if (Files.exists(daemonFile)) {
            long pid = Json.json().readValue(daemonFile.toFile(), DaemonAddress.class).pid();
            if (pid != ProcessHandle.current().pid()) {
                ProcessHandle.of(pid).ifPresent(ProcessHandle::destroy);
            }
        }
    }

    @Test
    void findsDaemonThroughDaemonFileAndAdminToken()
            throws Exception
    {
        FakeDaemon daemon = fakeDaemon("admin-secret");
        daemon.answer("GET", "/api/v1/info", new ServerInfo("0.1.0", home.toString(), "copy", null, "dolly", List.of()));
        daemon.answerList("GET", "/api/v1/images", List.of(image(1, "chinook", READY)));
        writeDaemonFile(daemon, ProcessHandle.current().pid());
        Files.writeString(home.resolve("admin-token"), "admin-secret\n");

        Result result = new CliRunner(home).run("get", "data-images", "-q");

        assertThat(result).isEqualTo(new Result(0, "chinook\n", ""));
        assertThat(daemon.requests()).allSatisfy(request -> assertThat(request.authorization()).isEqualTo("Bearer admin-secret"));
        assertThat(daemon.requests().getLast().path()).isEqualTo("/api/v1/images");
    }

    @Test
    void talksToTheRecordedDaemonWithoutAskingFirst()
            throws Exception
    {
        FakeDaemon daemon = fakeDaemon("admin-secret");
        daemon.answerList("GET", "/api/v1/images", List.of(image(1, "chinook", READY)));
        writeDaemonFile(daemon, ProcessHandle.current().pid());
        Files.writeString(home.resolve("admin-token"), "admin-secret\n");

        assertThat(new CliRunner(home).run("get", "data-images", "-q")).isEqualTo(new Result(0, "chinook\n", ""));
        // one request: no GET /api/v1/info before the real one
        assertThat(daemon.requests()).extracting(FakeDaemon.Request::path).containsExactly("/api/v1/images");
    }

    @Test
    void startsDaemonWhenTheRecordedOneDoesNotAnswer()
            throws Exception
    {
        CliRunner dolly = childDaemon("serve");
        int closedPort;
        try (var socket = new java.net.ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        // a live process id, but nothing listens at the address any more
        Files.write(home.resolve("daemon.json"), Json.json().writeValueAsBytes(new DaemonAddress("http://127.0.0.1:" + closedPort, ProcessHandle.current().pid(), "0.1.0")));

        Result list = dolly.run("get", "data-images");

        assertThat(list).isEqualTo(new Result(0, "No resources found.\n", "Starting the Dolly daemon for " + home + "...\n"));
        assertThat(dolly.run("daemon", "stop").exitCode()).isZero();
    }

    @Test
    void givenAccessTokenWinsOverAdminToken()
            throws Exception
    {
        FakeDaemon daemon = fakeDaemon("user-token");
        daemon.answerList("GET", "/api/v1/images", List.<DataImage>of());
        writeDaemonFile(daemon, ProcessHandle.current().pid());
        Files.writeString(home.resolve("admin-token"), "admin-secret\n");

        Result result = new CliRunner(home).withVariable("DOLLY_ACCESS_TOKEN", "user-token").run("get", "data-images");

        assertThat(result).isEqualTo(new Result(0, "No resources found.\n", ""));
    }

    @Test
    void missingAdminTokenExitsWithSeven()
            throws Exception
    {
        FakeDaemon daemon = fakeDaemon("admin-secret");
        writeDaemonFile(daemon, ProcessHandle.current().pid());

        Result result = new CliRunner(home).run("get", "data-images");

        assertThat(result.exitCode()).isEqualTo(7);
        assertThat(result.stderr()).isEqualTo("Error: There is no administrator token at " + home.resolve("admin-token")
                + ". Pass one with --access-token or DOLLY_ACCESS_TOKEN.\n");
    }

    @Test
    void reportsStatusOfRunningDaemon()
            throws Exception
    {
        FakeDaemon daemon = fakeDaemon("admin-secret");
        writeDaemonFile(daemon, ProcessHandle.current().pid());
        Files.writeString(home.resolve("admin-token"), "admin-secret");

        Result result = new CliRunner(home).run("daemon", "status");
        assertThat(result).isEqualTo(new Result(0, "The Dolly daemon for " + home + " is running at " + daemon.url()
                + " (pid " + ProcessHandle.current().pid() + ").\n", ""));

        Result json = new CliRunner(home).run("daemon", "status", "-o", "json");
        assertThat(Json.json().readTree(json.stdout()).get("running").asBoolean()).isTrue();
        assertThat(Json.json().readTree(json.stdout()).get("url").asText()).isEqualTo(daemon.url().toString());
    }

    @Test
    void staleDaemonFileMeansNotRunning()
            throws Exception
    {
        FakeDaemon daemon = fakeDaemon("admin-secret");
        writeDaemonFile(daemon, deadPid());

        assertThat(new CliRunner(home).run("daemon", "status")).isEqualTo(new Result(1,
                "The Dolly daemon for " + home + " is not running. Start it with 'dolly daemon start'.\n", ""));
        assertThat(new CliRunner(home).run("daemon", "status", "-q")).isEqualTo(new Result(1, "", ""));
        assertThat(new CliRunner(home).run("daemon", "stop")).isEqualTo(new Result(0, "No daemon is running for " + home + ".\n", ""));
        assertThat(daemon.requests()).isEmpty();
    }

    @Test
    void withoutDaemonClassPathSaysHowToRunDolly()
    {
        Result result = new CliRunner(home).run("get", "data-images");

        assertThat(result).isEqualTo(new Result(1, "", "Error: The daemon's class path is unknown. Run dolly through its launcher script, "
                + "which sets the system property dolly.daemon.classpath.\n"));
    }

    @Test
    void startsDaemonInBackgroundWhenNeededAndStopsIt()
            throws Exception
    {
        CliRunner dolly = childDaemon("serve");

        Result list = dolly.run("get", "data-images");
        assertThat(list).isEqualTo(new Result(0, "No resources found.\n", "Starting the Dolly daemon for " + home + "...\n"));
        assertThat(Files.readString(home.resolve("logs/daemon.log"))).contains("fake daemon listening");
        DaemonAddress address = Json.json().readValue(home.resolve("daemon.json").toFile(), DaemonAddress.class);
        assertThat(ProcessHandle.of(address.pid())).isPresent();

        // the running daemon is found again, not started twice
        assertThat(dolly.run("get", "data-images", "-q")).isEqualTo(new Result(0, "", ""));
        assertThat(dolly.run("daemon", "start")).isEqualTo(new Result(0, "The Dolly daemon for " + home + " is already running at "
                + address.url() + " (pid " + address.pid() + ").\n", ""));
        assertThat(dolly.run("daemon", "status").exitCode()).isZero();

        Result stop = dolly.run("daemon", "stop");
        assertThat(stop).isEqualTo(new Result(0, "The Dolly daemon for " + home + " (pid " + address.pid() + ") stopped.\n", ""));
        assertThat(ProcessHandle.of(address.pid()).map(ProcessHandle::isAlive).orElse(false)).isFalse();
        assertThat(dolly.run("daemon", "status").exitCode()).isEqualTo(1);
    }

    @Test
    void daemonStartPrintsAddress()
            throws Exception
    {
        CliRunner dolly = childDaemon("serve");

        Result quiet = dolly.run("daemon", "start", "-q");

        DaemonAddress address = Json.json().readValue(home.resolve("daemon.json").toFile(), DaemonAddress.class);
        assertThat(quiet).isEqualTo(new Result(0, address.url() + "\n", ""));
        assertThat(dolly.run("daemon", "stop", "-q")).isEqualTo(new Result(0, "", ""));
    }

    @Test
    void daemonThatDiesWhileStartingShowsItsLog()
    {
        Result result = childDaemon("crash").run("get", "data-images");

        assertThat(result.exitCode()).isEqualTo(1);
        StringBuilder expected = new StringBuilder("Starting the Dolly daemon for " + home + "...\n"
                + "Error: The Dolly daemon exited with code 4 before it was ready. The last lines of its log " + home.resolve("logs/daemon.log") + ":\n");
        for (int line = 11; line <= 30; line++) {
            expected.append("log line ").append(line).append('\n');
        }
        assertThat(result.stderr()).isEqualTo(expected.toString());
    }

    @Test
    void foregroundDaemonReturnsItsExitCode()
    {
        assertThat(childDaemon("exit").run("daemon", "run").exitCode()).isEqualTo(5);
        assertThat(childDaemon("exit").run("daemon").exitCode()).isEqualTo(5);
    }

    private CliRunner childDaemon(String mode)
    {
        try {
            Path testClasses = Path.of(FakeDaemonMain.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            LauncherSettings settings = new LauncherSettings(Optional.of(testClasses.toString()), LauncherSettings.currentJava(), Optional.empty(),
                    FakeDaemonMain.class.getName());
            return new CliRunner(home)
                    .withVariable("FAKE_DAEMON_MODE", mode)
                    .withLauncherSettings(settings)
                    .withDaemonTimeout(Duration.ofSeconds(30));
        }
        catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private FakeDaemon fakeDaemon(String token)
    {
        FakeDaemon daemon = FakeDaemon.start(token);
        fakeDaemons.add(daemon);
        return daemon;
    }

    private void writeDaemonFile(FakeDaemon daemon, long pid)
            throws Exception
    {
        Files.write(home.resolve("daemon.json"), Json.json().writeValueAsBytes(new DaemonAddress(daemon.url().toString(), pid, "0.1.0")));
    }

    private static long deadPid()
            throws Exception
    {
        Process process = new ProcessBuilder("true").start();
        process.waitFor();
        return process.pid();
    }
}
