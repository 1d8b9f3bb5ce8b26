package dev.dolly.cli;

import dev.dolly.api.CreateImageRequest;
import dev.dolly.api.ErrorCode;
import dev.dolly.api.Json;
import dev.dolly.api.Upload;
import dev.dolly.cli.CliRunner.Result;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

import static dev.dolly.api.ResourceStatus.PENDING;
import static dev.dolly.api.ResourceStatus.READY;
import static dev.dolly.cli.Resources.container;
import static dev.dolly.cli.Resources.image;
import static org.assertj.core.api.Assertions.assertThat;

class TestDemoCommand
{
    private static final String TOKEN = "token-4";
    private static final String EXPECTED_DETAILS = """
            Data container 'chinook-demo-k3vq9x' created!
            -> Host=127.0.0.1;Port=54321;Username=postgres;Database=chinook;Password=s3cret
            Connection URI: postgresql://postgres:s3cret@127.0.0.1:54321/chinook
            Connect with:   psql "postgresql://postgres:s3cret@127.0.0.1:54321/chinook"
            JDBC URL:       jdbc:postgresql://127.0.0.1:54321/chinook

            Another container, with its own copy of the data:
              dolly create data-container chinook-demo
            Clean up when you are done:
              dolly delete data-container chinook-demo-k3vq9x
              dolly delete data-image chinook-demo   (once no container uses it)
            """;

    @TempDir
    Path installation;

    private FakeDaemon daemon;
    private CliRunner dolly;

    @BeforeEach
    void setUp()
            throws Exception
    {
        Files.createDirectories(installation.resolve("examples/chinook"));
        Files.writeString(installation.resolve("examples/chinook/image.yaml"), "sourceType: scripts\nname: chinook\n");
        daemon = FakeDaemon.start(TOKEN);
        dolly = new CliRunner(installation.resolve("home"))
                .withVariable("DOLLY_SERVER", daemon.url().toString())
                .withVariable("DOLLY_ACCESS_TOKEN", TOKEN)
                .withLauncherSettings(new LauncherSettings(Optional.empty(), "java", Optional.of(installation), LauncherSettings.DAEMON_MAIN_CLASS));
        daemon.answer("POST", "/api/v1/containers", container(3, "chinook-demo-k3vq9x", "chinook-demo", READY));
        daemon.answer("POST", "/api/v1/uploads", new Upload("upload-1", 0, 0));
    }

    @AfterEach
    void tearDown()
    {
        daemon.close();
    }

    @Test
    void buildsImageOnceThenCreatesContainer()
            throws Exception
    {
        daemon.fail("GET", "/api/v1/images/chinook-demo", ErrorCode.NOT_FOUND, "No data image 'chinook-demo'.");
        daemon.answer("POST", "/api/v1/images", image(9, "chinook-demo", PENDING));
        daemon.answerInTurn("GET", "/api/v1/images/9", image(9, "chinook-demo", PENDING, "Running 01-schema.sql", null), image(9, "chinook-demo", READY));

        Result result = dolly.run("demo");

        assertThat(result.exitCode()).isZero();
        assertThat(result.stdout()).isEqualTo(EXPECTED_DETAILS);
        assertThat(result.stderr()).isEqualTo("Uploading 0 files (0 B) to " + daemon.url() + "...\n" + """
                Creating data image 'chinook-demo' (9)...
                  Running 01-schema.sql
                Data image 'chinook-demo' created!
                -> ID 9, postgresql 17, tags v1,latest
                """);
        CreateImageRequest request = Json.json().readValue(daemon.requests("POST", "/api/v1/images").getFirst().body(), CreateImageRequest.class);
        assertThat(request.name()).isEqualTo("chinook-demo");
        // a server given by DOLLY_SERVER gets the files uploaded, never a directory of this machine
        assertThat(request.sourceDirectory()).isNull();
        assertThat(request.upload()).isEqualTo("upload-1");
    }

    @Test
    void reusesReadyImage()
    {
        daemon.answer("GET", "/api/v1/images/chinook-demo", image(9, "chinook-demo", READY));

        Result result = dolly.run("demo");

        assertThat(result).isEqualTo(new Result(0, EXPECTED_DETAILS, "Using the data image 'chinook-demo' (9).\n"));
        assertThat(daemon.requests("POST", "/api/v1/images")).isEmpty();
        assertThat(dolly.run("demo", "-q")).isEqualTo(new Result(0, "chinook-demo-k3vq9x\n", ""));
    }

    @Test
    void missingExamplesExplainWhatToDo()
            throws Exception
    {
        Files.delete(installation.resolve("examples/chinook/image.yaml"));

        Result result = dolly.run("demo");

        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.stderr()).startsWith("Error: The demo's image definition is missing: " + installation.resolve("examples/chinook/image.yaml"));
        assertThat(daemon.requests()).isEmpty();
    }
}
