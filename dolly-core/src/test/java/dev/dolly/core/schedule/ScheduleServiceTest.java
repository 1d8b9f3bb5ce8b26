package dev.dolly.core.schedule;

import dev.dolly.api.CreateContainerRequest;
import dev.dolly.api.CreateScheduleRequest;
import dev.dolly.api.DataContainer;
import dev.dolly.api.DataImage;
import dev.dolly.api.ErrorCode;
import dev.dolly.api.ResourceStatus;
import dev.dolly.api.Schedule;
import dev.dolly.api.Upload;
import dev.dolly.core.auth.Caller;
import dev.dolly.core.catalog.ImageRecord;
import dev.dolly.core.testing.FakeEngine;
import dev.dolly.core.testing.FakeEngine.Operation;
import dev.dolly.core.testing.FakeEngineServices;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CountDownLatch;

import static dev.dolly.core.testing.DollyAssertions.assertFailsWith;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Scheduled builds and following containers on the real catalog, the copy driver and the fake engine, with a clock
 * the tests move: next runs, runs that would overlap, keep, failed runs, refreshes.
 */
class ScheduleServiceTest
{
    private static final Caller ADMIN = Caller.administrator("admin");

    @TempDir
    Path directory;

    private FakeEngineServices services;
    private FakeEngine engine;
    private ScheduleService schedules;

    @BeforeEach
    void setUp()
    {
        services = new FakeEngineServices(directory);
        engine = services.engine();
        schedules = services.schedules();
    }

    @AfterEach
    void tearDown()
    {
        services.close();
    }

    @Test
    void nextRunsFollowTheExpressionInItsTimeZone()
    {
        Instant noon = Instant.parse("2026-11-30T12:00:00Z");
        // 02:00 in Berlin is 01:00 UTC in winter, 00:00 UTC in summer
        assertThat(CronSchedule.parse("0 2 * * *", "Europe/Berlin").nextAfter(noon)).contains(Instant.parse("2026-12-01T01:00:00Z"));
        assertThat(CronSchedule.parse("0 2 * * *", "Europe/Berlin").nextAfter(Instant.parse("2027-06-01T12:00:00Z")))
                .contains(Instant.parse("2027-06-02T00:00:00Z"));
        assertThat(CronSchedule.parse("*/15 * * * *", "UTC").nextAfter(noon)).contains(Instant.parse("2026-11-30T12:15:00Z"));
        // Monday to Friday: the 30th of November 2026 is a Monday, so Saturday and Sunday are skipped after Friday
        assertThat(CronSchedule.parse("0 6 * * 1-5", "UTC").nextAfter(Instant.parse("2026-12-04T07:00:00Z"))).contains(Instant.parse("2026-12-07T06:00:00Z"));

        assertFailsWith(ErrorCode.BAD_INPUT, () -> CronSchedule.parse("0 2 * *", "UTC")).hasMessageContaining("five fields");
        assertFailsWith(ErrorCode.BAD_INPUT, () -> CronSchedule.parse("61 2 * * *", "UTC")).hasMessageContaining("not valid");
        assertFailsWith(ErrorCode.BAD_INPUT, () -> CronSchedule.parse("0 2 * * *", "Mars/Olympus")).hasMessageContaining("not a time zone");
    }

    @Test
    void buildsAtItsTimesMovesTheTagAndKeepsTheNewest()
    {
        Schedule created = create("nightly", "0 * * * *", 1);
        assertThat(created.nextRunAt()).isEqualTo(Instant.parse("2026-11-30T13:00:00Z"));
        schedules.tick();
        assertThat(schedules.get("nightly", ADMIN).runningImageId()).isNull();

        long first = runAt(Duration.ofHours(1));
        Schedule afterFirst = schedules.get("nightly", ADMIN);
        assertThat(afterFirst.lastResult()).isEqualTo(ScheduleService.SUCCEEDED);
        assertThat(afterFirst.lastImageId()).isEqualTo(first);
        assertThat(afterFirst.nextRunAt()).isEqualTo(Instant.parse("2026-11-30T14:00:00Z"));
        assertThat(tagged()).contains(first);

        // a container keeps the first image beyond keep until it is gone
        DataContainer user = services.containers().create(new CreateContainerRequest(String.valueOf(first), "user", null), ADMIN);
        long second = runAt(Duration.ofHours(1));
        assertThat(tagged()).contains(second);
        assertThat(services.catalog().images().find(first)).isPresent();

        services.containers().delete(user.name(), ADMIN);
        schedules.tick();
        assertThat(services.catalog().images().find(first)).isEmpty();
        assertThat(services.catalog().images().find(second).map(ImageRecord::status)).contains(ResourceStatus.READY);
    }

    @Test
    void aRunStillGoingWhenTheNextIsDueSkipsItAndSaysSo()
    {
        create("nightly", "0 * * * *", null);
        CountDownLatch held = engine.holdLoads();
        services.clock().advance(Duration.ofHours(1));
        schedules.tick();
        Long running = schedules.get("nightly", ADMIN).runningImageId();
        assertThat(running).isNotNull();

        services.clock().advance(Duration.ofHours(1));
        schedules.tick();
        Schedule skipped = schedules.get("nightly", ADMIN);
        assertThat(skipped.lastResult()).isEqualTo(ScheduleService.SKIPPED);
        assertThat(skipped.lastMessage()).contains("skipped").contains("still going");
        assertThat(skipped.runningImageId()).isEqualTo(running);
        assertFailsWith(ErrorCode.CONFLICT, () -> schedules.run("nightly", ADMIN)).hasMessageContaining("running already");

        held.countDown();
        services.awaitImage(running);
        schedules.tick();
        Schedule done = schedules.get("nightly", ADMIN);
        assertThat(done.lastResult()).isEqualTo(ScheduleService.SUCCEEDED);
        assertThat(done.lastMessage()).contains("skipped");
        assertThat(done.nextRunAt()).isEqualTo(Instant.parse("2026-11-30T15:00:00Z"));
        assertThat(services.catalog().images().findByName("shop")).hasSize(1);
    }

    @Test
    void aFailedRunKeepsThePreviousImageAndItsTags()
    {
        create("nightly", "0 2 * * *", 1);
        long first = runNow();
        engine.fail(Operation.LOAD);
        Schedule started = schedules.run("nightly", ADMIN);
        DataImage failed = services.awaitImage(started.runningImageId());
        assertThat(failed.status()).isEqualTo(ResourceStatus.FAILED);
        schedules.tick();

        Schedule schedule = schedules.get("nightly", ADMIN);
        assertThat(schedule.lastResult()).isEqualTo(ScheduleService.FAILED);
        assertThat(schedule.lastMessage()).contains("Image " + failed.id() + " failed").contains("previous image keeps its tags");
        assertThat(tagged()).contains(first);
        assertThat(services.catalog().images().find(first).map(ImageRecord::status)).contains(ResourceStatus.READY);
        // a run by hand leaves the expression's next time as it was
        assertThat(schedule.nextRunAt()).isEqualTo(Instant.parse("2026-12-01T02:00:00Z"));
    }

    @Test
    void badSchedulesAreRefusedWithNothingKept()
            throws Exception
    {
        assertFailsWith(ErrorCode.BAD_INPUT, () -> schedules.create(request("bad", "every night", null, upload()), ADMIN, false)).hasMessageContaining("five fields");
        assertFailsWith(ErrorCode.BAD_INPUT, () -> schedules.create(request("bad", "0 2 * * *", 0, upload()), ADMIN, false)).hasMessageContaining("--keep");
        assertFailsWith(ErrorCode.BAD_INPUT, () -> schedules.create(new CreateScheduleRequest("bad", FakeEngineServices.definition("shop"), directory.toString(), null,
                "0 2 * * *", null, null, List.of(), null), new Caller("alice", false, Set.of()), false)).hasMessageContaining("local administrator");
        assertThat(schedules.list(ADMIN)).isEmpty();
        Path kept = services.configuration().schedulesDirectory();
        if (Files.exists(kept)) {
            try (var files = Files.list(kept)) {
                assertThat(files.toList()).isEmpty();
            }
        }

        create("nightly", "0 2 * * *", null);
        assertFailsWith(ErrorCode.ALREADY_EXISTS, () -> create("nightly", "0 3 * * *", null));
        assertFailsWith(ErrorCode.NOT_FOUND, () -> schedules.get("nightly", new Caller("alice", false, Set.of())));
    }

    @Test
    void deletingAScheduleDeletesTheFilesItKept()
    {
        Schedule schedule = create("nightly", "0 2 * * *", null);
        Path kept = services.configuration().schedulesDirectory().resolve(String.valueOf(schedule.id()));
        assertThat(kept.resolve("dump.sql")).exists();
        long image = runNow();
        schedules.delete("nightly", ADMIN);
        assertThat(kept).doesNotExist();
        assertThat(schedules.list(ADMIN)).isEmpty();
        assertThat(services.catalog().images().find(image)).isPresent();
    }

    @Test
    void aRunInterruptedBeforeItsImageWasRecordedIsRecordedAsFailed()
    {
        Schedule schedule = create("nightly", "0 2 * * *", null);
        assertThat(services.catalog().schedules().markFired(schedule.id(), services.clock().instant())).isTrue();
        schedules.reconcile();
        Schedule settled = schedules.get("nightly", ADMIN);
        assertThat(settled.lastResult()).isEqualTo(ScheduleService.FAILED);
        assertThat(settled.lastMessage()).contains("interrupted");
        assertThat(settled.runningImageId()).isNull();
    }

    @Test
    void aFollowingContainerMovesAtItsRefreshTimeKeepingItsDetails()
    {
        create("nightly", "0 2 * * *", null);
        long first = runNow();
        DataContainer container = services.containers().create(new CreateContainerRequest("shop:latest", "dev", null, true, "06:00"), ADMIN);
        assertThat(container.following().image()).isEqualTo("shop:latest");
        engine.insertRow(container.port(), container.password(), "work in progress");
        services.revisions().save("dev", ADMIN);

        long second = runNow();
        services.following().refreshDue();
        assertThat(services.containers().get("dev", ADMIN).imageId()).isEqualTo(first);

        // noticed at 12:00: moves at 06:00 the next day
        services.clock().advance(Duration.ofHours(17).plusMinutes(59));
        services.following().refreshDue();
        assertThat(services.containers().get("dev", ADMIN).imageId()).isEqualTo(first);
        services.clock().advance(Duration.ofMinutes(1));
        services.following().refreshDue();

        DataContainer moved = services.containers().get("dev", ADMIN);
        assertThat(moved.imageId()).isEqualTo(second);
        assertThat(moved.port()).isEqualTo(container.port());
        assertThat(moved.password()).isEqualTo(container.password());
        assertThat(moved.revision()).isEqualTo("rev.0");
        assertThat(moved.status()).isEqualTo(ResourceStatus.READY);
        assertThat(moved.following().refreshedAt()).isEqualTo(services.clock().instant());
        assertThat(moved.following().message()).contains("image " + first + " to image " + second).contains("dropped rev.1");
        assertThat(engine.rows(moved.port(), moved.password())).doesNotContain("work in progress");
        assertThat(services.revisions().list("dev", ADMIN)).hasSize(1);
        assertThat(services.volumesOnDisk("containers")).hasSize(1);
    }

    @Test
    void aFailedRefreshKeepsTheContainerOnItsImageAndSaysWhy()
    {
        create("nightly", "0 2 * * *", null);
        long first = runNow();
        DataContainer container = services.containers().create(new CreateContainerRequest("shop:latest", "dev", null, true, "now"), ADMIN);
        engine.insertRow(container.port(), container.password(), "kept");
        long second = runNow();

        engine.fail(Operation.CHANGE_PASSWORD);
        services.following().refreshDue();
        engine.succeed(Operation.CHANGE_PASSWORD);
        DataContainer stayed = services.containers().get("dev", ADMIN);
        assertThat(stayed.imageId()).isEqualTo(first);
        assertThat(stayed.status()).isEqualTo(ResourceStatus.READY);
        assertThat(stayed.following().message()).contains("Refresh to image " + second + " failed");
        assertThat(engine.rows(stayed.port(), stayed.password())).contains("kept");
        assertThat(services.volumesOnDisk("containers")).hasSize(1);

        // not tried again on that image; the next one the tag moves to is
        services.following().refreshDue();
        assertThat(services.containers().get("dev", ADMIN).imageId()).isEqualTo(first);
        long third = runNow();
        services.following().refreshDue();
        assertThat(services.containers().get("dev", ADMIN).imageId()).isEqualTo(third);

        assertFailsWith(ErrorCode.BAD_INPUT, () -> services.containers().create(new CreateContainerRequest("shop", "other", null, true, null), ADMIN))
                .hasMessageContaining("name:tag");
        assertFailsWith(ErrorCode.BAD_INPUT, () -> services.containers().create(new CreateContainerRequest("shop:latest", "other", null, true, "6am"), ADMIN))
                .hasMessageContaining("HH:MM");
    }

    private Schedule create(String name, String cron, Integer keep)
    {
        return schedules.create(request(name, cron, keep, upload()), ADMIN, false);
    }

    private static CreateScheduleRequest request(String name, String cron, Integer keep, String upload)
    {
        return new CreateScheduleRequest(name, FakeEngineServices.definition("shop"), null, upload, cron, "UTC", keep, List.of("latest"), null);
    }

    private String upload()
    {
        byte[] files = FakeEngineServices.definitionFiles();
        Upload upload = services.uploads().receive(new ByteArrayInputStream(files), files.length, ADMIN.name());
        return upload.id();
    }

    /** Moves the clock on, lets the schedule start its run, waits for the build and records it: the image built. */
    private long runAt(Duration later)
    {
        services.clock().advance(later);
        schedules.tick();
        Long running = schedules.get("nightly", ADMIN).runningImageId();
        assertThat(running).isNotNull();
        services.awaitImage(running);
        schedules.tick();
        return running;
    }

    private long runNow()
    {
        long image = schedules.run("nightly", ADMIN).runningImageId();
        assertThat(services.awaitImage(image).status()).isEqualTo(ResourceStatus.READY);
        schedules.tick();
        return image;
    }

    private Optional<Long> tagged()
    {
        return services.catalog().images().findByTag("shop", "latest").map(ImageRecord::id);
    }
}
