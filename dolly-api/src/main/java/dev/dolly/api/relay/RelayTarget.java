package dev.dolly.api.relay;

import java.io.IOException;
import java.net.InetSocketAddress;

import static java.util.Objects.requireNonNull;

/**
 * Where a {@link TcpRelay} sends a connection. It is asked once per connection, on that connection's own thread, so
 * it may take its time: a target whose server sleeps can start it and answer once it listens.
 */
@FunctionalInterface
public interface RelayTarget
{
    /**
     * The address to connect this connection to.
     *
     * @throws IOException when there is none to connect to: the client's connection is closed
     */
    InetSocketAddress connectAddress()
            throws IOException;

    /** A fixed address. */
    static RelayTarget of(InetSocketAddress address)
    {
        requireNonNull(address, "address is null");
        return () -> address;
    }
}
