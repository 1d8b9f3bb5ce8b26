package dev.dolly.core.container;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.Set;
import java.util.stream.Collectors;

import static java.util.Objects.requireNonNull;

/**
 * Stops the servers of containers that went their idle time without a client connection. Each {@link #check} asks
 * every running container with an idle stop how many clients it has (the engine itself counts them: connections
 * through routes count like any other) and keeps, per container, the last time it was seen with one; the first
 * check that sees a container counts as such a time, so that a container just started or woken has its whole idle
 * time. A container whose clients cannot be counted is not stopped.
 */
final class IdleWatcher
{
    private static final Logger LOG = LoggerFactory.getLogger(IdleWatcher.class);

    /** A running container that has an idle stop. */
    record Watched(long id, String name, Duration idleStop) {}

    /** What the watcher needs of the containers. */
    interface Servers
    {
        /** The running containers that have an idle stop. */
        List<Watched> watched();

        /** How many client connections the container's server has now; empty when it cannot tell. */
        OptionalInt clientConnections(long id);

        /** Stops the container's server for being idle since {@code lastClient}. */
        void stopIdle(Watched container, Instant lastClient);
    }

    private final Servers servers;
    private final Clock clock;
    private final Map<Long, Instant> lastClient = new HashMap<>();

    IdleWatcher(Servers servers, Clock clock)
    {
        this.servers = requireNonNull(servers, "servers is null");
        this.clock = requireNonNull(clock, "clock is null");
    }

    /** One round: counts every watched container's clients and stops those idle for their idle time. */
    synchronized void check()
    {
        List<Watched> watched = servers.watched();
        Set<Long> ids = watched.stream().map(Watched::id).collect(Collectors.toSet());
        // a container stopped, deleted or no longer watched starts afresh when it is watched again
        lastClient.keySet().retainAll(ids);
        for (Watched container : watched) {
            Instant now = clock.instant();
            OptionalInt clients;
            try {
                clients = servers.clientConnections(container.id());
            }
            catch (RuntimeException e) {
                LOG.debug("Could not count the clients of container {} ({})", container.name(), container.id(), e);
                clients = OptionalInt.empty();
            }
            Instant last = lastClient.get(container.id());
            if (last == null || clients.isEmpty() || clients.getAsInt() > 0) {
                lastClient.put(container.id(), now);
                continue;
            }
            if (Duration.between(last, now).compareTo(container.idleStop()) >= 0) {
                try {
                    servers.stopIdle(container, last);
                    lastClient.remove(container.id());
                }
                catch (RuntimeException e) {
                    LOG.warn("Could not stop idle container {} ({})", container.name(), container.id(), e);
                }
            }
        }
    }

    /** The last time the container was seen with a client (or first watched), if it is watched. */
    synchronized java.util.Optional<Instant> lastClient(long id)
    {
        return java.util.Optional.ofNullable(lastClient.get(id));
    }
}
