package dev.dolly.cli;

import dev.dolly.api.CreateContainerRequest;
import dev.dolly.api.DataContainer;
import dev.dolly.api.ErrorCode;
import dev.dolly.api.Json;
import dev.dolly.api.ResourceStatus;
import dev.dolly.cli.CliRunner.Result;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;

import static dev.dolly.api.ResourceStatus.PENDING;
import static dev.dolly.api.ResourceStatus.READY;
import static dev.dolly.cli.Resources.container;
import static org.assertj.core.api.Assertions.assertThat;

class TestContainerCommands
{
    private static final String TOKEN = "token-2";

    @TempDir
    Path directory;

    private FakeDaemon daemon;
    private CliRunner dolly;

    @BeforeEach
    void setUp()
    {
        daemon = FakeDaemon.start(TOKEN);
        dolly = new CliRunner(directory).withVariable("DOLLY_ACCESS_TOKEN", TOKEN);
    }

    @AfterEach
    void tearDown()
    {
        daemon.close();
    }

    @Test
    void listsContainersAsTable()
    {
        daemon.answerList("GET", "/api/v1/containers", List.of(container(3, "chinook-k3vq9x", "chinook", READY)));

        Result result = dolly.run("get", "data-containers", "--server", daemon.url().toString());

        assertThat(result.exitCode()).isZero();
        assertThat(result.stdout()).isEqualTo("""
                ID  NAME            IMAGE    REVISION  STATUS  ENGINE         HOST:PORT        CREATED        EXPIRES
                3   chinook-k3vq9x  chinook  rev-0     Ready   postgresql 17  127.0.0.1:54321  2 minutes ago  never
                """);
    }

    @Test
    void stopsAndStartsAContainerAndShowsAnIdleStopOne()
    {
        DataContainer running = container(3, "report", "chinook", READY);
        DataContainer idle = stopped(running, DataContainer.STOPPED_IDLE, "Stopped after 30m with no client connection; the next connection starts it.");
        DataContainer byHand = stopped(running, DataContainer.STOPPED_BY_REQUEST, "Stopped by admin.");
        String server = daemon.url().toString();

        daemon.answerList("GET", "/api/v1/containers", List.of(idle));
        assertThat(dolly.run("get", "data-containers", "--server", server).stdout()).isEqualTo("""
                ID  NAME    IMAGE    REVISION  STATUS          ENGINE         HOST:PORT        CREATED        EXPIRES
                3   report  chinook  rev-0     Stopped (idle)  postgresql 17  127.0.0.1:54321  2 minutes ago  never
                """);
        daemon.answer("GET", "/api/v1/containers/report", idle);
        assertThat(dolly.run("get", "data-container", "report", "--server", server).stdout()).endsWith("""

                Idle stop:      30m (its server stops after 30m with no client connection; the next connection starts it)
                Stopped:        Stopped after 30m with no client connection; the next connection starts it.
                """);

        daemon.answer("GET", "/api/v1/containers/report", running);
        daemon.answer("POST", "/api/v1/containers/report/stop", byHand);
        assertThat(dolly.run("stop", "data-container", "report", "--server", server))
                .isEqualTo(new Result(0, "Data container 'report' is stopped; the next connection to 127.0.0.1:54321 starts it.\n", ""));
        daemon.answer("GET", "/api/v1/containers/report", byHand);
        assertThat(dolly.run("stop", "dc", "report", "--server", server))
                .isEqualTo(new Result(0, "Data container 'report' is stopped already (Stopped).\n", ""));
        daemon.answer("POST", "/api/v1/containers/report/start", running);
        assertThat(dolly.run("start", "data-container", "report", "--server", server))
                .isEqualTo(new Result(0, "Data container 'report' is started on 127.0.0.1:54321.\n", ""));
        daemon.answer("GET", "/api/v1/containers/report", running);
        assertThat(dolly.run("start", "data-container", "report", "--server", server))
                .isEqualTo(new Result(0, "Data container 'report' is running already.\n", ""));
    }

    private static DataContainer stopped(DataContainer container, String stoppedBy, String message)
    {
        return new DataContainer(container.id(), container.name(), container.imageId(), container.imageName(), container.revision(), ResourceStatus.STOPPED,
                message, container.engine(), container.engineVersion(), container.host(), container.port(), container.user(), container.password(),
                container.database(), container.uri(), container.jdbcUrl(), container.keyValueConnectionString(), container.owner(), container.createdAt(),
                container.expiresAt(), container.sizeBytes(), container.limits(), container.teams(), container.following(), "30m", stoppedBy);
    }

    @Test
    void showsOneContainer()
            throws Exception
    {
        DataContainer container = container(3, "chinook-k3vq9x", "chinook", READY);
        daemon.answer("GET", "/api/v1/containers/chinook-k3vq9x", container);

        Result yaml = dolly.run("get", "dc", "chinook-k3vq9x", "-o", "yaml", "--server", daemon.url().toString());

        assertThat(yaml.exitCode()).isZero();
        assertThat(yaml.stdout()).startsWith("id: 3\nname: chinook-k3vq9x\n");
        assertThat(Json.yaml().readValue(yaml.stdout(), DataContainer.class)).isEqualTo(container);
        assertThat(dolly.run("get", "data-container", "chinook-k3vq9x", "-q", "--server", daemon.url().toString()).stdout())
                .isEqualTo("chinook-k3vq9x\n");
    }

    @Test
    void createsContainerFromImageOption()
            throws Exception
    {
        daemon.answer("POST", "/api/v1/containers", container(3, "mine", "chinook", READY));

        Result result = dolly.run("create", "data-container", "-i", "chinook:v1", "-n", "mine", "--lifetime", "2h", "--server", daemon.url().toString());

        assertThat(result).isEqualTo(new Result(0, """
                Data container 'mine' created!
                -> Host=127.0.0.1;Port=54321;Username=postgres;Database=chinook;Password=s3cret
                Connection URI: postgresql://postgres:s3cret@127.0.0.1:54321/chinook
                Connect with:   psql "postgresql://postgres:s3cret@127.0.0.1:54321/chinook"
                """, ""));
        CreateContainerRequest request = Json.json().readValue(daemon.requests("POST", "/api/v1/containers").getFirst().body(), CreateContainerRequest.class);
        assertThat(request).isEqualTo(new CreateContainerRequest("chinook:v1", "mine", "2h"));
    }

    @Test
    void createsContainerFromImageArgumentAndWaitsWhilePending()
            throws Exception
    {
        DataContainer ready = container(3, "chinook-k3vq9x", "chinook", READY);
        daemon.answer("POST", "/api/v1/containers", container(3, "chinook-k3vq9x", "chinook", PENDING));
        daemon.answerInTurn("GET", "/api/v1/containers/3", container(3, "chinook-k3vq9x", "chinook", PENDING), ready);

        Result json = dolly.run("create", "dc", "chinook", "-o", "json", "--server", daemon.url().toString());

        assertThat(json.exitCode()).isZero();
        assertThat(Json.json().readValue(json.stdout(), DataContainer.class)).isEqualTo(ready);
        CreateContainerRequest request = Json.json().readValue(daemon.requests("POST", "/api/v1/containers").getFirst().body(), CreateContainerRequest.class);
        assertThat(request).isEqualTo(new CreateContainerRequest("chinook", null, null));
    }

    @Test
    void quietCreatePrintsOnlyTheName()
    {
        daemon.answer("POST", "/api/v1/containers", container(3, "chinook-k3vq9x", "chinook", READY));

        assertThat(dolly.run("create", "data-container", "-q", "-i", "chinook", "--server", daemon.url().toString()))
                .isEqualTo(new Result(0, "chinook-k3vq9x\n", ""));
    }

    @Test
    void createWithoutImageIsUsageError()
    {
        Result result = dolly.run("create", "data-container", "--server", daemon.url().toString());

        assertThat(result.exitCode()).isEqualTo(3);
        assertThat(result.stderr()).isEqualTo("""
                Error: Which image? Pass -i IMAGE[:TAG], for example 'dolly create data-container -i chinook'.
                Run 'dolly create data-container --help' for usage.
                """);
        assertThat(daemon.requests()).isEmpty();
    }

    @Test
    void createFromMissingImageExitsWithTwo()
    {
        daemon.fail("POST", "/api/v1/containers", ErrorCode.NOT_FOUND, "No data image 'nope'.");

        assertThat(dolly.run("create", "dc", "-i", "nope", "--server", daemon.url().toString()))
                .isEqualTo(new Result(2, "", "Error: No data image 'nope'.\n"));
    }

    @Test
    void deletesContainers()
    {
        daemon.answer("DELETE", "/api/v1/containers/chinook-k3vq9x", container(3, "chinook-k3vq9x", "chinook", READY));
        daemon.fail("DELETE", "/api/v1/containers/gone", ErrorCode.NOT_FOUND, "No data container 'gone'.");

        Result result = dolly.run("delete", "data-containers", "chinook-k3vq9x", "gone", "--server", daemon.url().toString());

        assertThat(result).isEqualTo(new Result(2, "Data container 'chinook-k3vq9x' deleted.\n", "Error: No data container 'gone'.\n"));
    }
}
