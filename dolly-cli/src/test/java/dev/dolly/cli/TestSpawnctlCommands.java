package dev.dolly.cli;

import dev.dolly.api.DataContainer;
import dev.dolly.cli.CliRunner.Result;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

import static dev.dolly.api.ResourceStatus.READY;
import static dev.dolly.cli.Resources.container;
import static dev.dolly.cli.Resources.image;
import static org.assertj.core.api.Assertions.assertThat;

/** What pipelines written for spawnctl rely on: its token variable and option, its name, its output lines. */
class TestSpawnctlCommands
{
    private static final String TOKEN = "token-1";

    @TempDir
    Path directory;

    private FakeDaemon daemon;
    private CliRunner dolly;

    @BeforeEach
    void setUp()
    {
        daemon = FakeDaemon.start(TOKEN);
        dolly = new CliRunner(directory.resolve("home")).withVariable("DOLLY_SERVER", daemon.url().toString());
    }

    @AfterEach
    void tearDown()
    {
        daemon.close();
    }

    @Test
    void takesTheTokenFromSpawnctlsVariableAndOption()
    {
        daemon.answerList("GET", "/api/v1/images", List.of(image(1, "chinook", READY)));

        assertThat(dolly.withVariable("SPAWNCTL_ACCESS_TOKEN", TOKEN).run("get", "data-images", "-q")).isEqualTo(new Result(0, "chinook\n", ""));
        assertThat(dolly.run("get", "data-images", "-q", "--accessToken", TOKEN)).isEqualTo(new Result(0, "chinook\n", ""));
        assertThat(daemon.requests("GET", "/api/v1/images")).extracting(FakeDaemon.Request::authorization).containsOnly("Bearer " + TOKEN);

        // Dolly's own variable wins
        Result wrong = dolly.withVariable("DOLLY_ACCESS_TOKEN", "not-the-token").withVariable("SPAWNCTL_ACCESS_TOKEN", TOKEN).run("get", "data-images");
        assertThat(wrong.exitCode()).isEqualTo(7);
        assertThat(daemon.requests("GET", "/api/v1/images").getLast().authorization()).isEqualTo("Bearer not-the-token");
    }

    @Test
    void printsSpawnctlsLinesForAMySqlContainer()
    {
        DataContainer postgres = container(3, "my-data-container", "my-image", READY);
        DataContainer mysql = new DataContainer(4, "my-mysql", 8, "chinook-mysql", "rev.0", READY, null, "mysql", "11.4.5-MariaDB", "127.0.0.1", 54322,
                "dolly", "pw", "Chinook", "mysql://dolly:pw@127.0.0.1:54322/Chinook", "jdbc:mysql://127.0.0.1:54322/Chinook", "", "admin",
                postgres.createdAt(), null, null);
        daemon.answer("POST", "/api/v1/containers", mysql);

        Result result = dolly.withVariable("SPAWNCTL_ACCESS_TOKEN", TOKEN).run("create", "data-container", "-i", "chinook-mysql", "-n", "my-mysql");

        assertThat(result.exitCode()).isZero();
        assertThat(result.stdout()).startsWith("""
                Data container 'my-mysql' created!
                -> Server=127.0.0.1;Port=54322;User Id=dolly;Database=Chinook;Password=pw
                Connection URI: mysql://dolly:pw@127.0.0.1:54322/Chinook
                """);
    }

    @Test
    void usageNamesTheCommandItWasRunAs()
    {
        assertThat(dolly.run("--help").stdout()).startsWith("Usage: dolly ");
        CliRunner spawnctl = dolly.withLauncherSettings(new LauncherSettings(Optional.empty(), LauncherSettings.currentJava(), Optional.empty(),
                LauncherSettings.DAEMON_MAIN_CLASS, "spawnctl"));

        assertThat(spawnctl.run("--help").stdout()).startsWith("Usage: spawnctl ").contains("Start with 'spawnctl demo'");
        Result unknown = spawnctl.run("create", "data-imagez");
        assertThat(unknown.exitCode()).isEqualTo(3);
        assertThat(unknown.stderr()).contains("Run 'spawnctl create --help' for usage.");
    }
}
