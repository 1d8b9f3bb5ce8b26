package dev.dolly.cli;

import dev.dolly.api.DataImage;
import dev.dolly.api.ErrorCode;
import dev.dolly.api.Json;
import dev.dolly.api.NextStep;
import dev.dolly.api.UpdateContainerRequest;
import dev.dolly.api.UpdateImageRequest;
import dev.dolly.api.Upload;
import dev.dolly.cli.CliRunner.Result;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;

import static dev.dolly.api.ResourceStatus.PENDING;
import static dev.dolly.api.ResourceStatus.READY;
import static dev.dolly.cli.CliRunner.NOW;
import static dev.dolly.cli.Resources.container;
import static dev.dolly.cli.Resources.image;
import static org.assertj.core.api.Assertions.assertThat;

/** Updates, filters, deletes of several resources, timeouts: what CI pipelines rely on. */
class TestCiCommands
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
        dolly = new CliRunner(directory.resolve("home"))
                .withVariable("DOLLY_SERVER", daemon.url().toString())
                .withVariable("DOLLY_ACCESS_TOKEN", TOKEN);
    }

    @AfterEach
    void tearDown()
    {
        daemon.close();
    }

    @Test
    void updatesAnImageWithPatch()
            throws Exception
    {
        daemon.answer("PATCH", "/api/v1/images/widgetstore:latest-production", image(3, "widgets", READY));

        Result result = dolly.run("update", "data-image", "widgetstore:latest-production", "--tag", "stable", "--tag", "v2", "--remove-tag", "old",
                "--team", "myorg:dbas", "--remove-team", "myorg:interns", "--name", "widgets", "--lifetime", "7d");

        assertThat(result).isEqualTo(new Result(0, "Data image 'widgets' (3) updated.\n", ""));
        UpdateImageRequest request = Json.json().readValue(daemon.requests("PATCH", "/api/v1/images/widgetstore:latest-production").getFirst().body(),
                UpdateImageRequest.class);
        assertThat(request).isEqualTo(new UpdateImageRequest(List.of("stable", "v2"), List.of("old"), List.of("myorg:dbas"), List.of("myorg:interns"),
                "widgets", "7d"));
    }

    @Test
    void updatedImageAsJsonAndQuiet()
            throws Exception
    {
        DataImage image = image(3, "widgets", READY);
        daemon.answer("PATCH", "/api/v1/images/3", image);

        Result json = dolly.run("update", "di", "3", "--lifetime", "0", "-o", "json");
        assertThat(json.exitCode()).isZero();
        assertThat(Json.json().readValue(json.stdout(), DataImage.class)).isEqualTo(image);
        assertThat(dolly.run("update", "di", "3", "--tag", "x", "-q")).isEqualTo(new Result(0, "widgets\n", ""));
    }

    @Test
    void updateWithoutChangesIsRefused()
    {
        Result result = dolly.run("update", "data-image", "widgets");

        assertThat(result.exitCode()).isEqualTo(3);
        assertThat(result.stderr()).contains("Nothing to change: give --tag, --remove-tag, --team, --remove-team, --name, --lifetime or --pool.");
        assertThat(daemon.requests()).isEmpty();
        assertThat(dolly.run("update", "data-container", "c1").stderr()).contains("Nothing to change: give --name, --lifetime, --team, --remove-team or --idle-stop.");
    }

    @Test
    void updateOfAMissingImageExitsWithTwo()
    {
        daemon.fail("PATCH", "/api/v1/images/nope", ErrorCode.NOT_FOUND, "Data image 'nope' not found.", NextStep.of(NextStep.Kind.LIST_IMAGES));

        assertThat(dolly.run("update", "data-image", "nope", "--tag", "x"))
                .isEqualTo(new Result(2, "", "Error: Data image 'nope' not found. List images with 'dolly get data-images'.\n"));
    }

    @Test
    void updatesAContainer()
            throws Exception
    {
        daemon.answer("PATCH", "/api/v1/containers/old-name", container(4, "new-name", "chinook", READY));

        Result result = dolly.run("update", "data-container", "old-name", "--name", "new-name", "--lifetime", "10h30m");

        assertThat(result).isEqualTo(new Result(0, "Data container 'new-name' (4) updated.\n", ""));
        UpdateContainerRequest request = Json.json().readValue(daemon.requests("PATCH", "/api/v1/containers/old-name").getFirst().body(),
                UpdateContainerRequest.class);
        assertThat(request).isEqualTo(new UpdateContainerRequest("new-name", "10h30m"));
        assertThat(dolly.run("update", "dc", "old-name", "--lifetime", "0", "-q")).isEqualTo(new Result(0, "new-name\n", ""));
    }

    @Test
    void filtersImagesByNameAndTag()
    {
        daemon.answerList("GET", "/api/v1/images", List.of(image(5, "widgetstore", READY)));

        Result result = dolly.run("get", "data-images", "--name", "widgetstore", "--tag", "latest-production", "-q");

        assertThat(result).isEqualTo(new Result(0, "widgetstore\n", ""));
        assertThat(daemon.requests("GET", "/api/v1/images").getFirst().query()).isEqualTo("name=widgetstore&tag=latest-production");
        dolly.run("get", "data-images", "--tag", "run-42");
        assertThat(daemon.requests("GET", "/api/v1/images").getLast().query()).isEqualTo("tag=run-42");
        dolly.run("get", "data-images");
        assertThat(daemon.requests("GET", "/api/v1/images").getLast().query()).isNull();
    }

    @Test
    void filtersContainersByImage()
    {
        daemon.answerList("GET", "/api/v1/containers", List.of(container(4, "mine", "widgetstore", READY)));

        Result result = dolly.run("get", "data-containers", "--image", "widgetstore:latest-production", "-q");

        assertThat(result).isEqualTo(new Result(0, "mine\n", ""));
        assertThat(daemon.requests("GET", "/api/v1/containers").getFirst().query()).isEqualTo("image=widgetstore%3Alatest-production");
    }

    @Test
    void deletesEveryContainerOfAnImage()
    {
        daemon.answerList("GET", "/api/v1/containers", List.of(container(4, "a", "widgetstore", READY), container(5, "b", "widgetstore", READY)));
        daemon.answer("DELETE", "/api/v1/containers/4", container(4, "a", "widgetstore", READY));
        daemon.answer("DELETE", "/api/v1/containers/5", container(5, "b", "widgetstore", READY));

        Result result = dolly.run("delete", "data-container", "--image", "widgetstore");

        assertThat(result).isEqualTo(new Result(0, "Data container 'a' deleted.\nData container 'b' deleted.\n", ""));
        assertThat(daemon.requests("GET", "/api/v1/containers").getFirst().query()).isEqualTo("image=widgetstore");
    }

    @Test
    void deletesSeveralContainersAndGoesOnAfterAMissingOne()
    {
        daemon.answer("DELETE", "/api/v1/containers/a", container(4, "a", "chinook", READY));
        daemon.fail("DELETE", "/api/v1/containers/b", ErrorCode.NOT_FOUND, "Data container 'b' not found.");
        daemon.answer("DELETE", "/api/v1/containers/c", container(6, "c", "chinook", READY));

        assertThat(dolly.run("delete", "data-container", "a", "b", "c"))
                .isEqualTo(new Result(2, "Data container 'a' deleted.\nData container 'c' deleted.\n", "Error: Data container 'b' not found.\n"));
        assertThat(dolly.run("delete", "data-container", "a", "b", "c", "--ignore-not-found", "-q"))
                .isEqualTo(new Result(0, "a\nc\n", ""));
    }

    @Test
    void ignoreNotFoundAlsoCoversTheImageFilterButNotOtherFailures()
    {
        daemon.fail("GET", "/api/v1/containers", ErrorCode.NOT_FOUND, "Data image 'gone' not found.");

        assertThat(dolly.run("delete", "data-container", "--image", "gone", "--ignore-not-found")).isEqualTo(new Result(0, "", ""));
        assertThat(dolly.run("delete", "data-container", "--image", "gone")).isEqualTo(new Result(2, "", "Error: Data image 'gone' not found.\n"));

        daemon.fail("DELETE", "/api/v1/images/busy", ErrorCode.IN_USE, "Data image 'busy' (3) is used by data containers 'a'.", NextStep.of(NextStep.Kind.DELETE_CONTAINERS_FIRST));
        daemon.fail("DELETE", "/api/v1/images/gone", ErrorCode.NOT_FOUND, "Data image 'gone' not found.");
        assertThat(dolly.run("delete", "data-image", "gone", "--ignore-not-found")).isEqualTo(new Result(0, "", ""));
        assertThat(dolly.run("delete", "data-image", "gone", "busy", "--ignore-not-found"))
                .isEqualTo(new Result(1, "", "Error: Data image 'busy' (3) is used by data containers 'a'. Delete them first ('dolly delete data-container NAME').\n"));
    }

    @Test
    void deleteNeedsNamesOrAnImage()
    {
        Result result = dolly.run("delete", "data-container");

        assertThat(result.exitCode()).isEqualTo(3);
        assertThat(result.stderr()).contains("Which containers? Name them, or give --image IMAGE");
    }

    @Test
    void waitingForABuildTimesOutWithExitCodeFour()
            throws Exception
    {
        Path definition = directory.resolve("image.yaml");
        Files.writeString(definition, "name: chinook\nsourceType: empty\nengine: postgresql\n");
        daemon.answer("POST", "/api/v1/uploads", new Upload("upload-1", 0, 0));
        daemon.answer("POST", "/api/v1/images", image(7, "chinook", PENDING));
        daemon.answer("GET", "/api/v1/images/7", image(7, "chinook", PENDING, "Restoring", null));

        // every look at the clock is a minute later: the third poll is past the limit
        Result result = dolly.withClock(new SteppingClock(NOW, Duration.ofMinutes(1)))
                .run("create", "data-image", "-f", definition.toString(), "--timeout", "2m", "-q");

        assertThat(result).isEqualTo(new Result(4, "",
                "Error: Data image 'chinook' (7) is not ready after 2m; its build goes on. Follow it with 'dolly get data-image 7'.\n"));
        assertThat(daemon.requests("DELETE", "/api/v1/images/7")).isEmpty();
    }

    @Test
    void timeoutNeedsADurationAndAWait()
            throws Exception
    {
        Path definition = directory.resolve("image.yaml");
        Files.writeString(definition, "name: chinook\nsourceType: empty\nengine: postgresql\n");

        Result badDuration = dolly.run("create", "data-image", "-f", definition.toString(), "--timeout", "soon");
        assertThat(badDuration.exitCode()).isEqualTo(3);
        assertThat(badDuration.stderr()).contains("--timeout 'soon' is not a duration");
        Result noWait = dolly.run("create", "data-image", "-f", definition.toString(), "--timeout", "5m", "--no-wait");
        assertThat(noWait.exitCode()).isEqualTo(3);
        assertThat(noWait.stderr()).contains("--timeout limits the wait: it makes no sense with --no-wait.");
        assertThat(daemon.requests()).isEmpty();
    }

    @Test
    void waitIsTheDefaultAndCanBeSaid()
            throws Exception
    {
        Path definition = directory.resolve("image.yaml");
        Files.writeString(definition, "name: chinook\nsourceType: empty\nengine: postgresql\n");
        daemon.answer("POST", "/api/v1/uploads", new Upload("upload-1", 0, 0));
        daemon.answer("POST", "/api/v1/images", image(7, "chinook", PENDING));
        daemon.answerInTurn("GET", "/api/v1/images/7", image(7, "chinook", PENDING), image(7, "chinook", READY));

        assertThat(dolly.run("create", "data-image", "-f", definition.toString(), "--wait", "--timeout", "1h", "-q")).isEqualTo(new Result(0, "chinook\n", ""));
    }

    @Test
    void tableShowsExpiredImagesWaitingForContainersAndTagsAwaitingABuild()
    {
        DataImage expired = new DataImage(1, "widgetstore", List.of("v1"), List.of("myorg:developers"), "postgresql", "17", READY, null, null, "backup",
                "widgets", "admin", NOW.minus(Duration.ofHours(18)), NOW, NOW.minus(Duration.ofMinutes(5)), 1024L, List.of("a", "b"), null, List.of(), "17", List.of());
        DataImage building = new DataImage(2, "widgetstore", List.of(), List.of(), "postgresql", "17", PENDING, null, "Restoring", "backup",
                null, "admin", NOW.minus(Duration.ofMinutes(3)), null, NOW.plus(Duration.ofDays(7)).plusSeconds(1), null, List.of(), null,
                List.of("latest-production"), "17", List.of());
        DataImage kept = new DataImage(3, "chinook", List.of("latest-production"), List.of(), "postgresql", "17", READY, null, null, "backup",
                null, "admin", NOW.minus(Duration.ofDays(2)), NOW, null, null, List.of("c"), null, List.of(), "17", List.of());
        daemon.answerList("GET", "/api/v1/images", List.of(expired, building, kept));

        Result result = dolly.run("get", "data-images");

        assertThat(result.stdout()).isEqualTo("""
                ID  NAME         TAGS                            ENGINE         STATUS   CREATED        TEAMS             EXPIRES
                1   widgetstore  v1                              postgresql 17  Ready    18 hours ago   myorg:developers  expired, waiting for 2 containers
                2   widgetstore  latest-production (when ready)  postgresql 17  Pending  3 minutes ago                    in 7 days
                3   chinook      latest-production               postgresql 17  Ready    2 days ago                       never
                """);
    }

    @Test
    void jsonAndYamlCarryExactTimestamps()
    {
        daemon.answer("GET", "/api/v1/images/chinook", image(1, "chinook", READY));

        String json = dolly.run("get", "data-image", "chinook", "-o", "json").stdout();
        assertThat(json).contains("\"createdAt\" : \"2025-05-31T18:00:00Z\"").contains("\"expiresAt\" : \"2025-06-05T12:00:30Z\"");
        String yaml = dolly.run("get", "data-image", "chinook", "-o", "yaml").stdout();
        assertThat(yaml).contains("createdAt: 2025-05-31T18:00:00Z\n").contains("expiresAt: 2025-06-05T12:00:30Z\n");
    }

    @Test
    void quietVersionIsTheNumberOnly()
    {
        Result result = dolly.run("version", "-q");

        assertThat(result.exitCode()).isZero();
        assertThat(result.stdout()).doesNotContain("dolly version").isNotBlank();
    }

    /** A clock that moves on by a step each time it is read. */
    private static final class SteppingClock
            extends Clock
    {
        private Instant now;
        private final Duration step;

        SteppingClock(Instant start, Duration step)
        {
            this.now = start;
            this.step = step;
        }

        @Override
        public ZoneId getZone()
        {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone)
        {
            return this;
        }

        @Override
        public synchronized Instant instant()
        {
            Instant current = now;
            now = now.plus(step);
            return current;
        }
    }
}
