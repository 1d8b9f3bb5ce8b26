package dev.dolly.core.container;

import dev.dolly.core.testing.MutableClock;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;

import static org.assertj.core.api.Assertions.assertThat;

class IdleWatcherTest
{
    private static final Instant START = Instant.parse("2026-12-01T10:00:00Z");

    private final MutableClock clock = new MutableClock(START);
    private final FakeServers servers = new FakeServers();
    private final IdleWatcher watcher = new IdleWatcher(servers, clock);

    @Test
    void aContainerWithNoClientIsStoppedOnceItsIdleTimeHasPassedSinceItWasFirstWatched()
    {
        servers.run(1, Duration.ofMinutes(30), 0);
        watcher.check();
        checkAfter(Duration.ofMinutes(29));
        assertThat(servers.stopped).isEmpty();
        checkAfter(Duration.ofMinutes(1));
        assertThat(servers.stopped).containsExactly(1L);
        assertThat(servers.lastClients).containsExactly(START);
    }

    @Test
    void aClientSeenStartsTheIdleTimeAgain()
    {
        servers.run(1, Duration.ofMinutes(30), 0);
        watcher.check();
        clock.advance(Duration.ofMinutes(20));
        servers.clients.put(1L, 2);
        watcher.check();
        servers.clients.put(1L, 0);
        checkAfter(Duration.ofMinutes(20));
        assertThat(servers.stopped).isEmpty();
        checkAfter(Duration.ofMinutes(10));
        assertThat(servers.stopped).containsExactly(1L);
        assertThat(servers.lastClients).containsExactly(START.plus(Duration.ofMinutes(20)));
    }

    @Test
    void aContainerWithAClientIsNeverStopped()
    {
        servers.run(1, Duration.ofSeconds(3), 1);
        for (int round = 0; round < 10; round++) {
            watcher.check();
            clock.advance(Duration.ofSeconds(2));
        }
        assertThat(servers.stopped).isEmpty();
    }

    @Test
    void aContainerWhoseClientsCannotBeCountedIsNotStopped()
    {
        servers.run(1, Duration.ofSeconds(3), 0);
        watcher.check();
        servers.failing = true;
        checkAfter(Duration.ofMinutes(5));
        assertThat(servers.stopped).isEmpty();
        // counted again, it has its whole idle time from the round that could not count
        servers.failing = false;
        checkAfter(Duration.ofSeconds(2));
        assertThat(servers.stopped).isEmpty();
        checkAfter(Duration.ofSeconds(1));
        assertThat(servers.stopped).containsExactly(1L);
    }

    @Test
    void aContainerThatStopsBeingWatchedStartsAfreshWhenWatchedAgain()
    {
        servers.run(1, Duration.ofSeconds(10), 0);
        watcher.check();
        servers.watched.clear();
        checkAfter(Duration.ofMinutes(5));
        assertThat(watcher.lastClient(1)).isEmpty();
        // woken: its first round counts as a client seen, so it is not stopped at once
        servers.run(1, Duration.ofSeconds(10), 0);
        watcher.check();
        checkAfter(Duration.ofSeconds(9));
        assertThat(servers.stopped).isEmpty();
        checkAfter(Duration.ofSeconds(1));
        assertThat(servers.stopped).containsExactly(1L);
    }

    @Test
    void eachContainerHasItsOwnIdleTimeAndAStopThatFailsIsTriedAgain()
    {
        servers.run(1, Duration.ofSeconds(5), 0);
        servers.run(2, Duration.ofSeconds(20), 0);
        watcher.check();
        servers.stopFails = true;
        checkAfter(Duration.ofSeconds(5));
        assertThat(servers.stopped).isEmpty();
        servers.stopFails = false;
        checkAfter(Duration.ofSeconds(1));
        assertThat(servers.stopped).containsExactly(1L);
        checkAfter(Duration.ofSeconds(14));
        assertThat(servers.stopped).containsExactly(1L, 2L);
    }

    /** The clock moves on by the duration, then the watcher makes its round. */
    private void checkAfter(Duration duration)
    {
        clock.advance(duration);
        watcher.check();
    }

    private static final class FakeServers
            implements IdleWatcher.Servers
    {
        private final Map<Long, IdleWatcher.Watched> watched = new HashMap<>();
        private final Map<Long, Integer> clients = new HashMap<>();
        private final List<Long> stopped = new ArrayList<>();
        private final List<Instant> lastClients = new ArrayList<>();
        private boolean failing;
        private boolean stopFails;

        void run(long id, Duration idleStop, int clientCount)
        {
            watched.put(id, new IdleWatcher.Watched(id, "container-" + id, idleStop));
            clients.put(id, clientCount);
        }

        @Override
        public List<IdleWatcher.Watched> watched()
        {
            return watched.values().stream().sorted((first, second) -> Long.compare(first.id(), second.id())).toList();
        }

        @Override
        public OptionalInt clientConnections(long id)
        {
            if (failing) {
                throw new IllegalStateException("the server does not answer");
            }
            return OptionalInt.of(clients.get(id));
        }

        @Override
        public void stopIdle(IdleWatcher.Watched container, Instant lastClient)
        {
            if (stopFails) {
                throw new IllegalStateException("the server does not stop");
            }
            stopped.add(container.id());
            lastClients.add(lastClient);
            // a stopped container is not running any longer
            watched.remove(container.id());
        }
    }
}
