package dev.dolly.core.container;

import dev.dolly.api.relay.RelayTarget;
import dev.dolly.api.relay.TcpRelay;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import static java.util.Objects.requireNonNull;

/**
 * The daemon's listeners on the ports of stopped containers. While a container's server is stopped on purpose (idle
 * or by hand), the daemon listens on its port, at the addresses its server listened on. A connection is accepted and
 * held: the relay asks the {@link RelayTarget} for its address on a thread of its own, and the target (the container
 * service) closes these listeners, starts the server on the port and answers its address once the server takes
 * connections; the held connection is then relayed to it as a route's are. Later connections go to the server itself.
 */
final class WakeListeners
{
    private static final Logger LOG = LoggerFactory.getLogger(WakeListeners.class);

    private final Map<Long, List<TcpRelay>> listeners = new ConcurrentHashMap<>();

    /**
     * Listens on {@code port} at every address for the container, relaying what it accepts to {@code wake}'s answer.
     *
     * @throws IOException when an address cannot be bound: nothing of this container is listened on then
     */
    void listen(long containerId, String containerName, List<String> addresses, int port, RelayTarget wake)
            throws IOException
    {
        requireNonNull(addresses, "addresses is null");
        requireNonNull(wake, "wake is null");
        stopListening(containerId);
        List<TcpRelay> relays = new ArrayList<>();
        try {
            for (String address : addresses) {
                relays.add(TcpRelay.start("wake " + containerName, new InetSocketAddress(address, port), wake));
            }
        }
        catch (IOException | RuntimeException e) {
            relays.forEach(TcpRelay::close);
            throw e;
        }
        listeners.put(containerId, List.copyOf(relays));
        LOG.info("Listening on port {} of stopped container {} ({}): the next connection starts it", port, containerName, containerId);
    }

    /** Whether the daemon listens on the container's port. */
    boolean listening(long containerId)
    {
        return listeners.containsKey(containerId);
    }

    /**
     * Stops listening on the container's port, so that its server may bind it; the connections accepted meanwhile
     * are still relayed once their target answers.
     */
    void stopListening(long containerId)
    {
        List<TcpRelay> relays = listeners.remove(containerId);
        if (relays != null) {
            relays.forEach(TcpRelay::stopListening);
        }
    }

    /** Stops listening on every port and closes every held connection, for the daemon's shutdown. */
    void closeAll()
    {
        for (Long id : List.copyOf(listeners.keySet())) {
            List<TcpRelay> relays = listeners.remove(id);
            if (relays != null) {
                relays.forEach(TcpRelay::close);
            }
        }
    }
}
