package dev.dolly.core.image.build;

import dev.dolly.api.DataImage;
import dev.dolly.api.Durations;
import dev.dolly.api.ResourceStatus;
import dev.dolly.core.auth.Caller;
import dev.dolly.core.testing.FakeEngineServices;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;

import static dev.dolly.core.testing.FakeEngineServices.definition;
import static org.assertj.core.api.Assertions.assertThat;

/** A build that runs longer than DOLLY_BUILD_TIMEOUT, on the fake engine: a held load stands for a statement that never ends. */
class BuildTimeoutTest
{
    private static final Caller ALICE = new Caller("alice", false, Set.of());

    @TempDir
    Path directory;

    @Test
    void aBuildThatRunsTooLongFailsNamingTheSettingLeavesNothingAndFreesItsPlace()
    {
        try (FakeEngineServices services = new FakeEngineServices(directory, "31310-31310",
                Map.of("DOLLY_BUILD_TIMEOUT", "3s", "DOLLY_QUOTA_CONCURRENT_BUILDS", "1"))) {
            CountDownLatch loads = services.engine().holdLoads();
            long start = System.nanoTime();
            DataImage started = services.startBuild(ALICE, definition("widgets"), List.of(), List.of(), null);

            DataImage failed = services.awaitImage(started.id());
            Duration took = Duration.ofNanos(System.nanoTime() - start);

            assertThat(failed.status()).isEqualTo(ResourceStatus.FAILED);
            // on a busy machine, the time may be up before the load is reached
            assertThat(failed.statusMessage()).matches("The build ran longer than DOLLY_BUILD_TIMEOUT allows \\(3s\\) and was stopped in step "
                    + "'(create-database|start|initialize)'\\. Make the definition's scripts faster, or ask an administrator to raise DOLLY_BUILD_TIMEOUT\\.");
            assertThat(took).isBetween(Duration.ofSeconds(3), Duration.ofSeconds(15));
            // the server was stopped, the volume and the upload removed
            assertThat(services.engine().runningDirectories()).isEmpty();
            assertThat(services.volumesOnDisk("images")).isEmpty();
            assertThat(services.configuration().uploadsDirectory()).isEmptyDirectory();

            // its place and its port are free again: with one build at once and one port, the next build runs; one within the time is not stopped
            loads.countDown();
            assertThat(services.build(ALICE, definition("widgets")).status()).isEqualTo(ResourceStatus.READY);
        }
    }

    @Test
    void theLimitIsWrittenAsTheSettingIs()
    {
        assertThat(Durations.format(Duration.ofHours(2))).isEqualTo("2h");
        assertThat(Durations.format(Duration.ofMinutes(90))).isEqualTo("1h30m");
        assertThat(Durations.format(Duration.ofSeconds(45))).isEqualTo("45s");
        assertThat(Durations.format(Duration.ofDays(1).plusSeconds(5))).isEqualTo("1d5s");
    }
}
