package dev.dolly.core;

import dev.dolly.api.CreateContainerRequest;
import dev.dolly.api.CreateImageRequest;
import dev.dolly.api.DataContainer;
import dev.dolly.api.DataImage;
import dev.dolly.api.ErrorCode;
import dev.dolly.api.ResourceStatus;
import dev.dolly.api.Upload;
import dev.dolly.core.auth.Caller;
import dev.dolly.core.catalog.Catalog;
import dev.dolly.core.engine.ProgressListener;
import dev.dolly.core.engine.ServerSettings;
import dev.dolly.core.storage.CopyStorageDriver;
import dev.dolly.core.storage.StorageDriver;
import dev.dolly.core.testing.FakeEngine;
import dev.dolly.core.testing.FakeEngine.Operation;
import dev.dolly.core.testing.FakeEngineServices;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static dev.dolly.core.testing.DollyAssertions.assertFailsWith;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * What opening a home settles of what a crash left: every intermediate status of images, containers and revisions,
 * and volumes nobody owns. The home is opened as the daemon opens it ({@link Dolly#open}), on a fake engine; what a
 * crash leaves is arranged in the catalog and on disk while the home is closed.
 */
class ReconciliationTest
{
    private static final Caller ALICE = new Caller("alice", false, Set.of());

    @TempDir
    Path directory;

    private DollyConfiguration configuration;
    private final FakeEngine engine = new FakeEngine();
    private StorageDriver storage;
    private Dolly dolly;

    @BeforeEach
    void setUp()
    {
        configuration = FakeEngineServices.configuration(directory.resolve("home"));
        dolly = Dolly.open(configuration, List.of(engine));
        storage = new CopyStorageDriver(configuration.storageRoot());
    }

    @AfterEach
    void tearDown()
    {
        if (dolly != null) {
            closeHome();
        }
    }

    @Test
    void anInterruptedBuildFailsAndItsServerAndVolumeGo()
    {
        DataImage image = build("widgets");
        closeHome();
        // the daemon died while the build's server ran on a volume not sealed yet
        String volume = "images/" + image.id();
        setMode(storage.path(volume), "rwx------");
        engine.start(engine.install(null, ProgressListener.NONE), storage.path(volume), new ServerSettings("127.0.0.1", 31250, Map.of(), directory.resolve("log")));
        catalog().images().setStatus(image.id(), ResourceStatus.PENDING, null);

        reopen();

        DataImage failed = dolly.images().get(String.valueOf(image.id()), ALICE);
        assertThat(failed.status()).isEqualTo(ResourceStatus.FAILED);
        assertThat(failed.statusMessage()).isEqualTo("The build was interrupted because the daemon stopped. Create the image again.");
        assertThat(engine.runningDirectories()).isEmpty();
        assertThat(storage.exists(volume)).isFalse();
    }

    @Test
    void anInterruptedImageDeletionFinishesAndAMissingImageFails()
    {
        DataImage deleting = build("widgets");
        DataImage missing = build("gadgets");
        DataImage kept = build("things");
        closeHome();
        catalog().images().setStatus(deleting.id(), ResourceStatus.DELETING, null);
        storage.delete("images/" + missing.id());

        reopen();

        assertFailsWith(ErrorCode.NOT_FOUND, () -> dolly.images().get(String.valueOf(deleting.id()), ALICE));
        assertThat(storage.exists("images/" + deleting.id())).isFalse();
        DataImage failed = dolly.images().get("gadgets", ALICE);
        assertThat(failed.status()).isEqualTo(ResourceStatus.FAILED);
        assertThat(failed.statusMessage()).isEqualTo("The image's data is missing from " + storage.path("images/" + missing.id()) + ".");
        assertThat(dolly.images().get("things", ALICE).status()).isEqualTo(ResourceStatus.READY);
        assertThat(storage.exists("images/" + kept.id())).isTrue();
    }

    @Test
    void interruptedContainerCreationsAndDeletionsFinish()
    {
        build("widgets");
        DataContainer pending = createContainer("pending");
        DataContainer deleting = createContainer("deleting");
        dolly.revisions().save("deleting", ALICE);
        DataContainer kept = createContainer("kept");
        closeHome();
        // the daemon died while creating one and while deleting the other, whose server still ran
        catalog().containers().setStatus(pending.id(), ResourceStatus.PENDING, null);
        catalog().containers().setStatus(deleting.id(), ResourceStatus.DELETING, null);
        start(deleting);

        reopen();

        assertThat(dolly.containers().list(ALICE)).extracting(DataContainer::name).containsExactly("kept");
        assertThat(storage.exists("containers/" + pending.id())).isFalse();
        assertThat(storage.exists("containers/" + deleting.id())).isFalse();
        assertThat(storage.exists("revisions/" + deleting.id() + "/1")).isFalse();
        assertThat(catalog().containers().listAllRevisions()).isEmpty();
        assertThat(engine.runningPorts()).containsExactly(kept.port());
    }

    @Test
    void readyAndStoppedContainersRunAgainOnTheirPorts()
    {
        build("widgets");
        DataContainer notRunning = createContainer("not-running");
        DataContainer stillRunning = createContainer("still-running");
        DataContainer stopped = createContainer("stopped");
        closeHome();
        // a daemon that died leaves its servers running; one that stopped, or a restarted machine, leaves none
        start(stillRunning);
        catalog().containers().setStatus(stopped.id(), ResourceStatus.STOPPED, "Could not start: no memory");
        engine.insertRow(stillRunning.port(), stillRunning.password(), "kept");
        int starts = engine.calls(Operation.START);

        reopen();

        assertThat(dolly.containers().list(ALICE)).extracting(DataContainer::status).containsOnly(ResourceStatus.READY);
        assertThat(engine.runningPorts()).containsExactlyInAnyOrder(notRunning.port(), stillRunning.port(), stopped.port());
        assertThat(engine.calls(Operation.START)).isEqualTo(starts + 2);
        // the password is the container's, not the image's
        assertThat(engine.rows(stillRunning.port(), stillRunning.password())).containsExactly("kept");
        assertThat(engine.rows(notRunning.port(), notRunning.password())).isEmpty();
        assertThat(dolly.containers().get("stopped", ALICE).statusMessage()).isNull();
    }

    @Test
    void aContainerThatCannotStartIsStoppedAndOneWithoutDataFails()
    {
        build("widgets");
        DataContainer failing = createContainer("failing");
        DataContainer missing = createContainer("missing");
        closeHome();
        storage.delete("containers/" + missing.id());
        engine.fail(Operation.START);

        reopen();

        DataContainer stopped = dolly.containers().get("failing", ALICE);
        assertThat(stopped.status()).isEqualTo(ResourceStatus.STOPPED);
        assertThat(stopped.statusMessage()).isEqualTo("Could not start: The fake engine was told to fail start.");
        DataContainer failed = dolly.containers().get("missing", ALICE);
        assertThat(failed.status()).isEqualTo(ResourceStatus.FAILED);
        assertThat(failed.statusMessage()).startsWith("The container's data is missing from " + storage.path("containers/" + missing.id()));
        assertThat(storage.exists("containers/" + failing.id())).isTrue();

        // the next start tries again
        closeHome();
        engine.succeed(Operation.START);
        reopen();
        assertThat(dolly.containers().get("failing", ALICE).status()).isEqualTo(ResourceStatus.READY);
    }

    @Test
    void volumesNobodyOwnsAreRemoved()
            throws IOException
    {
        DataImage image = build("widgets");
        DataContainer container = createContainer("copy-1");
        dolly.revisions().save("copy-1", ALICE);
        closeHome();
        // left by crashes between creating a volume and recording it: a build, a creation, a save being taken
        storage.createVolume("images/99");
        Files.writeString(storage.createVolume("containers/98").resolve("file"), "data");
        storage.snapshot("containers/" + container.id(), "revisions/" + container.id() + "/2");
        storage.createVolume("revisions/97/1");

        reopen();

        assertThat(list("images")).containsExactly(String.valueOf(image.id()));
        assertThat(list("containers")).containsExactly(String.valueOf(container.id()));
        assertThat(list("revisions/" + container.id())).containsExactly("1");
        assertThat(list("revisions/97")).isEmpty();
        assertThat(dolly.revisions().list("copy-1", ALICE)).hasSize(2);
    }

    @Test
    void aLoadInterruptedBeforeItsSwitchLeavesTheContainerOnItsOldRevision()
            throws IOException
    {
        DataImage image = build("widgets");
        DataContainer container = createContainer("copy-1");
        dolly.revisions().save("copy-1", ALICE);
        closeHome();
        // the daemon died while a load of rev.0 cloned into a new volume, whose server it had started
        String pending = "containers/" + container.id() + "-1";
        catalog().containers().setPendingVolume(container.id(), pending, "rev.0");
        storage.clone("images/" + image.id(), pending);
        engine.start(engine.install(null, ProgressListener.NONE), storage.path(pending), new ServerSettings("127.0.0.1", container.port(), Map.of(),
                directory.resolve("log")));

        reopen();

        assertThat(list("containers")).containsExactly(String.valueOf(container.id()));
        assertThat(catalog().containers().pendingVolume(container.id())).isEmpty();
        DataContainer settled = dolly.containers().get("copy-1", ALICE);
        assertThat(settled.revision()).isEqualTo("rev.1");
        assertThat(settled.status()).isEqualTo(ResourceStatus.READY);
        assertThat(engine.isRunning(engine.install(null, ProgressListener.NONE), storage.path(pending))).isFalse();
        assertThat(engine.runningPorts()).containsExactly(container.port());
    }

    @Test
    void aLoadInterruptedAfterItsSwitchKeepsTheNewRevisionAndRemovesTheOldVolume()
            throws IOException
    {
        build("widgets");
        DataContainer container = createContainer("copy-1");
        dolly.revisions().save("copy-1", ALICE);
        dolly.revisions().load("copy-1", "rev.0", ALICE);
        assertThat(list("containers")).containsExactly(container.id() + "-1");
        dolly.revisions().load("copy-1", "rev.1", ALICE);
        assertThat(list("containers")).containsExactly(container.id() + "-2");
        closeHome();
        // switched to the new volume, the old one not removed yet
        storage.clone("revisions/" + container.id() + "/1", "containers/" + container.id() + "-1");

        reopen();

        assertThat(list("containers")).containsExactly(container.id() + "-2");
        DataContainer settled = dolly.containers().get("copy-1", ALICE);
        assertThat(settled.revision()).isEqualTo("rev.1");
        assertThat(settled.status()).isEqualTo(ResourceStatus.READY);
    }

    @Test
    void anItemThatCannotBeSettledFailsAndTheHomeStillOpens()
    {
        build("widgets");
        DataContainer broken = createContainer("broken");
        DataContainer kept = createContainer("kept");
        closeHome();
        // a deletion the daemon cannot finish: the record names a volume no driver may touch
        catalog().containers().setStatus(broken.id(), ResourceStatus.DELETING, null);
        catalog().containers().setVolume(broken.id(), "../outside");

        reopen();

        DataContainer failed = dolly.containers().get("broken", ALICE);
        assertThat(failed.status()).isEqualTo(ResourceStatus.FAILED);
        assertThat(failed.statusMessage()).startsWith("Could not be settled when the daemon started: ");
        assertThat(dolly.containers().get("kept", ALICE).status()).isEqualTo(ResourceStatus.READY);
        assertThat(engine.runningPorts()).containsExactly(kept.port());
    }

    private DataImage build(String name)
    {
        byte[] files = FakeEngineServices.definitionFiles();
        Upload upload = dolly.uploads().receive(new ByteArrayInputStream(files), files.length, ALICE.name());
        long id = dolly.images().create(new CreateImageRequest(FakeEngineServices.definition(name), null, null, List.of(), List.of(), null, upload.id()), ALICE, false).id();
        long deadline = System.nanoTime() + 20_000_000_000L;
        while (System.nanoTime() < deadline) {
            DataImage image = dolly.images().get(String.valueOf(id), ALICE);
            if (image.status() != ResourceStatus.PENDING) {
                assertThat(image.status()).as(image.statusMessage()).isEqualTo(ResourceStatus.READY);
                return image;
            }
            try {
                Thread.sleep(5);
            }
            catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
        throw new AssertionError("Image " + name + " was not built in time");
    }

    private DataContainer createContainer(String name)
    {
        return dolly.containers().create(new CreateContainerRequest("widgets", name, null), ALICE);
    }

    /** Starts a container's server as it ran before the daemon died. */
    private void start(DataContainer container)
    {
        engine.start(engine.install(null, ProgressListener.NONE), storage.path("containers/" + container.id()),
                new ServerSettings("127.0.0.1", container.port(), Map.of(), directory.resolve("log")));
    }

    /** Closes the home as a daemon's stop does: its containers' servers are stopped. */
    private void closeHome()
    {
        dolly.close();
        dolly = null;
    }

    private void reopen()
    {
        dolly = Dolly.open(configuration, List.of(engine));
    }

    private Catalog catalog()
    {
        return Catalog.open(configuration.catalogFile());
    }

    private List<String> list(String kind)
            throws IOException
    {
        Path kindDirectory = configuration.storageRoot().resolve(kind);
        if (!Files.isDirectory(kindDirectory)) {
            return List.of();
        }
        try (var entries = Files.list(kindDirectory)) {
            return entries.map(entry -> entry.getFileName().toString()).sorted().toList();
        }
    }

    private static void setMode(Path path, String mode)
    {
        try {
            Files.setPosixFilePermissions(path, PosixFilePermissions.fromString(mode));
        }
        catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
