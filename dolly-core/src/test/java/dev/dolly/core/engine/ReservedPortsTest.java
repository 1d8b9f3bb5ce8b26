package dev.dolly.core.engine;

import dev.dolly.core.storage.StorageDrivers;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The daemon's reservation of its container ports from the kernel's ephemeral range. The tests that write the
 * machine's {@code net.ipv4.ip_local_reserved_ports} take root, and put its value back exactly as it was.
 */
class ReservedPortsTest
{
    private static final Path RESERVED_PORTS = Path.of("/proc/sys/net/ipv4/ip_local_reserved_ports");
    private static final Path EPHEMERAL_RANGE = Path.of("/proc/sys/net/ipv4/ip_local_port_range");

    @TempDir
    Path directory;

    @Test
    void aRangeIsCoveredOnlyWhenEveryPortIsReserved()
    {
        assertThat(ReservedPorts.covers("", 54320, 54999)).isFalse();
        assertThat(ReservedPorts.covers("54320-54999", 54320, 54999)).isTrue();
        assertThat(ReservedPorts.covers("8080,54000-54500,54501-55000", 54320, 54999)).isTrue();
        assertThat(ReservedPorts.covers("54320-54998", 54320, 54999)).isFalse();
        assertThat(ReservedPorts.withRange("", 54320, 54999)).isEqualTo("54320-54999");
        assertThat(ReservedPorts.withRange("8080,9000-9010\n", 54320, 54999)).isEqualTo("8080,9000-9010,54320-54999");
    }

    @Test
    void withoutRootOrTurnedOffTheRangeIsLeftAloneAndTheMessageSaysWhatToRun()
            throws IOException
    {
        Path reserved = Files.writeString(directory.resolve("reserved"), "8080\n");
        Path ephemeral = Files.writeString(directory.resolve("ephemeral"), "32768\t60999\n");
        ReservedPorts ports = new ReservedPorts(reserved, ephemeral);

        assertThat(ports.reserve(54320, 54999, true, false))
                .contains("not reserved (the daemon does not run as root)")
                .contains("sysctl -w net.ipv4.ip_local_reserved_ports=8080,54320-54999")
                .contains("below the ephemeral range 32768-60999");
        assertThat(ports.reserve(54320, 54999, false, true)).contains("not reserved (DOLLY_RESERVE_CONTAINER_PORTS=false)");
        assertThat(Files.readString(reserved)).isEqualTo("8080\n");
        // below the ephemeral range, there is nothing to reserve
        assertThat(ports.reserve(20000, 20999, true, true)).isEqualTo("20000-20999, outside the ephemeral range of outgoing connections");
        assertThat(Files.readString(reserved)).isEqualTo("8080\n");
    }

    @Test
    void asRootTheRangeIsAddedToTheReservedPortsAndTheirEarlierValueKept()
            throws IOException
    {
        assumeTrue(StorageDrivers.runningAsRoot(), "writing net.ipv4.ip_local_reserved_ports takes root");
        int[] ephemeral = ephemeralRange();
        int first = ephemeral[0] + 1000;
        int last = first + 99;
        String before = read(RESERVED_PORTS);
        try {
            assumeTrue(!ReservedPorts.covers(before, first, last), "the test's range is reserved already");
            // an earlier reservation of the machine's own, which the daemon keeps
            Files.writeString(RESERVED_PORTS, ReservedPorts.withRange(before, first + 500, first + 500));

            String description = new ReservedPorts().reserve(first, last, true, true);

            assertThat(description).isEqualTo(first + "-" + last + ", reserved from outgoing connections by the daemon (net.ipv4.ip_local_reserved_ports)");
            String after = read(RESERVED_PORTS).strip();
            assertThat(ReservedPorts.covers(after, first, last)).isTrue();
            assertThat(ReservedPorts.covers(after, first + 500, first + 500)).isTrue();
            assertThat(ReservedPorts.covers(after, ephemeral[0], ephemeral[0])).isEqualTo(ReservedPorts.covers(before, ephemeral[0], ephemeral[0]));
            // a second start finds it reserved and writes nothing
            assertThat(new ReservedPorts().reserve(first, last, true, true)).isEqualTo(first + "-" + last + ", reserved from outgoing connections (net.ipv4.ip_local_reserved_ports)");
            assertThat(read(RESERVED_PORTS).strip()).isEqualTo(after);
        }
        finally {
            Files.writeString(RESERVED_PORTS, before);
        }
        assertThat(read(RESERVED_PORTS)).isEqualTo(before);
    }

    @Test
    void outgoingConnectionsGetNoReservedPortWhichAServerCanStillListenOn()
            throws IOException
    {
        assumeTrue(StorageDrivers.runningAsRoot(), "writing net.ipv4.ip_local_reserved_ports takes root");
        int[] ephemeral = ephemeralRange();
        int connections = 500;
        String before = read(RESERVED_PORTS);
        List<Socket> sockets = new ArrayList<>();
        try (ServerSocket server = new ServerSocket(0, connections, InetAddress.getLoopbackAddress())) {
            // the kernel hands the connections to one address ports that follow the last one's: reserving the ports
            // after a first connection's puts the next ones where they would land without the reservation
            Socket probe = connect(server, sockets);
            int first = probe.getLocalPort() + 1;
            int last = Math.min(first + 4 * connections, ephemeral[1]);
            assumeTrue(last - first > connections, "the first connection got a port at the end of the ephemeral range");
            Files.writeString(RESERVED_PORTS, ReservedPorts.withRange(before, first, last));
            List<Integer> localPorts = new ArrayList<>();
            for (int index = 0; index < connections; index++) {
                localPorts.add(connect(server, sockets).getLocalPort());
            }
            int size = last - first + 1;
            assertThat(localPorts).hasSize(connections).noneMatch(port -> port >= first && port <= last);

            // a server still listens on a reserved port
            int reserved = first + size / 2;
            try (ServerSocket listener = new ServerSocket()) {
                listener.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), reserved));
                assertThat(listener.getLocalPort()).isEqualTo(reserved);
            }
        }
        finally {
            for (Socket socket : sockets) {
                socket.close();
            }
            Files.writeString(RESERVED_PORTS, before);
        }
        assertThat(read(RESERVED_PORTS)).isEqualTo(before);
    }

    /** Connects to the server: the client's socket; both ends are added to {@code sockets}. */
    private static Socket connect(ServerSocket server, List<Socket> sockets)
            throws IOException
    {
        Socket socket = new Socket();
        sockets.add(socket);
        socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), server.getLocalPort()));
        sockets.add(server.accept());
        return socket;
    }

    /** A file of /proc, which {@link Files#readString} reads short (its size is 0 to stat). */
    private static String read(Path file)
            throws IOException
    {
        try (InputStream input = Files.newInputStream(file)) {
            return new String(input.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    private static int[] ephemeralRange()
            throws IOException
    {
        String[] bounds = read(EPHEMERAL_RANGE).strip().split("\\s+");
        return new int[] {Integer.parseInt(bounds[0]), Integer.parseInt(bounds[1])};
    }
}
