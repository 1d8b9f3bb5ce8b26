package dev.dolly.core.quota;

import dev.dolly.api.DataContainer;
import dev.dolly.api.DataImage;
import dev.dolly.api.DollyException;
import dev.dolly.api.ErrorCode;
import dev.dolly.api.GraduateRequest;
import dev.dolly.api.NextStep;
import dev.dolly.api.ResourceStatus;
import dev.dolly.core.auth.Caller;
import dev.dolly.core.testing.FakeEngine.Operation;
import dev.dolly.core.testing.FakeEngineServices;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static dev.dolly.core.testing.DollyAssertions.assertFailsWith;
import static dev.dolly.core.testing.FakeEngineServices.definition;
import static org.assertj.core.api.Assertions.assertThat;

/** The per-user quotas on containers, images and builds at once, through the services, on a fake engine and the real catalog. */
class QuotasTest
{
    private static final Caller ALICE = new Caller("alice", false, Set.of());
    private static final Caller BOB = new Caller("bob", false, Set.of());
    private static final Caller ADMIN = Caller.administrator("admin");

    @TempDir
    Path directory;

    @Test
    void theDefaultsAreTwentyContainersFiftyImagesAndTwoBuildsAtOnce()
    {
        try (FakeEngineServices services = new FakeEngineServices(directory)) {
            QuotaLimits limits = services.configuration().quotas();
            assertThat(limits.containers()).isEqualTo(Quota.of("DOLLY_QUOTA_CONTAINERS", 20));
            assertThat(limits.images()).isEqualTo(Quota.of("DOLLY_QUOTA_IMAGES", 50));
            assertThat(limits.concurrentBuilds()).isEqualTo(Quota.of("DOLLY_QUOTA_CONCURRENT_BUILDS", 2));
        }
    }

    @Test
    void aUserCannotHaveMoreContainersThanTheQuotaAndOthersAreNotHeldBack()
    {
        try (FakeEngineServices services = new FakeEngineServices(directory, Map.of("DOLLY_QUOTA_CONTAINERS", "2"))) {
            services.readyImage(ALICE, "widgets");
            services.createContainer(ALICE, "widgets", "one");
            services.createContainer(ALICE, "widgets", "two");
            List<String> volumes = services.volumesOnDisk("containers");
            int runningServers = services.engine().runningDirectories().size();

            assertFailsWith(ErrorCode.QUOTA_EXCEEDED, NextStep.of(NextStep.Kind.LIST_CONTAINERS), () -> services.createContainer(ALICE, "widgets", "three"))
                    .hasMessage("You have 2 data containers, and DOLLY_QUOTA_CONTAINERS allows 2 per user. Delete containers you no longer need, "
                            + "or ask an administrator to raise DOLLY_QUOTA_CONTAINERS.");
            // nothing half-made: no record, no volume, no server, and the port reserved for it is free again
            assertThat(services.containers().list(ADMIN)).extracting(DataContainer::name).containsExactlyInAnyOrder("one", "two");
            assertThat(services.volumesOnDisk("containers")).isEqualTo(volumes);
            assertThat(services.engine().runningDirectories()).hasSize(runningServers);
            assertThat(ErrorCode.QUOTA_EXCEEDED.exitCode()).isEqualTo(8);

            // the quota is per user, and administrators have one too
            services.createContainer(ADMIN, "widgets", "admin-one");
            services.createContainer(ADMIN, "widgets", "admin-two");
            assertFailsWith(ErrorCode.QUOTA_EXCEEDED, () -> services.createContainer(ADMIN, "widgets", "admin-three"));

            // deleting one makes room
            services.containers().delete("one", ALICE);
            assertThat(services.createContainer(ALICE, "widgets", "three").status()).isEqualTo(ResourceStatus.READY);
        }
    }

    @Test
    void builtAndGraduatedImagesCountButFailedOnesDoNot()
    {
        try (FakeEngineServices services = new FakeEngineServices(directory, Map.of("DOLLY_QUOTA_IMAGES", "2", "DOLLY_QUOTA_CONTAINERS", "unlimited"))) {
            services.readyImage(ALICE, "widgets");
            services.engine().fail(Operation.LOAD);
            assertThat(services.build(ALICE, definition("broken")).status()).isEqualTo(ResourceStatus.FAILED);
            services.engine().succeed(Operation.LOAD);
            services.createContainer(ALICE, "widgets", "copy");
            services.revisions().save("copy", ALICE);
            services.revisions().graduate("copy", new GraduateRequest(null, "graduated", List.of(), List.of()), ALICE);

            String refusal = "You have 2 data images (failed ones do not count), and DOLLY_QUOTA_IMAGES allows 2 per user. Delete images you no longer need, "
                    + "or ask an administrator to raise DOLLY_QUOTA_IMAGES.";
            assertFailsWith(ErrorCode.QUOTA_EXCEEDED, NextStep.of(NextStep.Kind.LIST_IMAGES),
                    () -> services.startBuild(ALICE, definition("widgets"), List.of(), List.of(), null))
                    .hasMessage(refusal);
            services.revisions().save("copy", ALICE);
            assertFailsWith(ErrorCode.QUOTA_EXCEEDED, () -> services.revisions().graduate("copy", new GraduateRequest(null, "again", List.of(), List.of()), ALICE))
                    .hasMessage(refusal);
            // the refused build's upload is gone, and neither refusal left an image or a volume
            assertThat(services.configuration().uploadsDirectory()).isEmptyDirectory();
            assertThat(services.images().list(ADMIN)).extracting(DataImage::name).containsExactlyInAnyOrder("widgets", "broken", "graduated");
            assertThat(services.volumesOnDisk("images")).hasSize(2);

            assertThat(services.build(BOB, definition("gadgets")).status()).isEqualTo(ResourceStatus.READY);
        }
    }

    @Test
    void buildsAtOnceAreLimitedAndAFinishedBuildFreesItsPlace()
    {
        try (FakeEngineServices services = new FakeEngineServices(directory)) {
            CountDownLatch loads = services.engine().holdLoads();
            DataImage first = services.startBuild(ALICE, definition("widgets"), List.of(), List.of(), null);
            DataImage second = services.startBuild(ALICE, definition("gadgets"), List.of(), List.of(), null);

            assertFailsWith(ErrorCode.QUOTA_EXCEEDED, NextStep.of(NextStep.Kind.LIST_IMAGES),
                    () -> services.startBuild(ALICE, definition("doohickeys"), List.of(), List.of(), null))
                    .hasMessage("You have 2 data images being built, and DOLLY_QUOTA_CONCURRENT_BUILDS allows 2 at once per user. Wait until one is Ready "
                            + "or Failed, or ask an administrator to raise DOLLY_QUOTA_CONCURRENT_BUILDS.");
            DataImage bobs = services.startBuild(BOB, definition("sprockets"), List.of(), List.of(), null);
            assertThat(services.configuration().uploadsDirectory()).isDirectoryContaining(path -> true);

            loads.countDown();
            assertThat(services.awaitImage(first.id()).status()).isEqualTo(ResourceStatus.READY);
            assertThat(services.awaitImage(second.id()).status()).isEqualTo(ResourceStatus.READY);
            assertThat(services.awaitImage(bobs.id()).status()).isEqualTo(ResourceStatus.READY);
            assertThat(services.build(ALICE, definition("doohickeys")).status()).isEqualTo(ResourceStatus.READY);
        }
    }

    @Test
    void concurrentCreationsCannotBothTakeTheLastPlace()
            throws Exception
    {
        int quota = 3;
        int attempts = 12;
        try (FakeEngineServices services = new FakeEngineServices(directory, Map.of("DOLLY_QUOTA_CONTAINERS", String.valueOf(quota)))) {
            services.readyImage(ALICE, "widgets");
            List<Outcome> outcomes = all(attempts, index -> () -> services.createContainer(ALICE, "widgets", "copy-" + index));

            assertThat(outcomes.stream().filter(Outcome::succeeded).count()).isEqualTo(quota);
            assertThat(outcomes.stream().filter(outcome -> outcome.errorCode() == ErrorCode.QUOTA_EXCEEDED).count()).isEqualTo(attempts - quota);
            assertThat(services.containers().list(ALICE)).hasSize(quota);
            assertThat(services.volumesOnDisk("containers")).hasSize(quota);
        }
    }

    @Test
    void concurrentBuildsCannotBothTakeTheLastPlace()
            throws Exception
    {
        int attempts = 10;
        try (FakeEngineServices services = new FakeEngineServices(directory, Map.of("DOLLY_QUOTA_IMAGES", "5", "DOLLY_QUOTA_CONCURRENT_BUILDS", "3"))) {
            CountDownLatch loads = services.engine().holdLoads();
            List<Outcome> outcomes = all(attempts, index -> () -> services.startBuild(ALICE, definition("widgets-" + index), List.of(), List.of(), null));

            // the loads are held: every build is still pending, so the builds at once are the tighter limit
            assertThat(outcomes.stream().filter(Outcome::succeeded).count()).isEqualTo(3);
            assertThat(outcomes.stream().filter(outcome -> outcome.errorCode() == ErrorCode.QUOTA_EXCEEDED).count()).isEqualTo(attempts - 3);
            loads.countDown();
            for (DataImage image : services.images().list(ALICE)) {
                assertThat(services.awaitImage(image.id()).status()).isEqualTo(ResourceStatus.READY);
            }

            List<Outcome> more = all(attempts, index -> () -> services.startBuild(ALICE, definition("gadgets-" + index), List.of(), List.of(), null));
            assertThat(more.stream().filter(Outcome::succeeded).count()).isEqualTo(2);
            for (DataImage image : services.images().list(ALICE)) {
                services.awaitImage(image.id());
            }
            assertThat(services.images().list(ALICE)).hasSize(5);
        }
    }

    private record Outcome(boolean succeeded, ErrorCode errorCode) {}

    private interface Attempt
    {
        Callable<?> of(int index);
    }

    /** Runs the attempts at the same moment, each on a thread of its own. */
    private static List<Outcome> all(int count, Attempt attempt)
            throws InterruptedException
    {
        ExecutorService threads = Executors.newFixedThreadPool(count);
        try {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<Outcome>> futures = new ArrayList<>();
            for (int index = 0; index < count; index++) {
                Callable<?> call = attempt.of(index);
                futures.add(threads.submit(() -> {
                    start.await();
                    try {
                        call.call();
                        return new Outcome(true, null);
                    }
                    catch (DollyException e) {
                        return new Outcome(false, e.errorCode());
                    }
                }));
            }
            start.countDown();
            List<Outcome> outcomes = new ArrayList<>();
            for (Future<Outcome> future : futures) {
                try {
                    outcomes.add(future.get());
                }
                catch (ExecutionException e) {
                    throw new AssertionError("An attempt failed otherwise than with a DollyException", e.getCause());
                }
            }
            return outcomes;
        }
        finally {
            threads.shutdownNow();
        }
    }
}
