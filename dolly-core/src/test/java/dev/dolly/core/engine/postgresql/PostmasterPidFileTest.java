package dev.dolly.core.engine.postgresql;

import dev.dolly.api.DollyException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PostmasterPidFileTest
{
    private static final String STARTING = "4242\n/data\n1700000000\n5432\n\n127.0.0.1\n  1234567     98765\nstarting\n";
    private static final String READY = "4242\n/data\n1700000000\n5432\n\n127.0.0.1\n  1234567     98765\nready   \n";
    /** PostgreSQL 9.6 writes no status line. */
    private static final String VERSION_9_6 = "4242\n/data\n1700000000\n5432\n\n127.0.0.1\n  1234567     98765\n";

    @TempDir
    Path directory;

    @Test
    void parsesThePidAndTheStatus()
    {
        assertThat(PostmasterPidFile.parse(READY)).contains(new PostmasterPidFile(4242, Optional.of("ready")));
        assertThat(PostmasterPidFile.parse(STARTING)).contains(new PostmasterPidFile(4242, Optional.of("starting")));
        assertThat(PostmasterPidFile.parse(VERSION_9_6)).contains(new PostmasterPidFile(4242, Optional.empty()));
    }

    @Test
    void halfWrittenFilesAreNotReady()
    {
        assertThat(PostmasterPidFile.parse("")).isEmpty();
        assertThat(PostmasterPidFile.parse("42")).isEmpty();
        assertThat(PostmasterPidFile.parse("x\n")).isEmpty();
        // the status line counts once it ends with a newline
        assertThat(PostmasterPidFile.parse(READY.substring(0, READY.length() - 4))).contains(new PostmasterPidFile(4242, Optional.empty()));
        assertThat(PostmasterPidFile.read(directory.resolve("postmaster.pid"))).isEmpty();
    }

    @Test
    void waitsUntilTheServerSaysReady()
            throws Exception
    {
        Path file = directory.resolve("postmaster.pid");
        // a stale file of another process first, then the starting server's own
        Files.writeString(file, READY.replace("4242", "999999"));
        CompletableFuture<Boolean> ready = CompletableFuture.supplyAsync(
                () -> PostmasterPidFile.awaitReady(file, 4242, true, () -> true, OptionalInt::empty, Duration.ofSeconds(10)));
        Thread.sleep(50);
        assertThat(ready).isNotDone();
        Files.writeString(file, STARTING);
        Thread.sleep(50);
        assertThat(ready).isNotDone();
        Files.writeString(file, READY);
        assertThat(ready.get(5, TimeUnit.SECONDS)).isTrue();
    }

    @Test
    void serversBeforeVersion10AreAwaitedByConnecting()
            throws IOException
    {
        Path file = directory.resolve("postmaster.pid");
        Files.writeString(file, VERSION_9_6);
        // no status line will ever come: the caller polls connections instead, at once
        long start = System.nanoTime();
        assertThat(PostmasterPidFile.awaitReady(file, 4242, false, () -> true, OptionalInt::empty, Duration.ofSeconds(10))).isFalse();
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(1));
    }

    @Test
    void failsAsSoonAsTheServerExits()
    {
        AtomicBoolean alive = new AtomicBoolean(true);
        CompletableFuture<Boolean> ready = CompletableFuture.supplyAsync(
                () -> PostmasterPidFile.awaitReady(directory.resolve("postmaster.pid"), 4242, true, alive::get, () -> OptionalInt.of(1), Duration.ofSeconds(30)));
        alive.set(false);
        assertThatThrownBy(() -> ready.get(5, TimeUnit.SECONDS))
                .hasCauseInstanceOf(DollyException.class)
                .hasMessageContaining("exited while starting (exit code 1)");
    }

    @Test
    void timesOut()
            throws IOException
    {
        Path file = directory.resolve("postmaster.pid");
        Files.writeString(file, STARTING);
        assertThatThrownBy(() -> PostmasterPidFile.awaitReady(file, 4242, true, () -> true, OptionalInt::empty, Duration.ofMillis(100)))
                .isInstanceOf(DollyException.class)
                .hasMessageContaining("not ready")
                .hasMessageContaining("'starting'");
    }
}
