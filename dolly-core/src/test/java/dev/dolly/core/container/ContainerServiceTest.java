package dev.dolly.core.container;

import dev.dolly.api.CreateContainerRequest;
import dev.dolly.api.DataContainer;
import dev.dolly.api.DataImage;
import dev.dolly.api.ErrorCode;
import dev.dolly.api.NextStep;
import dev.dolly.api.ResourceStatus;
import dev.dolly.api.UpdateContainerRequest;
import dev.dolly.core.auth.Caller;
import dev.dolly.core.catalog.ImageRecord;
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

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.CountDownLatch;

import static dev.dolly.core.testing.DollyAssertions.assertFailsWith;
import static dev.dolly.core.testing.FakeEngineServices.definition;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Creation, visibility, lifetimes and deletion of containers, on a fake engine, the copy driver and the real catalog. */
class ContainerServiceTest
{
    private static final Caller ALICE = new Caller("alice", false, Set.of("org:devs"));
    private static final Caller BOB = new Caller("bob", false, Set.of("org:devs"));
    private static final Caller ADMIN = Caller.administrator("admin");

    @TempDir
    Path directory;

    private FakeEngineServices services;
    private FakeEngine engine;
    private ContainerService containers;

    @BeforeEach
    void setUp()
    {
        services = new FakeEngineServices(directory);
        engine = services.engine();
        containers = services.containers();
    }

    @AfterEach
    void tearDown()
    {
        services.close();
    }

    @Test
    void anIdleContainerIsStoppedWithItsPortHeldAndAConnectionToThePortWakesIt()
            throws Exception
    {
        services.readyImage(ALICE, "widgets", "initialDatabaseName: widgets");
        DataContainer sleepy = containers.create(new CreateContainerRequest("widgets", "sleepy", null, List.of(), false, null, "30m"), ALICE);
        DataContainer busy = containers.create(new CreateContainerRequest("widgets", "busy", null, List.of(), false, null, "30m"), ALICE);
        DataContainer plain = services.createContainer(ALICE, "widgets", "plain");
        assertThat(sleepy.idleStop()).isEqualTo("30m");
        assertThat(plain.idleStop()).isNull();
        engine.clients(busy.port(), 1);
        containers.stopIdle();
        services.clock().advance(Duration.ofMinutes(30));
        containers.stopIdle();

        DataContainer stopped = containers.get("sleepy", ALICE);
        assertThat(stopped.status()).isEqualTo(ResourceStatus.STOPPED);
        assertThat(stopped.stoppedBy()).isEqualTo(DataContainer.STOPPED_IDLE);
        assertThat(stopped.statusDisplayName()).isEqualTo("Stopped (idle)");
        assertThat(stopped.statusMessage()).contains("30m");
        assertThat(engine.runningPorts()).doesNotContain(sleepy.port()).contains(busy.port(), plain.port());
        assertThat(containers.get("busy", ALICE).status()).isEqualTo(ResourceStatus.READY);
        assertThat(containers.get("plain", ALICE).status()).isEqualTo(ResourceStatus.READY);

        // the daemon accepts the connection on the container's port and starts the server
        try (java.net.Socket ignored = new java.net.Socket(java.net.InetAddress.getLoopbackAddress(), sleepy.port())) {
            long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while (containers.get("sleepy", ALICE).status() != ResourceStatus.READY) {
                assertThat(System.nanoTime()).isLessThan(deadline);
                Thread.sleep(20);
            }
        }
        assertThat(engine.runningPorts()).contains(sleepy.port());
        assertThat(containers.get("sleepy", ALICE).stoppedBy()).isNull();

        // by hand: stopped, stopped again (nothing to do), started; a save of a stopped container starts it first
        assertThat(containers.stop("plain", ALICE).stoppedBy()).isEqualTo(DataContainer.STOPPED_BY_REQUEST);
        assertThat(containers.stop("plain", ALICE).status()).isEqualTo(ResourceStatus.STOPPED);
        assertThat(engine.runningPorts()).doesNotContain(plain.port());
        assertThat(containers.start("plain", ALICE).status()).isEqualTo(ResourceStatus.READY);
        assertThat(engine.runningPorts()).contains(plain.port());
        containers.stop("plain", ALICE);
        services.revisions().save("plain", ALICE);
        assertThat(containers.get("plain", ALICE).status()).isEqualTo(ResourceStatus.READY);
        assertThat(engine.runningPorts()).contains(plain.port());
        // only the owner may
        assertFailsWith(ErrorCode.NOT_FOUND, () -> containers.stop("plain", BOB));
    }

    @Test
    void anIdleStopIsOneSecondAtLeastAndOffTurnsItOff()
    {
        services.readyImage(ALICE, "widgets", "initialDatabaseName: widgets");
        assertFailsWith(ErrorCode.BAD_INPUT, () -> containers.create(new CreateContainerRequest("widgets", "quick", null, List.of(), false, null, "0s5"), ALICE));
        DataContainer container = containers.create(new CreateContainerRequest("widgets", "quick", null, List.of(), false, null, "1s"), ALICE);
        assertThat(container.idleStop()).isEqualTo("1s");
        assertThat(containers.update("quick", new UpdateContainerRequest(null, null, List.of(), List.of(), "1h30m"), ALICE).idleStop()).isEqualTo("1h30m");
        assertThat(containers.update("quick", new UpdateContainerRequest(null, null, List.of(), List.of(), "off"), ALICE).idleStop()).isNull();
        assertFailsWith(ErrorCode.BAD_INPUT, () -> containers.update("quick", new UpdateContainerRequest(null, null, List.of(), List.of(), "soon"), ALICE));
    }

    @Test
    void aContainerIsARunningCloneOfItsImageWithItsOwnPassword()
    {
        DataImage image = services.readyImage(ALICE, "widgets", "initialDatabaseName: widgets");
        ImageRecord imageRecord = services.images().load(image.id());

        DataContainer container = services.createContainer(ALICE, "widgets", "copy-1");

        assertThat(container.status()).isEqualTo(ResourceStatus.READY);
        assertThat(container.imageId()).isEqualTo(image.id());
        assertThat(container.imageName()).isEqualTo("widgets");
        assertThat(container.revision()).isEqualTo("rev.0");
        assertThat(container.owner()).isEqualTo("alice");
        assertThat(container.host()).isEqualTo("127.0.0.1");
        assertThat(container.port()).isBetween(31200, 31299);
        assertThat(container.user()).isEqualTo("owner");
        assertThat(container.database()).isEqualTo("widgets");
        assertThat(container.uri()).isEqualTo("fake://owner:" + container.password() + "@127.0.0.1:" + container.port() + "/widgets");
        assertThat(container.password()).isNotEqualTo(imageRecord.superuserPassword());
        Path volume = services.storage().path(VolumeKeys.container(container.id()));
        assertThat(engine.runningDirectories()).containsExactly(volume.toAbsolutePath().normalize());
        assertThat(volume.resolve(FakeEngine.LOADED)).exists();
        // the container's password works, the image's does not
        engine.insertRow(container.port(), container.password(), "row 1");
        assertThat(engine.rows(container.port(), container.password())).containsExactly("row 1");
        assertThatThrownBy(() -> engine.rows(container.port(), imageRecord.superuserPassword())).hasMessageContaining("Password authentication failed");
        // the image is untouched
        assertThat(services.storage().path(services.images().load(image.id()).volume()).resolve(FakeEngine.ROWS)).doesNotExist();
        assertThat(services.images().get("widgets", ALICE).containers()).containsExactly("copy-1");
    }

    @ParameterizedTest
    @EnumSource(value = Operation.class, names = {"INSTALL", "START", "CHANGE_PASSWORD"})
    void aFailedCreationLeavesNothing(Operation failing)
    {
        services.readyImage(ALICE, "widgets");
        engine.fail(failing);

        assertFailsWith(ErrorCode.ENGINE_FAILED, () -> services.createContainer(ALICE, "widgets", "copy-1"))
                .hasMessage("Data container 'copy-1' could not be created: The fake engine was told to fail "
                        + failing.name().toLowerCase(Locale.ROOT).replace('_', ' ') + ".");

        assertThat(containers.list(ADMIN)).isEmpty();
        assertThat(services.catalog().containers().list()).isEmpty();
        assertThat(services.volumesOnDisk("containers")).isEmpty();
        assertThat(engine.runningDirectories()).isEmpty();
        engine.succeed(failing);
        assertThat(services.createContainer(ALICE, "widgets", "copy-1").status()).isEqualTo(ResourceStatus.READY);
    }

    @Test
    void failedCreationsReleaseTheirPorts()
    {
        try (FakeEngineServices twoPorts = new FakeEngineServices(directory.resolve("two-ports"), "31300-31301")) {
            twoPorts.readyImage(ALICE, "widgets");
            twoPorts.engine().fail(Operation.START);
            for (int attempt = 0; attempt < 3; attempt++) {
                assertFailsWith(ErrorCode.ENGINE_FAILED, () -> twoPorts.createContainer(ALICE, "widgets", null));
            }
            twoPorts.engine().succeed(Operation.START);

            DataContainer first = twoPorts.createContainer(ALICE, "widgets", null);
            DataContainer second = twoPorts.createContainer(ALICE, "widgets", null);
            assertThat(Set.of(first.port(), second.port())).containsExactlyInAnyOrder(31300, 31301);
            assertFailsWith(ErrorCode.OPERATION_FAILED, () -> twoPorts.createContainer(ALICE, "widgets", null))
                    .hasMessage("No free port is left in 31300-31301. Delete containers you no longer need, or widen DOLLY_CONTAINER_PORTS.");
        }
    }

    @Test
    void refusesBadRequestsBeforeCreatingAnything()
            throws InterruptedException
    {
        services.readyImage(ALICE, "widgets");
        services.createContainer(ALICE, "widgets", "copy-1");

        assertFailsWith(ErrorCode.ALREADY_EXISTS, () -> services.createContainer(ALICE, "widgets", "copy-1"))
                .hasMessage("A data container named 'copy-1' exists already. Choose another name, or delete it first.");
        assertFailsWith(ErrorCode.BAD_INPUT, () -> services.createContainer(ALICE, "widgets", "no spaces"));
        assertFailsWith(ErrorCode.BAD_INPUT, () -> containers.create(new CreateContainerRequest("widgets", "copy-2", "soon"), ALICE));
        assertFailsWith(ErrorCode.BAD_INPUT, () -> containers.create(new CreateContainerRequest(" ", "copy-2", null), ALICE));
        assertFailsWith(ErrorCode.NOT_FOUND, () -> services.createContainer(ALICE, "gadgets", "copy-2"));

        CountDownLatch load = engine.holdLoads();
        DataImage pending = services.startBuild(ALICE, definition("gadgets"), List.of(), List.of(), null);
        assertFailsWith(ErrorCode.CONFLICT, NextStep.of(NextStep.Kind.WAIT_FOR_IMAGE, pending.id()), () -> services.createContainer(ALICE, "gadgets", "copy-2"))
                .hasMessage("Data image 'gadgets' (" + pending.id() + ") is Pending.");
        load.countDown();
        services.awaitImage(pending.id());

        assertThat(containers.list(ADMIN)).extracting(DataContainer::name).containsExactly("copy-1");
        assertThat(services.volumesOnDisk("containers")).hasSize(1);
        assertThat(engine.runningDirectories()).hasSize(1);
    }

    @Test
    void containersAreSeenOnlyByTheirOwnerAndAdministrators()
    {
        services.readyImage(ALICE, "widgets", "teams: [org:devs]");
        // a team member may create containers from a team's image: the container is theirs alone
        DataContainer bobs = services.createContainer(BOB, "widgets", "bobs");
        DataContainer alices = services.createContainer(ALICE, "widgets", "alices");
        String notFound = "Data container 'bobs' not found.";

        assertThat(containers.list(ALICE)).extracting(DataContainer::name).containsExactly("alices");
        assertThat(containers.list(BOB)).extracting(DataContainer::name).containsExactly("bobs");
        assertThat(containers.list(ADMIN)).extracting(DataContainer::name).containsExactlyInAnyOrder("alices", "bobs");
        assertThat(containers.list(ADMIN, "widgets")).hasSize(2);

        assertFailsWith(ErrorCode.NOT_FOUND, NextStep.of(NextStep.Kind.LIST_CONTAINERS), () -> containers.get("bobs", ALICE)).hasMessage(notFound);
        assertFailsWith(ErrorCode.NOT_FOUND, () -> containers.get(String.valueOf(bobs.id()), ALICE));
        assertFailsWith(ErrorCode.NOT_FOUND, () -> containers.delete("bobs", ALICE)).hasMessage(notFound);
        assertFailsWith(ErrorCode.NOT_FOUND, () -> containers.update("bobs", new UpdateContainerRequest("mine", null), ALICE));
        assertThat(containers.get("bobs", ADMIN).password()).isEqualTo(bobs.password());
        assertThat(containers.get(String.valueOf(alices.id()), ALICE).name()).isEqualTo("alices");

        containers.delete("bobs", ADMIN);
        assertThat(containers.list(ADMIN)).extracting(DataContainer::name).containsExactly("alices");
    }

    @Test
    void deletingStopsTheServerAndRemovesTheVolumeAndRevisions()
    {
        services.readyImage(ALICE, "widgets");
        DataContainer container = services.createContainer(ALICE, "widgets", "copy-1");
        services.revisions().save("copy-1", ALICE);
        services.revisions().save("copy-1", ALICE);
        assertThat(services.volumesOnDisk("revisions/" + container.id())).hasSize(2);

        DataContainer deleted = containers.delete("copy-1", ALICE);

        assertThat(deleted.name()).isEqualTo("copy-1");
        assertThat(engine.runningDirectories()).isEmpty();
        assertThat(services.volumesOnDisk("containers")).isEmpty();
        assertThat(services.volumesOnDisk("revisions/" + container.id())).isEmpty();
        assertThat(services.catalog().containers().listAllRevisions()).isEmpty();
        assertFailsWith(ErrorCode.NOT_FOUND, () -> containers.get("copy-1", ALICE));
        // the name and the port are free again
        assertThat(services.createContainer(ALICE, "widgets", "copy-1").status()).isEqualTo(ResourceStatus.READY);
    }

    @Test
    void renamesAndSetsLifetimes()
    {
        services.readyImage(ALICE, "widgets");
        services.createContainer(ALICE, "widgets", "copy-1");
        services.createContainer(ALICE, "widgets", "copy-2");

        DataContainer renamed = containers.update("copy-1", new UpdateContainerRequest("first", "30m"), ALICE);

        assertThat(renamed.name()).isEqualTo("first");
        assertThat(renamed.expiresAt()).isEqualTo(services.clock().instant().plus(Duration.ofMinutes(30)));
        assertFailsWith(ErrorCode.ALREADY_EXISTS, () -> containers.update("first", new UpdateContainerRequest("copy-2", null), ALICE));
        assertThat(containers.update("first", new UpdateContainerRequest(null, "0"), ALICE).expiresAt()).isNull();
    }

    @Test
    void expiredContainersAreDeleted()
    {
        services.readyImage(ALICE, "widgets");
        DataContainer expiring = containers.create(new CreateContainerRequest("widgets", "expiring", "30m"), ALICE);
        DataContainer kept = services.createContainer(ALICE, "widgets", "kept");
        assertThat(expiring.expiresAt()).isEqualTo(services.clock().instant().plus(Duration.ofMinutes(30)));

        services.clock().advance(Duration.ofMinutes(29));
        containers.deleteExpired();
        assertThat(containers.list(ALICE)).hasSize(2);

        services.clock().advance(Duration.ofMinutes(2));
        containers.deleteExpired();

        assertThat(containers.list(ALICE)).extracting(DataContainer::name).containsExactly("kept");
        assertThat(services.volumesOnDisk("containers")).containsExactly(VolumeKeys.container(kept.id()));
        assertThat(engine.runningPorts()).containsExactly(kept.port());
    }

    @Test
    void stoppingAllLeavesContainersReadyForTheNextStart()
    {
        services.readyImage(ALICE, "widgets");
        services.createContainer(ALICE, "widgets", "copy-1");
        services.createContainer(ALICE, "widgets", "copy-2");

        containers.stopAll();

        assertThat(engine.runningDirectories()).isEmpty();
        assertThat(containers.list(ALICE)).extracting(DataContainer::status).containsOnly(ResourceStatus.READY);
    }
}
