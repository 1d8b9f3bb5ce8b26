package dev.dolly.api.relay;

import java.io.Closeable;
import java.io.IOException;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

import static java.util.Objects.requireNonNull;

/**
 * A pure TCP byte relay: listens on one address and relays every connection it accepts to the target it has at that
 * moment. What passes is not looked at (TLS, SCRAM and channel binding go end to end).
 *
 * <p>Each connection has two platform threads, one per direction, blocked in the kernel in {@code read(2)} on a
 * blocking {@link SocketChannel} and writing the same direct buffer out: bytes never pass through the Java heap, and
 * a byte that arrives wakes the one thread that moves it (virtual threads would add a hop through the JDK's poller
 * and the carrier's scheduler to every message, which costs a database's small request and reply half their rate).
 * End of stream from one side half-closes the other ({@code shutdownOutput}); the connection ends once both
 * directions ended, or at once when either side fails.
 *
 * <p>{@link #setTarget} is synchronous: a connection accepted after it returns goes to the new target. Open
 * connections stay where they are unless the switch drops them. The target is asked for its address on the
 * connection's own thread, so a target may take its time (start a stopped server) before it answers.
 */
public final class TcpRelay
        implements Closeable
{
    private static final Logger LOG = System.getLogger(TcpRelay.class.getName());
    private static final int BUFFER_BYTES = 64 * 1024;

    private final String name;
    private final ServerSocketChannel listener;
    private final Set<Connection> connections = ConcurrentHashMap.newKeySet();
    private final AtomicLong accepted = new AtomicLong();
    private final Thread acceptor;
    private volatile RelayTarget target;
    private volatile boolean closed;

    private TcpRelay(String name, ServerSocketChannel listener, RelayTarget target)
    {
        this.name = requireNonNull(name, "name is null");
        this.listener = requireNonNull(listener, "listener is null");
        this.target = requireNonNull(target, "target is null");
        this.acceptor = Thread.ofPlatform().daemon().name("relay " + name + " accept").unstarted(this::accept);
    }

    /**
     * Listens on {@code listenAddress} and relays to {@code target}.
     *
     * @throws IOException when the address cannot be bound (the port is taken)
     */
    public static TcpRelay start(String name, InetSocketAddress listenAddress, RelayTarget target)
            throws IOException
    {
        requireNonNull(listenAddress, "listenAddress is null");
        ServerSocketChannel listener = ServerSocketChannel.open();
        try {
            // as servers bind: a port whose last connections wait in TIME_WAIT is free
            listener.setOption(StandardSocketOptions.SO_REUSEADDR, true);
            listener.bind(listenAddress, 128);
        }
        catch (IOException | RuntimeException e) {
            listener.close();
            throw e;
        }
        TcpRelay relay = new TcpRelay(name, listener, target);
        relay.acceptor.start();
        return relay;
    }

    /** The address it listens on (its port, when it was started on port 0). */
    public InetSocketAddress listenAddress()
    {
        try {
            return (InetSocketAddress) listener.getLocalAddress();
        }
        catch (IOException e) {
            throw new IllegalStateException("The relay " + name + " is closed", e);
        }
    }

    public RelayTarget target()
    {
        return target;
    }

    /**
     * Sends connections accepted from now on to {@code newTarget}; with {@code dropConnections}, closes the open
     * ones at once, otherwise they stay on their target until they end.
     *
     * @return how many open connections were closed
     */
    public int setTarget(RelayTarget newTarget, boolean dropConnections)
    {
        this.target = requireNonNull(newTarget, "newTarget is null");
        return dropConnections ? dropConnections() : 0;
    }

    /** Closes every open connection; returns how many there were. */
    public int dropConnections()
    {
        int dropped = 0;
        for (Connection connection : connections) {
            connection.close();
            dropped++;
        }
        return dropped;
    }

    /** The connections open now. */
    public int activeConnections()
    {
        return connections.size();
    }

    /** The connections accepted since it started. */
    public long acceptedConnections()
    {
        return accepted.get();
    }

    /**
     * Stops listening, so that another program may bind the port, and leaves the connections accepted so far to run
     * until they end (a connection still waiting for its target keeps waiting).
     */
    public void stopListening()
    {
        try {
            listener.close();
        }
        catch (IOException e) {
            LOG.log(Level.DEBUG, "Closing the listener of relay " + name + " failed", e);
        }
        if (Thread.currentThread() != acceptor) {
            try {
                acceptor.join(5_000);
            }
            catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** Stops listening and closes every open connection. */
    @Override
    public void close()
    {
        closed = true;
        try {
            listener.close();
        }
        catch (IOException e) {
            LOG.log(Level.DEBUG, "Closing the listener of relay " + name + " failed", e);
        }
        dropConnections();
        if (Thread.currentThread() != acceptor) {
            try {
                acceptor.join(5_000);
            }
            catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private void accept()
    {
        while (!closed) {
            SocketChannel client;
            try {
                client = listener.accept();
            }
            catch (ClosedChannelException e) {
                return;
            }
            catch (IOException e) {
                if (closed) {
                    return;
                }
                // too many open files and the like: the listener stays, the next accept may work
                LOG.log(Level.WARNING, "Relay " + name + " could not accept a connection: " + e.getMessage());
                pause();
                continue;
            }
            accepted.incrementAndGet();
            // read here, on the accepting thread: a connection accepted after a switch returned goes to the new target
            RelayTarget current = target;
            Connection connection = new Connection(client);
            connections.add(connection);
            if (closed) {
                connection.close();
                return;
            }
            Thread.ofPlatform().daemon().name("relay " + name + " connect").start(() -> connection.open(current));
        }
    }

    private static void pause()
    {
        try {
            Thread.sleep(100);
        }
        catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private final class Connection
    {
        private final SocketChannel client;
        private volatile SocketChannel server;
        private final AtomicLong directionsOpen = new AtomicLong(2);
        private volatile boolean ended;

        Connection(SocketChannel client)
        {
            this.client = client;
        }

        void open(RelayTarget target)
        {
            try {
                InetSocketAddress address = target.connectAddress();
                SocketChannel channel = SocketChannel.open();
                server = channel;
                if (ended) {
                    close();
                    return;
                }
                channel.connect(address);
                client.setOption(StandardSocketOptions.TCP_NODELAY, true);
                channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
            }
            catch (IOException | RuntimeException e) {
                // the client sees its connection closed: as if the target refused it
                LOG.log(Level.DEBUG, "Relay " + name + " could not connect to its target: " + e.getMessage());
                close();
                return;
            }
            Thread.ofPlatform().daemon().name("relay " + name + " to client").start(() -> copy(server, client));
            copy(client, server);
        }

        private void copy(SocketChannel from, SocketChannel to)
        {
            ByteBuffer buffer = ByteBuffer.allocateDirect(BUFFER_BYTES);
            try {
                while (from.read(buffer) >= 0) {
                    buffer.flip();
                    while (buffer.hasRemaining()) {
                        to.write(buffer);
                    }
                    buffer.clear();
                }
                // end of stream: the other side learns it, and may still answer (half-close)
                to.shutdownOutput();
            }
            catch (IOException | RuntimeException e) {
                // one side failed or was closed: the whole connection ends
                close();
                return;
            }
            if (directionsOpen.decrementAndGet() == 0) {
                close();
            }
        }

        void close()
        {
            ended = true;
            connections.remove(this);
            closeQuietly(client);
            SocketChannel channel = server;
            if (channel != null) {
                closeQuietly(channel);
            }
        }

        private static void closeQuietly(SocketChannel channel)
        {
            try {
                channel.close();
            }
            catch (IOException e) {
                // closing: nothing left to do
            }
        }
    }
}
