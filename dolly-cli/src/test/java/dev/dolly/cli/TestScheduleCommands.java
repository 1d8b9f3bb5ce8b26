package dev.dolly.cli;

import dev.dolly.api.CreateContainerRequest;
import dev.dolly.api.CreateScheduleRequest;
import dev.dolly.api.DataContainer;
import dev.dolly.api.Following;
import dev.dolly.api.Json;
import dev.dolly.api.Schedule;
import dev.dolly.api.Upload;
import dev.dolly.cli.CliRunner.Result;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static dev.dolly.api.ResourceStatus.READY;
import static dev.dolly.cli.CliRunner.NOW;
import static dev.dolly.cli.Resources.container;
import static org.assertj.core.api.Assertions.assertThat;

/** {@code dolly create|get|run|delete schedule} and following containers, against a fake daemon. */
class TestScheduleCommands
{
    private static final String TOKEN = "token-3";

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
    void listsSchedulesAsTable()
    {
        daemon.answerList("GET", "/api/v1/schedules", List.of(
                schedule("nightly", "Succeeded", "Built image 14.", null),
                schedule("hourly", "Failed", "Image 15 failed: ERROR: division by zero.", 16L)));

        Result result = run("get", "schedules");

        assertThat(result.exitCode()).isZero();
        assertThat(result.stdout()).isEqualTo("""
                NAME     IMAGE               CRON                     LAST RUN     RESULT                                                                      NEXT RUN
                nightly  widgetstore:latest  0 2 * * * Europe/Berlin  2 hours ago  Succeeded: Built image 14.                                                  2025-06-02T00:00:00Z (in 12 hours)
                hourly   widgetstore:latest  0 2 * * * Europe/Berlin  2 hours ago  Running (image 16); last Failed: Image 15 failed: ERROR: division by zero.  2025-06-02T00:00:00Z (in 12 hours)
                """);
    }

    @Test
    void createsAScheduleFromUploadedFiles()
            throws Exception
    {
        Path definition = directory.resolve("image.yaml");
        Files.writeString(definition, "name: widgetstore\nsourceType: backup\nengine: postgresql\nbackup:\n  file: dump.sql\n");
        Files.writeString(directory.resolve("dump.sql"), "create table t (id int);\n");
        daemon.answer("POST", "/api/v1/uploads", new Upload("u1", 1, 24));
        daemon.answer("POST", "/api/v1/schedules", schedule("nightly", null, null, null));

        Result result = run("create", "schedule", "nightly", "-f", definition.toString(), "--cron", "0 2 * * *", "--time-zone", "Europe/Berlin", "--keep",
                "7", "--tag", "latest", "--lifetime", "30d");

        assertThat(result.exitCode()).isZero();
        assertThat(result.stdout()).startsWith("Schedule 'nightly' created!\n-> builds 'widgetstore' at '0 2 * * *' (Europe/Berlin)");
        CreateScheduleRequest request = Json.json().readValue(daemon.requests("POST", "/api/v1/schedules").getFirst().body(), CreateScheduleRequest.class);
        assertThat(request).isEqualTo(new CreateScheduleRequest("nightly", Files.readString(definition), null, "u1", "0 2 * * *", "Europe/Berlin", 7,
                List.of("latest"), "30d"));
    }

    @Test
    void runsAndDeletesASchedule()
    {
        daemon.answer("POST", "/api/v1/schedules/nightly/run", schedule("nightly", null, null, 17L));
        assertThat(run("run", "schedule", "nightly").stdout())
                .isEqualTo("Schedule 'nightly' is building image 'widgetstore' (17). Follow it with 'dolly get schedules' or 'dolly get data-image 17'.\n");

        daemon.answer("POST", "/api/v1/schedules/refused/run", schedule("refused", "Failed", "The build could not start: quota.", null));
        Result refused = run("run", "schedule", "refused");
        assertThat(refused.exitCode()).isEqualTo(1);
        assertThat(refused.stderr()).contains("could not start its build: The build could not start: quota.");

        daemon.answer("DELETE", "/api/v1/schedules/nightly", schedule("nightly", null, null, null));
        assertThat(run("delete", "schedule", "nightly").exitCode()).isZero();
    }

    @Test
    void createsAFollowingContainerAndShowsWhatItFollows()
            throws Exception
    {
        daemon.answer("POST", "/api/v1/containers", container(3, "dev", "widgetstore", READY));
        assertThat(run("create", "data-container", "-i", "widgetstore:latest", "-n", "dev", "--follow", "--refresh-at", "now").exitCode()).isZero();
        CreateContainerRequest request = Json.json().readValue(daemon.requests("POST", "/api/v1/containers").getFirst().body(), CreateContainerRequest.class);
        assertThat(request).isEqualTo(new CreateContainerRequest("widgetstore:latest", "dev", null, true, "now"));

        Result withoutFollow = run("create", "data-container", "-i", "widgetstore:latest", "--refresh-at", "06:00");
        assertThat(withoutFollow.exitCode()).isEqualTo(3);
        assertThat(withoutFollow.stderr()).contains("--refresh-at is for a container that follows a tag: add --follow.");

        DataContainer plain = container(3, "dev", "widgetstore", READY);
        DataContainer following = new DataContainer(plain.id(), plain.name(), plain.imageId(), plain.imageName(), plain.revision(), plain.status(),
                plain.statusMessage(), plain.engine(), plain.engineVersion(), plain.host(), plain.port(), plain.user(), plain.password(), plain.database(),
                plain.uri(), plain.jdbcUrl(), plain.keyValueConnectionString(), plain.owner(), plain.createdAt(), plain.expiresAt(), plain.sizeBytes(), null, List.of(),
                new Following("widgetstore:latest", "06:00", NOW.minus(Duration.ofHours(6)), "Moved from image 7 to image 9; dropped rev.1"));
        daemon.answer("GET", "/api/v1/containers/dev", following);
        assertThat(run("get", "data-container", "dev").stdout()).endsWith("""

                Follows:        widgetstore:latest, refreshed at 06:00
                Last refreshed: 2025-06-01T06:00:00Z (6 hours ago)
                Last refresh:   Moved from image 7 to image 9; dropped rev.1
                """);
    }

    private Result run(String... arguments)
    {
        String[] withServer = new String[arguments.length + 2];
        System.arraycopy(arguments, 0, withServer, 0, arguments.length);
        withServer[arguments.length] = "--server";
        withServer[arguments.length + 1] = daemon.url().toString();
        return dolly.run(withServer);
    }

    private static Schedule schedule(String name, String result, String message, Long running)
    {
        return new Schedule(1, name, "admin", "0 2 * * *", "Europe/Berlin", "widgetstore", List.of("latest"), 7, "30d", "kept upload",
                NOW.minus(Duration.ofDays(3)), result == null ? null : NOW.minus(Duration.ofHours(2)), result, message, result == null ? null : 14L, running,
                NOW.plus(Duration.ofHours(12)));
    }
}
