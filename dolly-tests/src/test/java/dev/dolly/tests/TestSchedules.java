package dev.dolly.tests;

import dev.dolly.api.DataContainer;
import dev.dolly.api.DataImage;
import dev.dolly.api.Schedule;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Map;
import java.util.function.Predicate;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 14, "fresh data every night", on btrfs: a real daemon builds a PostgreSQL image every minute
 * ({@code --cron "* * * * *"}); the tag moves to each new image, {@code --keep 1} deletes the older one once the
 * container that follows the tag has moved to the new one, on the same port with the same password. Each build
 * stamps its data with a random value, so that a client sees which image it is on. A run by hand of a failing
 * definition records why and leaves the tag where it was.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TestSchedules
{
    private static final Duration RUN_WAIT = Duration.ofSeconds(150);

    private DaemonProcess daemon;
    private Cli dolly;
    private Path work;

    @BeforeAll
    void startDaemon()
            throws Exception
    {
        daemon = DaemonProcess.withNewHome(DriverUnderTest.BTRFS.homeParent(), Map.of("DOLLY_CONTAINER_PORTS", "57600-57799")).start();
        dolly = new Cli(daemon.environment());
        work = Files.createTempDirectory(daemon.home().getParent(), "work");
    }

    @AfterAll
    void stopDaemon()
            throws Exception
    {
        if (daemon != null) {
            for (Schedule schedule : dolly.json(Schedule[].class, "get", "schedules")) {
                dolly.succeed("delete", "schedule", schedule.name());
            }
            for (DataContainer container : dolly.json(DataContainer[].class, "get", "data-containers")) {
                dolly.succeed("delete", "data-container", container.name());
            }
            for (DataImage image : dolly.json(DataImage[].class, "get", "data-images")) {
                dolly.run("delete", "data-image", String.valueOf(image.id()));
            }
            daemon.close();
        }
    }

    @Test
    void aScheduleBuildsEveryMinuteMovesItsTagKeepsOneAndTheFollowingContainerMoves()
            throws Exception
    {
        Path definition = definition("shop", "create table stamp as select md5(random()::text) as build;");
        dolly.succeed("create", "schedule", "nightly", "-f", definition.toString(), "--cron", "* * * * *", "--time-zone", "UTC", "--keep", "1",
                "--tag", "latest");
        Schedule first = await("nightly", schedule -> "Succeeded".equals(schedule.lastResult()));
        long firstImage = first.lastImageId();
        assertThat(dolly.json(DataImage.class, "get", "data-image", "shop:latest").id()).isEqualTo(firstImage);

        DataContainer container = dolly.json(DataContainer.class, "create", "data-container", "-i", "shop:latest", "--follow", "--refresh-at", "now",
                "-n", "dev");
        assertThat(container.imageId()).isEqualTo(firstImage);
        String firstStamp = stamp(container);

        // the next minute's run: a new image, the tag on it, the container moved to it with its port and password
        Schedule second = await("nightly", schedule -> schedule.lastImageId() != null && schedule.lastImageId() != firstImage
                && "Succeeded".equals(schedule.lastResult()));
        long secondImage = second.lastImageId();
        assertThat(dolly.json(DataImage.class, "get", "data-image", "shop:latest").id()).isEqualTo(secondImage);
        DataContainer moved = awaitContainer("dev", current -> current.imageId() == secondImage);
        assertThat(moved.port()).isEqualTo(container.port());
        assertThat(moved.password()).isEqualTo(container.password());
        assertThat(moved.following().message()).contains("to image " + secondImage);
        assertThat(stamp(moved)).isNotEqualTo(firstStamp);
        assertThat(dolly.succeed("get", "data-container", "dev").stdout()).contains("Follows:        shop:latest").contains("Last refreshed:");

        // --keep 1: the first image goes once the container left it
        awaitImageGone(firstImage);
        assertThat(daemon.home().resolve("storage/images/" + firstImage)).doesNotExist();
        dolly.succeed("delete", "schedule", "nightly");
        assertThat(daemon.home().resolve("schedules")).isEmptyDirectory();
    }

    @Test
    void aRunByHandOfAFailingDefinitionRecordsWhyAndKeepsTheImageAndItsTag()
            throws Exception
    {
        dolly.succeed("create", "schedule", "good", "-f", definition("store", "create table stamp as select 1 as build;").toString(), "--cron", "0 3 1 1 *",
                "--tag", "stable");
        dolly.succeed("run", "schedule", "good");
        long good = await("good", schedule -> schedule.lastResult() != null).lastImageId();
        assertThat(dolly.json(DataImage.class, "get", "data-image", "store:stable").id()).isEqualTo(good);

        dolly.succeed("create", "schedule", "broken", "-f", definition("store", "select 1/0;").toString(), "--cron", "0 3 1 1 *", "--tag", "stable");
        Cli.Result started = dolly.succeed("run", "schedule", "broken");
        assertThat(started.stdout()).contains("is building image 'store'");
        Schedule failed = await("broken", schedule -> schedule.lastResult() != null);
        assertThat(failed.lastResult()).isEqualTo("Failed");
        assertThat(failed.lastMessage()).contains("division by zero").contains("The previous image keeps its tags");
        assertThat(dolly.json(DataImage.class, "get", "data-image", "store:stable").id()).isEqualTo(good);
        assertThat(dolly.succeed("get", "schedules").stdout()).contains("broken").contains("Failed").contains("0 3 1 1 *");

        Cli.Result badCron = dolly.run("create", "schedule", "bad", "-f", definition("store", "select 1;").toString(), "--cron", "0 3 * *");
        assertThat(badCron.exitCode()).isEqualTo(3);
        assertThat(badCron.stderr()).contains("five fields");
    }

    private Schedule await(String name, Predicate<Schedule> condition)
            throws InterruptedException
    {
        long deadline = System.nanoTime() + RUN_WAIT.toNanos();
        while (true) {
            Schedule schedule = dolly.json(Schedule.class, "get", "schedule", name);
            if (condition.test(schedule)) {
                return schedule;
            }
            assertThat(System.nanoTime()).as("schedule " + name + " is " + schedule).isLessThan(deadline);
            Thread.sleep(500);
        }
    }

    private DataContainer awaitContainer(String name, Predicate<DataContainer> condition)
            throws InterruptedException
    {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (true) {
            DataContainer container = dolly.json(DataContainer.class, "get", "data-container", name);
            if (condition.test(container)) {
                return container;
            }
            assertThat(System.nanoTime()).as("container " + name + " is " + container).isLessThan(deadline);
            Thread.sleep(200);
        }
    }

    private void awaitImageGone(long id)
            throws InterruptedException
    {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (dolly.run("get", "data-image", String.valueOf(id)).exitCode() == 0) {
            assertThat(System.nanoTime()).as("image " + id + " is still there").isLessThan(deadline);
            Thread.sleep(200);
        }
    }

    private static String stamp(DataContainer container)
            throws SQLException
    {
        try (Connection connection = DriverManager.getConnection(container.jdbcUrl(), container.user(), container.password());
                Statement statement = connection.createStatement();
                ResultSet result = statement.executeQuery("select build from stamp")) {
            assertThat(result.next()).isTrue();
            return result.getString(1);
        }
    }

    private Path definition(String name, String postScript)
            throws IOException
    {
        Path directory = Files.createTempDirectory(work, name);
        Path file = directory.resolve("image.yaml");
        Files.writeString(file, "name: " + name + "\nsourceType: empty\nengine: postgresql\nversion: 17\npostScript: " + postScript + "\n");
        return file;
    }
}
