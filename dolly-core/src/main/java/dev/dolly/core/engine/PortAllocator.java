package dev.dolly.core.engine;

import dev.dolly.api.DollyException;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.HashSet;
import java.util.Set;
import java.util.function.Supplier;
import java.util.stream.IntStream;

import static java.util.Objects.requireNonNull;

/**
 * Hands out engine ports from the configured range: ports no container of the catalog holds, that no other
 * allocation holds right now, and that nothing else on the machine listens on.
 */
public final class PortAllocator
{
    private final String host;
    private final int first;
    private final int last;
    private final Supplier<Set<Integer>> portsInCatalog;
    private final Set<Integer> reserved = new HashSet<>();
    private int next;

    public PortAllocator(String host, int first, int last, Supplier<Set<Integer>> portsInCatalog)
    {
        this.host = requireNonNull(host, "host is null");
        this.first = first;
        this.last = last;
        this.portsInCatalog = requireNonNull(portsInCatalog, "portsInCatalog is null");
        this.next = first;
    }

    /** Reserves a free port until {@link #release} is called. */
    public synchronized int reserve()
    {
        Set<Integer> taken = portsInCatalog.get();
        int size = last - first + 1;
        for (int attempt = 0; attempt < size; attempt++) {
            int port = next;
            next = next == last ? first : next + 1;
            if (!taken.contains(port) && !reserved.contains(port) && isFree(port)) {
                reserved.add(port);
                return port;
            }
        }
        throw DollyException.failed("No free port is left in " + first + "-" + last + ". Delete containers you no longer need, or widen DOLLY_CONTAINER_PORTS.");
    }

    public synchronized void release(int port)
    {
        reserved.remove(port);
    }

    /**
     * How many ports of the range neither a container of the catalog nor a running allocation holds; whether
     * something else on the machine listens on them is not probed.
     */
    public synchronized int countFree()
    {
        Set<Integer> taken = new HashSet<>(portsInCatalog.get());
        taken.addAll(reserved);
        return (int) IntStream.rangeClosed(first, last).filter(port -> !taken.contains(port)).count();
    }

    /**
     * Whether nothing listens on the port on the engines' address. Probed as the engines bind (PostgreSQL and
     * MariaDB set {@code SO_REUSEADDR}): a port whose last server left connections in TIME_WAIT is free for them.
     */
    public boolean isFree(int port)
    {
        try (ServerSocket socket = new ServerSocket()) {
            socket.setReuseAddress(true);
            socket.bind(new InetSocketAddress(InetAddress.getByName(host), port));
            return true;
        }
        catch (IOException e) {
            return false;
        }
    }
}
