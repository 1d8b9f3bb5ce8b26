package dev.dolly.core.image;

import dev.dolly.api.CreateImageRequest;
import dev.dolly.api.DataImage;
import dev.dolly.api.ImageBuildStep;
import dev.dolly.api.ErrorCode;
import dev.dolly.api.NextStep;
import dev.dolly.api.ResourceStatus;
import dev.dolly.api.UpdateImageRequest;
import dev.dolly.api.Upload;
import dev.dolly.core.auth.Caller;
import dev.dolly.core.engine.LoadPlan;
import dev.dolly.core.storage.VolumeKeys;
import dev.dolly.core.testing.FakeEngine;
import dev.dolly.core.testing.FakeEngine.Operation;
import dev.dolly.core.testing.FakeEngineServices;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CountDownLatch;

import static dev.dolly.core.testing.DollyAssertions.assertFailsWith;
import static dev.dolly.core.testing.FakeEngineServices.definition;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Builds, tags, visibility, lifetimes and deletion of images, on a fake engine, the copy driver and the real catalog. */
class ImageServiceTest
{
    private static final Caller ALICE = new Caller("alice", false, Set.of("org:devs"));
    private static final Caller BOB = new Caller("bob", false, Set.of("org:devs"));
    private static final Caller CAROL = new Caller("carol", false, Set.of("org:ops"));
    private static final Caller ADMIN = Caller.administrator("admin");

    @TempDir
    Path directory;

    private FakeEngineServices services;
    private FakeEngine engine;
    private ImageService images;

    @BeforeEach
    void setUp()
    {
        services = new FakeEngineServices(directory);
        engine = services.engine();
        images = services.images();
    }

    @AfterEach
    void tearDown()
    {
        services.close();
    }

    @Test
    void buildsASealedImageAndLeavesNoServerRunning()
            throws IOException
    {
        DataImage pending = services.startBuild(ALICE, definition("widgets", "initialDatabaseName: widgets", "preScript: create extension x;"),
                List.of(), List.of(), null);
        assertThat(pending.status()).isEqualTo(ResourceStatus.PENDING);
        assertThat(pending.owner()).isEqualTo("alice");

        DataImage image = services.awaitImage(pending.id());

        assertThat(image.status()).as(image.statusMessage()).isEqualTo(ResourceStatus.READY);
        assertThat(image.engine()).isEqualTo(FakeEngine.NAME);
        assertThat(image.engineVersion()).isEqualTo(FakeEngine.DEFAULT_VERSION);
        assertThat(image.databaseName()).isEqualTo("widgets");
        assertThat(image.readyAt()).isEqualTo(services.clock().instant());
        assertThat(image.sizeBytes()).isPositive();
        Path volume = services.storage().path(VolumeKeys.image(image.id()));
        assertThat(Files.readAllLines(volume.resolve(FakeEngine.LOADED), StandardCharsets.UTF_8))
                .containsExactly("pre-script create extension x;", "backup dump.sql PLAIN");
        // sealed: never started again
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(volume))).isEqualTo("r-x------");
        assertThat(engine.loadPlans()).extracting(LoadPlan::initialDatabase).containsExactly(Optional.of("widgets"));
        assertThat(image.buildSteps()).extracting(ImageBuildStep::step)
                .containsExactly("install", "volume", "initialize", "start", "create-database", "pre-script", "load", "seal", "stop", "flush", "mark-ready");
        for (Operation operation : List.of(Operation.INSTALL, Operation.INITIALIZE, Operation.START, Operation.LOAD, Operation.SEAL, Operation.STOP)) {
            assertThat(engine.calls(operation)).as(operation.name()).isEqualTo(1);
        }
        assertThat(engine.runningDirectories()).isEmpty();
        // the upload's staging directory goes with the build
        assertThat(services.configuration().uploadsDirectory()).isEmptyDirectory();
    }

    @ParameterizedTest
    @EnumSource(value = Operation.class, names = {"INSTALL", "INITIALIZE", "START", "LOAD", "SEAL"})
    void aFailedBuildLeavesOnlyItsFailedRecord(Operation failing)
    {
        DataImage ready = services.readyImage(ALICE, "widgets", "tags: [latest]");
        engine.fail(failing);

        DataImage failed = services.build(ALICE, definition("widgets", "tags: [latest]"));

        assertThat(failed.status()).isEqualTo(ResourceStatus.FAILED);
        assertThat(failed.statusMessage()).isEqualTo("The fake engine was told to fail " + failing.name().toLowerCase(Locale.ROOT) + ".");
        assertThat(failed.tags()).isEmpty();
        assertThat(failed.pendingTags()).isEmpty();
        assertThat(services.volumesOnDisk("images")).containsExactly(VolumeKeys.image(ready.id()));
        assertThat(engine.runningDirectories()).isEmpty();
        // the tag stays with the image that holds it
        assertThat(images.resolve("widgets:latest", ALICE).id()).isEqualTo(ready.id());
        // a new container goes to the newest READY image, not to the failed one
        assertThat(images.resolveReady("widgets", ALICE).id()).isEqualTo(ready.id());
        assertFailsWith(ErrorCode.CONFLICT, () -> images.resolveReady(String.valueOf(failed.id()), ALICE))
                .hasMessageContaining("is Failed: The fake engine was told to fail");
    }

    @Test
    void failedBuildsReleaseTheirPorts()
    {
        try (FakeEngineServices twoPorts = new FakeEngineServices(directory.resolve("two-ports"), "31300-31301")) {
            twoPorts.engine().fail(Operation.LOAD);
            for (int build = 0; build < 3; build++) {
                assertThat(twoPorts.build(ALICE, definition("widgets")).statusMessage()).isEqualTo("The fake engine was told to fail load.");
            }
            twoPorts.engine().succeed(Operation.LOAD);

            assertThat(twoPorts.build(ALICE, definition("widgets")).status()).isEqualTo(ResourceStatus.READY);
        }
    }

    @Test
    void refusesBadInputBeforeRecordingAnything()
    {
        assertFailsWith(ErrorCode.BAD_INPUT, () -> services.startBuild(ALICE, definition("widgets", "version: 9"), List.of(), List.of(), null))
                .hasMessage("Engine fake has no version '9': use one of 1.0.0, 2.0.0.");
        assertFailsWith(ErrorCode.BAD_INPUT, () -> services.startBuild(ALICE, definition("widgets", "lifetime: soon"), List.of(), List.of(), null));
        assertFailsWith(ErrorCode.BAD_INPUT, () -> services.startBuild(ALICE, "name: widgets\nsourceType: empty\nengine: oracle\n", List.of(), List.of(), null))
                .hasMessageStartingWith("Unknown engine 'oracle'");
        assertFailsWith(ErrorCode.NOT_PERMITTED, () -> services.startBuild(ALICE, definition("widgets"), List.of(), List.of("org:ops"), null))
                .hasMessageStartingWith("You are not a member of team 'org:ops'");

        assertThat(images.list(ADMIN)).isEmpty();
        assertThat(services.volumesOnDisk("images")).isEmpty();
        assertThat(engine.calls(Operation.INSTALL)).isZero();
        assertThat(services.configuration().uploadsDirectory()).isEmptyDirectory();
    }

    @Test
    void aPendingBuildShowsItsTagsAsPendingAndTakesThemOverWhenReady()
            throws InterruptedException
    {
        DataImage first = services.readyImage(ALICE, "widgets", "tags: [latest, v1]");
        CountDownLatch load = engine.holdLoads();
        DataImage second = services.startBuild(ALICE, definition("widgets"), List.of("latest"), List.of(), null);

        DataImage pending = images.get(String.valueOf(second.id()), ALICE);
        assertThat(pending.status()).isEqualTo(ResourceStatus.PENDING);
        assertThat(pending.tags()).isEmpty();
        assertThat(pending.pendingTags()).containsExactly("latest");
        assertThat(images.resolve("widgets:latest", ALICE).id()).isEqualTo(first.id());
        // a name means its newest image, but a container needs a READY one
        assertThat(images.resolve("widgets", ALICE).id()).isEqualTo(second.id());
        assertThat(images.resolveReady("widgets", ALICE).id()).isEqualTo(first.id());
        assertFailsWith(ErrorCode.CONFLICT, () -> images.delete(String.valueOf(second.id()), ALICE))
                .hasMessage("Data image 'widgets' (" + second.id() + ") is still being built. Delete it once it is Ready or Failed.");
        assertFailsWith(ErrorCode.CONFLICT, NextStep.of(NextStep.Kind.WAIT_FOR_IMAGE, second.id()), () -> images.resolveReady(String.valueOf(second.id()), ALICE))
                .hasMessage("Data image 'widgets' (" + second.id() + ") is Pending.");

        load.countDown();
        assertThat(services.awaitImage(second.id()).tags()).containsExactly("latest");

        assertThat(images.resolve("widgets:latest", ALICE).id()).isEqualTo(second.id());
        assertThat(images.get(String.valueOf(first.id()), ALICE).tags()).containsExactly("v1");
        assertThat(images.list(ALICE, "widgets", "latest")).extracting(DataImage::id).containsExactly(second.id());
    }

    @Test
    void updatesTagsTeamsNameAndLifetime()
    {
        DataImage first = services.readyImage(ALICE, "widgets", "tags: [latest]");
        DataImage second = services.readyImage(ALICE, "widgets");

        DataImage updated = images.update(String.valueOf(second.id()), new UpdateImageRequest(List.of("latest"), List.of(), List.of("org:devs"), List.of(), null, "2h"),
                ALICE);

        assertThat(updated.tags()).containsExactly("latest");
        assertThat(updated.teams()).containsExactly("org:devs");
        assertThat(updated.expiresAt()).isEqualTo(services.clock().instant().plus(Duration.ofHours(2)));
        assertThat(images.get(String.valueOf(first.id()), ALICE).tags()).isEmpty();

        DataImage renamed = images.update("widgets:latest", new UpdateImageRequest(List.of(), List.of(), List.of(), List.of(), "gadgets", null), ALICE);
        assertThat(renamed.name()).isEqualTo("gadgets");
        assertThat(images.resolve("gadgets:latest", ALICE).id()).isEqualTo(second.id());
        assertFailsWith(ErrorCode.BAD_INPUT, () -> images.update("gadgets", new UpdateImageRequest(List.of(), List.of("nightly"), List.of(), List.of(), null, null), ALICE))
                .hasMessage("Data image 'gadgets' (" + second.id() + ") has no tag 'nightly'; its tags are latest.");
    }

    @Test
    void imagesAreSeenByTheirOwnerTheirTeamsAndAdministratorsAndChangedOnlyByOwnerAndAdministrators()
    {
        DataImage shared = services.readyImage(ALICE, "widgets", "teams: [org:devs]");
        DataImage own = services.readyImage(ALICE, "private");
        String notFound = "Data image 'widgets' not found.";

        assertThat(images.list(ALICE)).extracting(DataImage::id).containsExactlyInAnyOrder(shared.id(), own.id());
        assertThat(images.list(BOB)).extracting(DataImage::id).containsExactly(shared.id());
        assertThat(images.list(CAROL)).isEmpty();
        assertThat(images.list(ADMIN)).hasSize(2);

        assertThat(images.get("widgets", BOB).id()).isEqualTo(shared.id());
        // a stranger is told what a missing image tells: the name does not leak
        assertFailsWith(ErrorCode.NOT_FOUND, NextStep.of(NextStep.Kind.LIST_IMAGES), () -> images.get("widgets", CAROL)).hasMessage(notFound);
        assertFailsWith(ErrorCode.NOT_FOUND, () -> images.get(String.valueOf(shared.id()), CAROL));
        assertFailsWith(ErrorCode.NOT_FOUND, () -> images.get("private", BOB));
        assertFailsWith(ErrorCode.NOT_FOUND, () -> images.delete("widgets", CAROL)).hasMessage(notFound);

        // a team member sees it but may not change it
        assertFailsWith(ErrorCode.NOT_PERMITTED, () -> images.delete("widgets", BOB))
                .hasMessage("Only the owner of data image 'widgets' (alice) or an administrator may delete it; you can see it through one of its teams.");
        assertFailsWith(ErrorCode.NOT_PERMITTED, () -> images.update("widgets", new UpdateImageRequest(List.of("mine"), List.of(), List.of(), List.of(), null, null), BOB));
        // nor take the name, whose tags would move to their image
        assertFailsWith(ErrorCode.ALREADY_EXISTS, () -> services.startBuild(CAROL, definition("widgets"), List.of(), List.of(), null))
                .hasMessageStartingWith("The data image name 'widgets' belongs to images of another user");

        assertThat(images.delete("private", ADMIN).id()).isEqualTo(own.id());
        assertThat(images.delete("widgets", ALICE).id()).isEqualTo(shared.id());
        assertThat(services.volumesOnDisk("images")).isEmpty();
    }

    @Test
    void anImageInUseIsNotDeleted()
    {
        DataImage image = services.readyImage(ALICE, "widgets");
        services.createContainer(ALICE, "widgets", "copy-1");

        assertFailsWith(ErrorCode.IN_USE, NextStep.of(NextStep.Kind.DELETE_CONTAINERS_FIRST), () -> images.delete("widgets", ALICE))
                .hasMessage("Data image 'widgets' (" + image.id() + ") is used by data containers 'copy-1'.");
        assertThat(images.get("widgets", ALICE).containers()).containsExactly("copy-1");

        services.containers().delete("copy-1", ALICE);
        images.delete("widgets", ALICE);
        assertFailsWith(ErrorCode.NOT_FOUND, () -> images.get(String.valueOf(image.id()), ALICE));
        assertThat(services.volumesOnDisk("images")).isEmpty();
    }

    @Test
    void anExpiredImageWaitsForItsContainersAndIsRefusedToNewOnes()
    {
        DataImage image = services.awaitImage(services.startBuild(ALICE, definition("widgets"), List.of(), List.of(), "1h").id());
        assertThat(image.expiresAt()).isEqualTo(services.clock().instant().plus(Duration.ofHours(1)));
        DataImage forever = services.readyImage(ALICE, "gadgets");
        services.createContainer(ALICE, "widgets", "copy-1");

        services.clock().advance(Duration.ofMinutes(59));
        images.deleteExpired();
        services.createContainer(ALICE, "widgets", "copy-2");

        services.clock().advance(Duration.ofMinutes(2));
        images.deleteExpired();
        assertThat(images.get("widgets", ALICE).status()).isEqualTo(ResourceStatus.READY);
        assertFailsWith(ErrorCode.CONFLICT, NextStep.of(NextStep.Kind.EXTEND_IMAGE_LIFETIME, image.id()), () -> services.createContainer(ALICE, "widgets", "copy-3"))
                .hasMessageStartingWith("Data image 'widgets' (" + image.id() + ") expired at ")
                .hasMessageEndingWith(" and is deleted once nothing uses it.");

        services.containers().delete("copy-1", ALICE);
        images.deleteExpired();
        assertThat(images.get("widgets", ALICE).containers()).containsExactly("copy-2");
        services.containers().delete("copy-2", ALICE);
        images.deleteExpired();

        assertThat(images.list(ALICE)).extracting(DataImage::id).containsExactly(forever.id());
        assertThat(services.volumesOnDisk("images")).containsExactly(VolumeKeys.image(forever.id()));
    }

    @Test
    void aTransformRunsBeforeItsBackupsIndexes()
    {
        DataImage built = services.build(ALICE, definition("widgets", "transform:", "  empty: [loaded]", "  pii: off"));

        assertThat(built.status()).as(built.statusMessage()).isEqualTo(ResourceStatus.READY);
        assertThat(built.buildSteps()).extracting(ImageBuildStep::step)
                .containsExactly("install", "volume", "initialize", "start", "create-database", "load", "transform", "indexes", "seal", "stop", "flush", "mark-ready");
        assertThat(engine.calls(Operation.RESTORE_WITHOUT_INDEXES)).isEqualTo(1);
        assertThat(engine.calls(Operation.OPEN_TRANSFORM_BEFORE_INDEXES)).isEqualTo(1);
        assertThat(engine.calls(Operation.RESTORE_INDEXES)).isEqualTo(1);

        // a post-script may need the indexes: the backup is restored whole before it, and the transform after it
        DataImage withPostScript = services.build(ALICE, definition("gadgets", "postScript: select 1", "transform:", "  empty: [loaded]", "  pii: off"));
        assertThat(withPostScript.status()).as(withPostScript.statusMessage()).isEqualTo(ResourceStatus.READY);
        assertThat(withPostScript.buildSteps()).extracting(ImageBuildStep::step)
                .containsSubsequence("load", "post-script", "transform", "seal").doesNotContain("indexes");
        // and so is a backup without a transform
        DataImage plain = services.build(ALICE, definition("plain"));
        assertThat(plain.buildSteps()).extracting(ImageBuildStep::step).doesNotContain("indexes");
        assertThat(engine.calls(Operation.RESTORE_WITHOUT_INDEXES)).isEqualTo(1);
        assertThat(engine.calls(Operation.OPEN_TRANSFORM_BEFORE_INDEXES)).isEqualTo(1);
        assertThat(engine.calls(Operation.RESTORE_INDEXES)).isEqualTo(1);
    }

    @Test
    void indexesThatTheTransformedRowsBreakFailTheBuildAndLeaveNothing()
    {
        engine.fail(Operation.RESTORE_INDEXES);

        DataImage failed = services.build(ALICE, definition("widgets", "transform:", "  empty: [loaded]", "  pii: off"));

        assertThat(failed.status()).isEqualTo(ResourceStatus.FAILED);
        assertThat(failed.statusMessage()).isEqualTo("The fake engine was told to fail restore indexes.");
        assertThat(failed.buildSteps()).extracting(ImageBuildStep::step).containsSubsequence("load", "transform").doesNotContain("indexes", "seal");
        assertThat(services.volumesOnDisk("images")).isEmpty();
        assertThat(engine.runningDirectories()).isEmpty();
        assertThat(engine.calls(Operation.SEAL)).isZero();
    }

    @Test
    void aDryRunReportsItsTransformAndKeepsNothing()
    {
        DataImage pending = startDryRun(ALICE, definition("widgets", "tags: [latest]", "transform:", "  empty: [loaded]", "  pii: off"));
        assertThat(pending.status()).isEqualTo(ResourceStatus.PENDING);
        assertThat(pending.progress()).isEqualTo("Queued (dry run)");

        DataImage outcome = awaitDryRun(ALICE, pending.id());

        assertThat(outcome.status()).as(outcome.statusMessage()).isEqualTo(ResourceStatus.READY);
        assertThat(outcome.statusMessage()).startsWith("Dry run:");
        assertThat(outcome.transform().tables()).singleElement().satisfies(table -> {
            assertThat(table.table()).isEqualTo(FakeEngine.LOADED);
            assertThat(table.rowsBefore()).isEqualTo(1);
            assertThat(table.rowsAfter()).isZero();
        });
        assertThat(outcome.buildSteps()).extracting(ImageBuildStep::step)
                .containsExactly("install", "volume", "initialize", "start", "create-database", "load", "transform");
        // nothing kept: no record, no volume, no server, never sealed, and the tag moved nowhere
        assertThat(images.list(ALICE)).isEmpty();
        assertThat(images.list(ADMIN)).isEmpty();
        assertThat(services.volumesOnDisk("images")).isEmpty();
        assertThat(engine.runningDirectories()).isEmpty();
        assertThat(engine.calls(Operation.SEAL)).isZero();
        assertThat(services.configuration().uploadsDirectory()).isEmptyDirectory();
        assertFailsWith(ErrorCode.NOT_FOUND, () -> images.get("widgets:latest", ALICE));
        // the outcome is its owner's to read, by ID only
        assertFailsWith(ErrorCode.NOT_FOUND, () -> images.get(String.valueOf(pending.id()), CAROL));
        assertFailsWith(ErrorCode.NOT_FOUND, () -> images.get("widgets", ALICE));
        // a build after it is a build as usual
        assertThat(services.readyImage(ALICE, "widgets").id()).isGreaterThan(pending.id());
    }

    @Test
    void aFailedDryRunTellsWhyAndKeepsNothing()
    {
        // the fake engine cannot keep rows by a condition: the transform fails after the load
        DataImage outcome = awaitDryRun(ALICE, startDryRun(ALICE, definition("widgets", "transform:", "  keep: {loaded: \"line <> ''\"}", "  pii: off")).id());

        assertThat(outcome.status()).isEqualTo(ResourceStatus.FAILED);
        assertThat(outcome.statusMessage()).contains("The fake engine runs no SQL");
        assertThat(images.list(ALICE)).isEmpty();
        assertThat(services.volumesOnDisk("images")).isEmpty();
        assertThat(engine.runningDirectories()).isEmpty();
    }

    @Test
    void aDryRunNeedsATransformAndNoPool()
    {
        assertThatThrownBy(() -> startDryRun(ALICE, definition("widgets")))
                .hasMessageContaining("--dry-run shows what the definition's transform: does")
                .hasMessageContaining("has none: add a transform: section, or build without --dry-run.");
        assertThatThrownBy(() -> images.create(dryRunRequest(ALICE, definition("widgets", "transform:", "  empty: [loaded]")).with(2, true), ALICE, false))
                .hasMessage("--dry-run keeps no image, so it has no pool: leave out --pool, or build without --dry-run.");
        assertThat(images.list(ALICE)).isEmpty();
        assertThat(engine.calls(Operation.INSTALL)).isZero();
    }

    private DataImage startDryRun(Caller caller, String definition)
    {
        return images.create(dryRunRequest(caller, definition), caller, false);
    }

    private CreateImageRequest dryRunRequest(Caller caller, String definition)
    {
        byte[] files = FakeEngineServices.definitionFiles();
        Upload upload = services.uploads().receive(new ByteArrayInputStream(files), files.length, caller.name());
        return new CreateImageRequest(definition, null, null, List.of(), List.of(), null, upload.id()).with(null, true);
    }

    /** Follows a dry run by its ID, as its client does, until it is over. */
    private DataImage awaitDryRun(Caller caller, long id)
    {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (true) {
            DataImage image = images.get(String.valueOf(id), caller);
            if (image.status() != ResourceStatus.PENDING) {
                return image;
            }
            assertThat(System.nanoTime()).as("the dry run is over in time").isLessThan(deadline);
            try {
                Thread.sleep(5);
            }
            catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
    }
}
