package dev.dolly.core.container;

import dev.dolly.api.CreateContainerRequest;
import dev.dolly.api.DataContainer;
import dev.dolly.api.DataImage;
import dev.dolly.api.DollyException;
import dev.dolly.api.ErrorCode;
import dev.dolly.api.GraduateRequest;
import dev.dolly.api.ResourceStatus;
import dev.dolly.core.auth.Caller;
import dev.dolly.core.catalog.ContainerRecord;
import dev.dolly.core.catalog.ImageRecord;
import dev.dolly.core.engine.EngineUidRange;
import dev.dolly.core.engine.EngineUser;
import dev.dolly.core.quota.Quota;
import dev.dolly.core.quota.QuotaLimits;
import dev.dolly.core.storage.VolumeKeys;
import dev.dolly.core.testing.FakeEngine;
import dev.dolly.core.testing.FakeEngine.Operation;
import dev.dolly.core.testing.FakeEngineServices;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

import static dev.dolly.core.testing.DollyAssertions.assertFailsWith;
import static dev.dolly.core.testing.FakeEngineServices.definition;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Requests that race on one image or one container, on a fake engine, the copy driver and the real catalog: the
 * catalog's conditional updates decide who wins, a loser is refused with a conflict (never an internal failure),
 * and whatever fails gives back its port, its engine account and its volume.
 */
class ContainerRacesTest
{
    private static final Caller ALICE = new Caller("alice", false, Set.of("org:devs"));
    private static final Caller ADMIN = Caller.administrator("admin");
    private static final EngineUidRange ENGINE_UIDS = EngineUidRange.parse("2000000000-2000000199");
    /** Quotas would refuse before the races these tests are about. */
    private static final Map<String, String> UNLIMITED = Map.of(QuotaLimits.CONTAINERS_VARIABLE, Quota.UNLIMITED, QuotaLimits.IMAGES_VARIABLE, Quota.UNLIMITED,
            QuotaLimits.CONCURRENT_BUILDS_VARIABLE, Quota.UNLIMITED);
    /** The outcomes a loser of a race may get: a refusal that tells what happened, never an internal failure. */
    private static final Set<ErrorCode> REFUSALS = Set.of(ErrorCode.CONFLICT, ErrorCode.IN_USE, ErrorCode.NOT_FOUND, ErrorCode.ALREADY_EXISTS);

    @TempDir
    Path directory;

    private FakeEngineServices services;
    private FakeEngine engine;
    private ContainerService containers;
    private ExecutorService threads;

    @BeforeEach
    void setUp()
    {
        useServices(directory.resolve("services"), "31200-31299");
        threads = Executors.newVirtualThreadPerTaskExecutor();
    }

    private void useServices(Path home, String containerPorts)
    {
        if (services != null) {
            services.close();
        }
        // as root, every container gets an account of its own, as in a daemon running as root: those must come back too
        services = EngineUser.daemonUser().uid() == 0
                ? FakeEngineServices.withEngineAccounts(home, ENGINE_UIDS, containerPorts, UNLIMITED)
                : new FakeEngineServices(home, containerPorts, UNLIMITED);
        engine = services.engine();
        containers = services.containers();
    }

    @AfterEach
    void tearDown()
    {
        threads.shutdownNow();
        services.close();
    }

    @Test
    void aThousandFailedCreationsGiveBackEveryPortAccountAndVolume()
    {
        useServices(directory.resolve("eight-ports"), "31300-31307");
        services.readyImage(ALICE, "widgets");
        DataContainer kept = services.createContainer(ALICE, "widgets", "kept");
        int freePorts = services.ports().countFree();
        Set<Integer> accounts = services.catalog().engineUidsInUse();
        List<String> volumes = services.volumesOnDisk("containers");
        int starts = engine.calls(Operation.START);

        Map<ErrorCode, Integer> refusals = new EnumMap<>(ErrorCode.class);
        int otherFailures = 0;
        for (int attempt = 0; attempt < 1000; attempt++) {
            int kind = attempt % 5;
            if (kind == 4) {
                engine.fail(Operation.START);
            }
            try {
                switch (kind) {
                    // an expiry beyond what an instant can hold
                    case 0 -> containers.create(new CreateContainerRequest("widgets", null, "400000000000d"), ALICE);
                    case 1 -> services.createContainer(ALICE, "widgets", "bad name!");
                    case 2 -> services.createContainer(ALICE, "no-such-image", null);
                    case 3 -> services.createContainer(ALICE, "widgets", "kept");
                    default -> services.createContainer(ALICE, "widgets", "fails-to-start");
                }
                throw new AssertionError("Creation " + attempt + " (kind " + kind + ") succeeded");
            }
            catch (DollyException refused) {
                refusals.merge(refused.errorCode(), 1, Integer::sum);
            }
            catch (RuntimeException failed) {
                // the expiry out of range: how it is worded is the input checks' matter, what it leaves is this test's
                otherFailures++;
            }
            finally {
                engine.succeed(Operation.START);
            }
        }

        assertThat(refusals.get(ErrorCode.BAD_INPUT)).isGreaterThanOrEqualTo(200);
        assertThat(refusals.get(ErrorCode.NOT_FOUND)).isEqualTo(200);
        assertThat(refusals.get(ErrorCode.ALREADY_EXISTS)).isEqualTo(200);
        assertThat(refusals.get(ErrorCode.ENGINE_FAILED)).isEqualTo(200);
        assertThat(refusals.values().stream().mapToInt(Integer::intValue).sum() + otherFailures).isEqualTo(1000);
        assertThat(engine.calls(Operation.START) - starts).isEqualTo(200);
        assertThat(services.ports().countFree()).isEqualTo(freePorts);
        assertThat(services.catalog().engineUidsInUse()).isEqualTo(accounts);
        assertThat(services.volumesOnDisk("containers")).isEqualTo(volumes);
        assertThat(services.catalog().containers().list()).extracting(ContainerRecord::name).containsExactly("kept");
        assertThat(engine.runningPorts()).containsExactly(kept.port());

        // every port of the range can still be taken
        List<DataContainer> created = new ArrayList<>();
        for (int container = 0; container < freePorts; container++) {
            created.add(services.createContainer(ALICE, "widgets", null));
        }
        assertThat(created).extracting(DataContainer::status).containsOnly(ResourceStatus.READY);
        assertThat(services.ports().countFree()).isZero();
    }

    @Test
    void anImageIsNotDeletedUnderAContainerBeingCloned()
            throws Exception
    {
        DataImage image = services.readyImage(ALICE, "widgets");
        CountDownLatch installs = engine.holdInstalls();
        Future<DataContainer> creation = threads.submit(() -> services.createContainer(ALICE, "widgets", "copy-1"));
        awaitContainerRecorded("copy-1");

        // the creation holds the image from the moment it is recorded, before its clone is taken
        assertFailsWith(ErrorCode.IN_USE, () -> services.images().delete("widgets", ALICE))
                .hasMessageContaining("is used by data containers 'copy-1'");
        installs.countDown();

        DataContainer container = creation.get(30, TimeUnit.SECONDS);
        assertThat(container.status()).isEqualTo(ResourceStatus.READY);
        assertThat(services.storage().path(VolumeKeys.container(container.id())).resolve(FakeEngine.LOADED)).exists();
        assertThat(services.images().load(image.id()).status()).isEqualTo(ResourceStatus.READY);
    }

    @Test
    void aCreationThatResolvedAnImageBeingDeletedIsRefusedAndLeavesNothing()
            throws Exception
    {
        DataImage image = services.readyImage(ALICE, "widgets");
        int freePorts = services.ports().countFree();
        Future<DataContainer> creation;
        // the creation resolves the image, takes a port, and waits for the service's lock before recording itself
        ContainerService service = containers;
        synchronized (service) {
            creation = threads.submit(() -> services.createContainer(ALICE, "widgets", "copy-1"));
            awaitPortReserved(freePorts);
            services.images().delete("widgets", ALICE);
        }

        assertThat(catchFailure(creation)).isInstanceOfSatisfying(DollyException.class, refused -> assertThat(refused.errorCode()).isEqualTo(ErrorCode.CONFLICT))
                .hasMessage("Data image 'widgets' (" + image.id() + ") was deleted and no container can be created from it any more.");
        assertThat(services.catalog().containers().list()).isEmpty();
        assertThat(services.catalog().images().list()).isEmpty();
        assertThat(services.volumesOnDisk("containers")).isEmpty();
        assertThat(services.volumesOnDisk("images")).isEmpty();
        assertThat(services.ports().countFree()).isEqualTo(freePorts);
        assertThat(services.catalog().engineUidsInUse()).isEmpty();
    }

    @Test
    void creationsAndADeletionOfTheirImageAtOnceNeverFailInternally()
            throws Exception
    {
        int freePorts = services.ports().countFree();
        for (int round = 0; round < 8; round++) {
            String name = "widgets-" + round;
            DataImage image = services.readyImage(ALICE, name);
            CyclicBarrier start = new CyclicBarrier(6);
            List<Future<DataContainer>> creations = new ArrayList<>();
            for (int creation = 0; creation < 5; creation++) {
                creations.add(threads.submit(() -> {
                    start.await();
                    return services.createContainer(ALICE, name, null);
                }));
            }
            Future<DataImage> deletion = threads.submit(() -> {
                start.await();
                return services.images().delete(String.valueOf(image.id()), ALICE);
            });

            List<DataContainer> created = new ArrayList<>();
            for (Future<DataContainer> creation : creations) {
                outcome(creation).ifPresent(created::add);
            }
            boolean deleted = outcome(deletion).isPresent();
            if (deleted) {
                // the deletion won: no creation got a container of it
                assertThat(created).isEmpty();
                assertThat(services.catalog().images().find(image.id())).isEmpty();
            }
            else {
                assertThat(services.catalog().images().find(image.id()).orElseThrow().status()).isEqualTo(ResourceStatus.READY);
            }
            for (DataContainer container : created) {
                assertThat(container.status()).isEqualTo(ResourceStatus.READY);
                assertThat(services.storage().path(VolumeKeys.container(container.id())).resolve(FakeEngine.LOADED)).exists();
                containers.delete(container.name(), ALICE);
            }
            if (!deleted) {
                services.images().delete(String.valueOf(image.id()), ALICE);
            }
        }
        assertThat(services.catalog().containers().list()).isEmpty();
        assertThat(services.volumesOnDisk("containers")).isEmpty();
        assertThat(services.volumesOnDisk("images")).isEmpty();
        assertThat(engine.runningPorts()).isEmpty();
        assertThat(services.ports().countFree()).isEqualTo(freePorts);
    }

    @Test
    void fiftyParallelCreationsFromFiveImagesAllSucceed()
            throws Exception
    {
        int freePorts = services.ports().countFree();
        for (int image = 0; image < 5; image++) {
            services.readyImage(ALICE, "widgets-" + image);
        }
        CyclicBarrier start = new CyclicBarrier(50);
        List<Future<DataContainer>> creations = new ArrayList<>();
        for (int creation = 0; creation < 50; creation++) {
            String image = "widgets-" + creation % 5;
            creations.add(threads.submit(() -> {
                start.await();
                return services.createContainer(ALICE, image, null);
            }));
        }
        List<DataContainer> created = new ArrayList<>();
        for (Future<DataContainer> creation : creations) {
            created.add(creation.get(60, TimeUnit.SECONDS));
        }

        assertThat(created).extracting(DataContainer::status).containsOnly(ResourceStatus.READY);
        assertThat(new HashSet<>(created.stream().map(DataContainer::port).toList())).hasSize(50);
        assertThat(new HashSet<>(created.stream().map(DataContainer::name).toList())).hasSize(50);
        assertThat(engine.runningPorts()).hasSize(50);
        assertThat(services.ports().countFree()).isEqualTo(freePorts - 50);
        if (services.catalog().engineUidsInUse().size() > 5) {
            // as root: 50 accounts of their own, plus the images'
            assertThat(services.catalog().containers().list()).extracting(container -> services.catalog().containers().engineUid(container.id()).orElseThrow())
                    .doesNotHaveDuplicates();
        }

        List<Future<DataContainer>> deletions = new ArrayList<>();
        for (DataContainer container : created) {
            deletions.add(threads.submit(() -> containers.delete(container.name(), ALICE)));
        }
        for (Future<DataContainer> deletion : deletions) {
            deletion.get(60, TimeUnit.SECONDS);
        }
        assertThat(containers.list(ADMIN)).isEmpty();
        assertThat(services.volumesOnDisk("containers")).isEmpty();
        assertThat(engine.runningPorts()).isEmpty();
        assertThat(services.ports().countFree()).isEqualTo(freePorts);
    }

    @Test
    void savesLoadsAndDeletionsOfOneContainerAtOnceEndWithNothingLeft()
            throws Exception
    {
        services.readyImage(ALICE, "widgets");
        int freePorts = services.ports().countFree();
        for (int round = 0; round < 6; round++) {
            DataContainer container = services.createContainer(ALICE, "widgets", "copy-" + round);
            services.revisions().save(container.name(), ALICE);
            CyclicBarrier start = new CyclicBarrier(6);
            List<Callable<Object>> operations = List.of(
                    () -> services.revisions().save(container.name(), ALICE),
                    () -> services.revisions().load(container.name(), "rev.0", ALICE),
                    () -> services.revisions().reset(container.name(), ALICE),
                    () -> services.revisions().graduate(container.name(), new GraduateRequest("rev.1", null, List.of(), List.of()), ALICE),
                    () -> containers.delete(container.name(), ALICE),
                    () -> containers.delete(String.valueOf(container.id()), ALICE));
            List<Future<Object>> outcomes = new ArrayList<>();
            for (Callable<Object> operation : operations) {
                outcomes.add(threads.submit(() -> {
                    start.await();
                    return operation.call();
                }));
            }
            AtomicInteger deletions = new AtomicInteger();
            for (int operation = 0; operation < outcomes.size(); operation++) {
                if (outcome(outcomes.get(operation)).isPresent() && operation >= 4) {
                    deletions.incrementAndGet();
                }
            }
            assertThat(deletions).hasValue(1);
            assertThat(services.catalog().containers().find(container.id())).isEmpty();
            assertThat(services.volumesOnDisk("containers")).isEmpty();
            assertThat(services.volumesOnDisk("revisions/" + container.id())).isEmpty();
            assertThat(engine.runningPorts()).isEmpty();
        }
        assertThat(services.ports().countFree()).isEqualTo(freePorts);
        // the graduated images that won stand on their own
        for (ImageRecord image : services.catalog().images().list()) {
            assertThat(image.status()).isEqualTo(ResourceStatus.READY);
            assertThat(services.storage().path(image.volume()).resolve(FakeEngine.LOADED)).exists();
        }
    }

    @Test
    void twoGraduatesOfOneNameAtOnceMakeOneImage()
            throws Exception
    {
        services.readyImage(ALICE, "widgets");
        services.createContainer(ALICE, "widgets", "copy-1");
        services.createContainer(ALICE, "widgets", "copy-2");
        services.revisions().save("copy-1", ALICE);
        services.revisions().save("copy-2", ALICE);
        for (int round = 0; round < 10; round++) {
            String name = "graduated-" + round;
            CyclicBarrier start = new CyclicBarrier(2);
            List<Future<DataImage>> graduates = new ArrayList<>();
            for (String container : List.of("copy-1", "copy-2")) {
                graduates.add(threads.submit(() -> {
                    start.await();
                    return services.revisions().graduate(container, new GraduateRequest(null, name, List.of("latest"), List.of()), ALICE);
                }));
            }
            int won = 0;
            for (Future<DataImage> graduate : graduates) {
                try {
                    graduate.get(30, TimeUnit.SECONDS);
                    won++;
                }
                catch (ExecutionException e) {
                    assertThat(e.getCause()).isInstanceOf(DollyException.class);
                    assertThat(((DollyException) e.getCause()).errorCode()).isEqualTo(ErrorCode.ALREADY_EXISTS);
                    assertThat(e.getCause()).hasMessage("A data image named '" + name + "' exists already. Choose another name with --name.");
                }
            }
            assertThat(won).isEqualTo(1);
            assertThat(services.catalog().images().findByName(name)).singleElement()
                    .satisfies(image -> assertThat(image.tags()).containsExactly("latest"));
        }
        assertThat(services.volumesOnDisk("images")).hasSize(11);
    }

    @Test
    void twoBuildsTakingOneTagLeaveItOnExactlyOneImage()
    {
        for (int round = 0; round < 4; round++) {
            List<DataImage> started = new ArrayList<>();
            for (int build = 0; build < 3; build++) {
                started.add(services.startBuild(ALICE, definition("widgets"), List.of("latest"), List.of(), null));
            }
            for (DataImage image : started) {
                assertThat(services.awaitImage(image.id()).status()).isEqualTo(ResourceStatus.READY);
            }
            List<ImageRecord> holders = services.catalog().images().findByName("widgets").stream().filter(image -> image.tags().contains("latest")).toList();
            assertThat(holders).hasSize(1);
            // of builds at once, the newest wins, whichever finished first
            assertThat(holders.getFirst().id()).isEqualTo(started.getLast().id());
            assertThat(services.images().resolveReady("widgets:latest", ALICE).id()).isEqualTo(started.getLast().id());
        }
    }

    private void awaitContainerRecorded(String name)
            throws InterruptedException
    {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (services.catalog().containers().findByName(name).isEmpty()) {
            assertThat(System.nanoTime()).as("container " + name + " recorded within 30 s").isLessThan(deadline);
            Thread.sleep(2);
        }
    }

    private void awaitPortReserved(int freeBefore)
            throws InterruptedException
    {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (services.ports().countFree() == freeBefore) {
            assertThat(System.nanoTime()).as("a port reserved within 30 s").isLessThan(deadline);
            Thread.sleep(2);
        }
    }

    /** What a request that may lose a race returned: empty when it was refused as a loser may be. */
    private static <T> Optional<T> outcome(Future<T> request)
            throws InterruptedException, TimeoutException
    {
        try {
            return Optional.of(request.get(60, TimeUnit.SECONDS));
        }
        catch (ExecutionException e) {
            if (e.getCause() instanceof DollyException refused && REFUSALS.contains(refused.errorCode())) {
                return Optional.empty();
            }
            throw new AssertionError("A request that lost a race failed instead of being refused", e.getCause());
        }
    }

    private static Throwable catchFailure(Future<?> request)
            throws InterruptedException
    {
        try {
            request.get();
            throw new AssertionError("The request succeeded");
        }
        catch (ExecutionException e) {
            return e.getCause();
        }
    }
}
