package dev.dolly.core.container;

import dev.dolly.api.CreateContainerRequest;
import dev.dolly.api.DataContainer;
import dev.dolly.api.DataImage;
import dev.dolly.api.ErrorCode;
import dev.dolly.api.ResourceStatus;
import dev.dolly.api.Revision;
import dev.dolly.api.UpdateImageRequest;
import dev.dolly.core.auth.Caller;
import dev.dolly.core.catalog.ContainerRecord;
import dev.dolly.core.image.ImageService;
import dev.dolly.core.quota.QuotaLimits;
import dev.dolly.core.testing.FakeEngine;
import dev.dolly.core.testing.FakeEngineServices;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.BooleanSupplier;

import static dev.dolly.core.testing.DollyAssertions.assertFailsWith;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Warm pools on a fake engine, the copy driver and the real catalog: a pool fills to its size with containers nobody
 * sees or counts, a creation takes one (new name, owner, password; the pool's password refused afterwards) and the
 * pool refills, a smaller pool and a deleted image remove theirs, parallel creations never share one, and a pool
 * container that cannot be handed over gives way to a normal creation.
 */
class ContainerPoolsTest
{
    private static final Caller ALICE = new Caller("alice", false, Set.of());
    private static final Caller ADMIN = Caller.administrator("admin");
    private static final Duration WAIT = Duration.ofSeconds(20);

    @TempDir
    Path directory;

    private FakeEngineServices services;
    private FakeEngine engine;

    @BeforeEach
    void setUp()
    {
        // one container per user: pool containers must not count
        services = new FakeEngineServices(directory.resolve("services"), Map.of(QuotaLimits.CONTAINERS_VARIABLE, "2"));
        engine = services.engine();
    }

    @AfterEach
    void tearDown()
    {
        services.close();
    }

    @Test
    void poolFillsWithContainersNobodySees()
    {
        DataImage image = pooledImage("widgets", 3);

        awaitReady(image.id(), 3);
        assertThat(services.images().get("widgets", ALICE).pool()).isEqualTo(new DataImage.Pool(3, 3));
        assertThat(services.images().get("widgets", ALICE).containers()).isEmpty();
        assertThat(services.containers().list(ADMIN)).isEmpty();
        assertThat(services.containers().list(ALICE)).isEmpty();
        for (ContainerRecord pooled : pooled(image.id())) {
            assertThat(pooled.owner()).isEmpty();
            assertThat(pooled.name()).startsWith(ContainerService.POOL_NAME_PREFIX);
            assertThat(pooled.expiresAt()).isNull();
            // a real container: its own server on its own port
            assertThat(engine.runningPorts()).contains(pooled.port());
            assertFailsWith(ErrorCode.NOT_FOUND, () -> services.containers().get(pooled.name(), ADMIN));
            assertFailsWith(ErrorCode.NOT_FOUND, () -> services.containers().get(String.valueOf(pooled.id()), ADMIN));
        }
        // the quota of two counts none of the three
        services.createContainer(ALICE, "widgets", "first");
        services.createContainer(ALICE, "widgets", "second");
        assertFailsWith(ErrorCode.QUOTA_EXCEEDED, () -> services.createContainer(ALICE, "widgets", "third"));
    }

    @Test
    void creationTakesAPoolContainerWithNewCredentialsAndThePoolRefills()
    {
        DataImage image = pooledImage("widgets", 2);
        awaitReady(image.id(), 2);
        List<ContainerRecord> before = pooled(image.id());
        Set<Long> pooledIds = ids(before);
        int startsBefore = engine.calls(FakeEngine.Operation.START);
        services.clock().advance(Duration.ofMinutes(5));
        Instant takenAt = services.clock().instant();

        DataContainer container = services.containers().create(new CreateContainerRequest("widgets", "mine", "2h"), ALICE);

        assertThat(pooledIds).contains(container.id());
        ContainerRecord old = before.stream().filter(record -> record.id() == container.id()).findFirst().orElseThrow();
        assertThat(container.name()).isEqualTo("mine");
        assertThat(container.owner()).isEqualTo("alice");
        assertThat(container.status()).isEqualTo(ResourceStatus.READY);
        assertThat(container.createdAt()).isEqualTo(takenAt);
        assertThat(container.expiresAt()).isEqualTo(takenAt.plus(Duration.ofHours(2)));
        assertThat(container.revision()).isEqualTo("rev.0");
        assertThat(container.password()).isNotEqualTo(old.password());
        assertThat(container.port()).isEqualTo(old.port());
        // the new password works, the pool's no longer does
        engine.insertRow(container.port(), container.password(), "alice's row");
        assertThat(engine.rows(container.port(), container.password())).containsExactly("alice's row");
        assertFailsWith(ErrorCode.ENGINE_FAILED, () -> engine.rows(container.port(), old.password()));
        // as a new container: listed as the user's, on rev.0 created when it was taken, with the name, password and lifetime in the catalog
        assertThat(services.containers().list(ALICE)).extracting(DataContainer::name).containsExactly("mine");
        List<Revision> revisions = services.revisions().list("mine", ALICE);
        assertThat(revisions).hasSize(1);
        assertThat(revisions.getFirst().name()).isEqualTo("rev.0");
        assertThat(revisions.getFirst().createdAt()).isEqualTo(takenAt);
        assertThat(revisions.getFirst().current()).isTrue();
        assertThat(services.containers().get("mine", ALICE)).usingRecursiveComparison().ignoringFields("sizeBytes").isEqualTo(container);
        assertThat(services.images().get("widgets", ALICE).containers()).containsExactly("mine");

        // the pool starts a replacement
        awaitReady(image.id(), 2);
        assertThat(ids(pooled(image.id()))).doesNotContain(container.id()).hasSize(2);
        assertThat(engine.calls(FakeEngine.Operation.START)).isEqualTo(startsBefore + 1);
    }

    @Test
    void poolShrinksAndGrows()
    {
        DataImage image = pooledImage("widgets", 3);
        awaitReady(image.id(), 3);
        List<String> volumes = pooled(image.id()).stream().map(ContainerRecord::volume).toList();

        services.images().update("widgets", pool(1), ALICE);
        await(() -> pooled(image.id()).size() == 1, "the pool to shrink to 1");
        assertThat(services.volumesOnDisk("containers")).hasSize(1);
        assertThat(services.images().get("widgets", ALICE).pool()).isEqualTo(new DataImage.Pool(1, 1));
        assertThat(volumes).containsAll(services.volumesOnDisk("containers"));

        services.images().update("widgets", pool(0), ALICE);
        await(() -> pooled(image.id()).isEmpty(), "the pool to be empty");
        assertThat(services.volumesOnDisk("containers")).isEmpty();
        assertThat(engine.runningPorts()).isEmpty();
        assertThat(services.images().get("widgets", ALICE).pool()).isNull();

        services.images().update("widgets", pool(2), ALICE);
        awaitReady(image.id(), 2);
    }

    @Test
    void aTakeAppliesThePasswordChangeThePoolPreparedWithoutLoggingIn()
    {
        DataImage image = pooledImage("widgets", 2);
        awaitReady(image.id(), 2);
        // one session per pool container, opened before it was ready
        assertThat(engine.openSessions()).isEqualTo(2);
        assertThat(engine.calls(FakeEngine.Operation.PREPARE_PASSWORD_CHANGE)).isEqualTo(2);
        ContainerRecord first = pooled(image.id()).getFirst();
        // a server's start sets its password by logging in, as engines without a start of their own do; counted on the
        // taken container's server, as the refill's start may log in to its own at any time after the take
        int loginsBefore = engine.passwordChangesOn(first.port());
        assertThat(loginsBefore).isPositive();

        DataContainer container = services.createContainer(ALICE, "widgets", "mine");

        assertThat(container.id()).isEqualTo(first.id());
        assertThat(engine.calls(FakeEngine.Operation.APPLY_PASSWORD_CHANGE)).isEqualTo(1);
        // no login at the take
        assertThat(engine.passwordChangesOn(first.port())).isEqualTo(loginsBefore);
        engine.insertRow(container.port(), container.password(), "row");
        assertFailsWith(ErrorCode.ENGINE_FAILED, () -> engine.rows(container.port(), first.password()));
        // the replacement's session is opened with it; the taken container's is closed
        awaitReady(image.id(), 2);
        await(() -> engine.openSessions() == 2, "a session per pool container");
        Set<Long> pooledIdsBefore = ids(pooled(image.id()));

        // a session that broke (the daemon restarted, the server closed it) gives way to a login
        engine.fail(FakeEngine.Operation.APPLY_PASSWORD_CHANGE);
        DataContainer second = services.createContainer(ALICE, "widgets", "second");
        engine.succeed(FakeEngine.Operation.APPLY_PASSWORD_CHANGE);
        assertThat(pooledIdsBefore).contains(second.id());
        engine.insertRow(second.port(), second.password(), "row");

        services.containers().delete("mine", ALICE);
        services.containers().delete("second", ALICE);
        services.images().delete("widgets", ALICE);
        assertThat(engine.openSessions()).isZero();
    }

    @Test
    void imageWithOnlyPoolContainersIsDeletedWithThem()
    {
        DataImage image = pooledImage("widgets", 2);
        awaitReady(image.id(), 2);
        services.createContainer(ALICE, "widgets", "mine");
        awaitReady(image.id(), 2);

        // a user's container still keeps it
        assertFailsWith(ErrorCode.IN_USE, () -> services.images().delete("widgets", ALICE));
        assertThat(pooled(image.id())).hasSize(2);

        services.containers().delete("mine", ALICE);
        services.images().delete("widgets", ALICE);

        assertThat(services.catalog().containers().list()).isEmpty();
        assertThat(services.catalog().images().list()).isEmpty();
        assertThat(services.volumesOnDisk("containers")).isEmpty();
        assertThat(services.volumesOnDisk("images")).isEmpty();
        assertThat(engine.runningPorts()).isEmpty();
    }

    @Test
    void parallelCreationsNeverShareAPoolContainer()
            throws Exception
    {
        DataImage image = pooledImage("widgets", 2);
        awaitReady(image.id(), 2);
        Set<Long> pooledIds = ids(pooled(image.id()));
        int creations = 6;
        CyclicBarrier start = new CyclicBarrier(creations);
        List<Future<DataContainer>> results = new ArrayList<>();
        try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int i = 0; i < creations; i++) {
                String name = "parallel-" + i;
                results.add(threads.submit(() -> {
                    start.await();
                    // each of its own user: the quota of two per user is not what races here
                    return services.containers().create(new CreateContainerRequest("widgets", name, null), new Caller("user-" + name, true, Set.of()));
                }));
            }
        }
        List<DataContainer> created = new ArrayList<>();
        for (Future<DataContainer> result : results) {
            created.add(result.get());
        }
        assertThat(ids(created.stream().map(container -> services.containers().load(container.id())).toList())).hasSize(creations);
        assertThat(created.stream().map(DataContainer::port).distinct()).hasSize(creations);
        long fromPool = created.stream().filter(container -> pooledIds.contains(container.id())).count();
        // both that waited were taken (each creation tries the pool first), each by one creation
        assertThat(fromPool).isEqualTo(2L);
        for (DataContainer container : created) {
            assertThat(engine.rows(container.port(), container.password())).isEmpty();
        }
        assertThat(services.containers().list(ADMIN)).hasSize(creations);
        awaitReady(image.id(), 2);
    }

    @Test
    void aPoolContainerThatCannotBeHandedOverGivesWayToANormalCreation()
    {
        DataImage image = pooledImage("widgets", 1);
        awaitReady(image.id(), 1);
        ContainerRecord broken = pooled(image.id()).getFirst();
        // its server died without the daemon knowing: the new password cannot be set
        engine.kill();

        DataContainer container = services.createContainer(ALICE, "widgets", "mine");

        assertThat(container.id()).isNotEqualTo(broken.id());
        assertThat(container.owner()).isEqualTo("alice");
        engine.insertRow(container.port(), container.password(), "row");
        assertThat(services.catalog().containers().find(broken.id())).isEmpty();
        awaitReady(image.id(), 1);
    }

    @Test
    void poolSizeIsChecked()
    {
        DataImage image = services.readyImage(ALICE, "widgets");
        assertFailsWith(ErrorCode.BAD_INPUT, () -> services.images().update("widgets", pool(-1), ALICE));
        assertFailsWith(ErrorCode.BAD_INPUT, () -> services.images().update("widgets", pool(ImageService.MAXIMUM_POOL_SIZE + 1), ALICE))
                .hasMessageContaining("--pool").hasMessageContaining("from 0 (none) to " + ImageService.MAXIMUM_POOL_SIZE);
        assertFailsWith(ErrorCode.NOT_FOUND, () -> services.images().update("widgets", pool(1), new Caller("bob", false, Set.of())));
        assertThat(services.images().get(String.valueOf(image.id()), ALICE).pool()).isNull();
    }

    @Test
    void nextChangeOfAPool()
    {
        ContainerRecord ready = record(1, ResourceStatus.READY);
        ContainerRecord newer = record(2, ResourceStatus.READY);
        ContainerRecord pending = record(3, ResourceStatus.PENDING);
        ContainerRecord stopped = record(4, ResourceStatus.STOPPED);

        assertThat(ContainerPools.PoolChange.of(2, List.of(ready, newer)).kind()).isEqualTo(ContainerPools.PoolChange.Kind.NONE);
        assertThat(ContainerPools.PoolChange.of(3, List.of(ready, newer)).kind()).isEqualTo(ContainerPools.PoolChange.Kind.CREATE);
        // one being made counts
        assertThat(ContainerPools.PoolChange.of(2, List.of(ready, pending)).kind()).isEqualTo(ContainerPools.PoolChange.Kind.NONE);
        // too many: the newest ready one goes, never one being made
        assertThat(ContainerPools.PoolChange.of(1, List.of(ready, newer)).container()).isEqualTo(newer);
        assertThat(ContainerPools.PoolChange.of(0, List.of(pending)).kind()).isEqualTo(ContainerPools.PoolChange.Kind.NONE);
        // a broken one goes first, and then is missing
        assertThat(ContainerPools.PoolChange.of(2, List.of(ready, stopped)).container()).isEqualTo(stopped);
        assertThat(ContainerPools.PoolChange.of(2, List.of(ready)).kind()).isEqualTo(ContainerPools.PoolChange.Kind.CREATE);
    }

    private static ContainerRecord record(long id, ResourceStatus status)
    {
        return new ContainerRecord(id, ContainerService.POOL_NAME_PREFIX + "1-" + id, 1, status, null, "fake", "1.0.0", "localhost", 31200 + (int) id, "fake",
                "secret", "fake", "containers/" + id, "rev.0", ContainerService.POOL_OWNER, Instant.EPOCH, null, true);
    }

    private DataImage pooledImage(String name, int size)
    {
        DataImage image = services.readyImage(ALICE, name);
        services.images().update(name, pool(size), ALICE);
        return image;
    }

    private static UpdateImageRequest pool(int size)
    {
        return new UpdateImageRequest(null, null, null, null, null, null, size);
    }

    private List<ContainerRecord> pooled(long imageId)
    {
        return services.catalog().containers().listOfImage(imageId).stream().filter(ContainerRecord::pooled).toList();
    }

    private static Set<Long> ids(List<ContainerRecord> containers)
    {
        return new HashSet<>(containers.stream().map(ContainerRecord::id).toList());
    }

    private void awaitReady(long imageId, int ready)
    {
        await(() -> {
            List<ContainerRecord> pool = pooled(imageId);
            return pool.size() == ready && pool.stream().allMatch(container -> container.status() == ResourceStatus.READY);
        }, ready + " ready containers in the pool");
    }

    private static void await(BooleanSupplier condition, String what)
    {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("Waited " + WAIT.toSeconds() + " s for " + what);
            }
            try {
                Thread.sleep(10);
            }
            catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
    }
}
