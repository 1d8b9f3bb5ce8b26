package dev.dolly.core.route;

import dev.dolly.core.process.Command;
import dev.dolly.core.process.CommandRunner;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The kernel's side of routes on a real nftables table, with real sockets: a "relay" listening on the route's port
 * (what answers when the kernel does not redirect: the positive control) and two "containers".
 */
final class KernelRoutesTest
{
    private final List<AutoCloseable> closeables = new ArrayList<>();
    private final String table = "dolly_test_" + Long.toHexString(ThreadLocalRandom.current().nextLong() & 0xffffffffL);
    private KernelRoutes routes;

    @BeforeEach
    void openRoutes()
    {
        requireKernelRoutes();
        KernelRoutes.Result result = KernelRoutes.open(table, CommandRunner.system());
        assertThat(result.routes()).as(result.reason()).isPresent();
        routes = result.routes().get();
    }

    @AfterEach
    void close()
            throws Exception
    {
        if (routes != null) {
            routes.close();
        }
        for (AutoCloseable closeable : closeables.reversed()) {
            closeable.close();
        }
    }

    @Test
    void redirectsNewConnectionsToTheContainerAndBackToTheRelayWhenUnrouted()
            throws IOException
    {
        Server relay = server("relay");
        Server container = server("container");
        assertThat(greeting(relay.port())).isEqualTo("relay");

        routes.route(relay.port(), container.port());
        assertThat(routes.routed(relay.port())).isTrue();
        assertThat(greeting(relay.port())).isEqualTo("container");

        routes.unroute(relay.port());
        assertThat(routes.routed(relay.port())).isFalse();
        assertThat(greeting(relay.port())).isEqualTo("relay");
    }

    @Test
    void aSwitchSendsNewConnectionsToTheNewContainerAndLeavesOpenOnesWhereTheyAre()
            throws IOException
    {
        Server relay = server("relay");
        Server first = server("first");
        Server second = server("second");
        routes.route(relay.port(), first.port());
        try (Socket open = connect(relay.port())) {
            assertThat(readGreeting(open)).isEqualTo("first");

            routes.route(relay.port(), second.port());

            assertThat(greeting(relay.port())).isEqualTo("second");
            assertThat(echo(open, "still there")).isEqualTo("first: still there");
        }
    }

    @Test
    void countsAndDropsTheOpenConnectionsOfARouteOnly()
            throws IOException
    {
        Server relay = server("relay");
        Server otherRelay = server("other relay");
        Server container = server("container");
        routes.route(relay.port(), container.port());
        routes.route(otherRelay.port(), container.port());
        try (Socket routed = connect(relay.port()); Socket routedTwice = connect(relay.port()); Socket other = connect(otherRelay.port());
                Socket direct = connect(container.port())) {
            for (Socket socket : List.of(routed, routedTwice, other, direct)) {
                assertThat(readGreeting(socket)).isEqualTo("container");
            }
            assertThat(routes.connections(relay.port())).isEqualTo(2);
            assertThat(routes.connections(otherRelay.port())).isEqualTo(1);

            assertThat(routes.dropConnections(relay.port())).isEqualTo(2);

            assertThat(routes.connections(relay.port())).isZero();
            assertThatThrownBy(() -> echo(routed, "gone?")).isInstanceOf(IOException.class);
            // the other route's connection and the direct one are untouched
            assertThat(echo(other, "other")).isEqualTo("container: other");
            assertThat(echo(direct, "direct")).isEqualTo("container: direct");
        }
    }

    @Test
    void closingDeletesTheTableAndOpeningAgainReplacesALeftOverOne()
            throws IOException
    {
        Server relay = server("relay");
        Server container = server("container");
        routes.route(relay.port(), container.port());
        // a daemon that crashed left its table: the next start replaces it, with no route
        KernelRoutes again = KernelRoutes.open(table, CommandRunner.system()).routes().orElseThrow();
        assertThat(greeting(relay.port())).isEqualTo("relay");
        again.route(relay.port(), container.port());
        assertThat(greeting(relay.port())).isEqualTo("container");

        again.close();

        assertThat(greeting(relay.port())).isEqualTo("relay");
        assertThat(CommandRunner.system().run(List.of("nft", "list", "table", "ip", table)).succeeded()).isFalse();
    }

    @Test
    void readsEstablishedLoopbackPeersFromProcNetTcp()
    {
        // from /proc/net/tcp and tcp6: a client socket of 127.0.0.1:55016 to 127.0.0.1:61801 (0xF169), established (01)
        String ipv4 = "   3: 0100007F:D6E8 0100007F:F169 01 00000000:00000000 00:00000000 00000000     0        0 96537 1 0000000000000000 20 4 30 10 -1";
        String ipv6 = "   1: 0000000000000000FFFF00000100007F:D6E8 0000000000000000FFFF00000100007F:F169 01 00000000:00000000 00:00000000 00000000  0 0 1 1";
        assertThat(KernelRoutes.loopbackPeerPort(ipv4)).hasValue(61801);
        assertThat(KernelRoutes.loopbackPeerPort(ipv6)).hasValue(61801);
        // listening (0A), another peer address, no port
        assertThat(KernelRoutes.loopbackPeerPort(ipv4.replace(" 01 ", " 0A "))).isEmpty();
        assertThat(KernelRoutes.loopbackPeerPort(ipv4.replace("0100007F:F169", "0200007F:F169"))).isEmpty();
        assertThat(KernelRoutes.loopbackPeerPort("   3: 0100007F:D6E8 0100007F 01 00000000:00000000")).isEmpty();
        // the route port as the local end (a relay's accepted socket) counts for the client's port, not the route's
        assertThat(KernelRoutes.loopbackPeerPort("   3: 0100007F:F169 0100007F:D6E8 01 00000000:00000000")).hasValue(0xD6E8);
    }

    private static void requireKernelRoutes()
    {
        boolean root;
        try {
            root = Integer.valueOf(0).equals(Files.getAttribute(Path.of("/proc/self"), "unix:uid"));
        }
        catch (IOException e) {
            root = false;
        }
        boolean tools = Files.isExecutable(Path.of("/usr/sbin/nft")) && (Files.isExecutable(Path.of("/usr/bin/ss")) || Files.isExecutable(Path.of("/bin/ss")));
        if (!root || !tools) {
            String message = "The kernel route tests need root, nft (nftables) and ss (iproute2)";
            if ("true".equals(System.getenv("CI"))) {
                fail(message);
            }
            assumeTrue(false, message);
        }
        // nft itself works (the kernel has nf_tables): checked by open()
        assertThat(CommandRunner.system().run(Command.of("nft", "--version")).succeeded()).isTrue();
    }

    /** A server on 127.0.0.1 that greets each connection with its name, then answers each line with "name: line". */
    private Server server(String name)
            throws IOException
    {
        ServerSocket socket = new ServerSocket();
        socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        Server server = new Server(name, socket);
        Thread.ofPlatform().daemon().name("test server " + name).start(server::serve);
        closeables.add(server);
        return server;
    }

    private record Server(String name, ServerSocket socket)
            implements AutoCloseable
    {
        int port()
        {
            return socket.getLocalPort();
        }

        void serve()
        {
            while (!socket.isClosed()) {
                try {
                    Socket client = socket.accept();
                    Thread.ofPlatform().daemon().start(() -> answer(client));
                }
                catch (IOException e) {
                    return;
                }
            }
        }

        private void answer(Socket client)
        {
            try (client; InputStream input = client.getInputStream(); OutputStream output = client.getOutputStream()) {
                output.write((name + "\n").getBytes(StandardCharsets.UTF_8));
                output.flush();
                String line;
                while ((line = readLine(input)) != null) {
                    output.write((name + ": " + line + "\n").getBytes(StandardCharsets.UTF_8));
                    output.flush();
                }
            }
            catch (IOException ignored) {
                // the client went away
            }
        }

        @Override
        public void close()
                throws IOException
        {
            socket.close();
        }
    }

    private Socket connect(int port)
            throws IOException
    {
        Socket socket = new Socket();
        socket.connect(new InetSocketAddress("127.0.0.1", port), 5_000);
        socket.setSoTimeout(5_000);
        return socket;
    }

    private String greeting(int port)
            throws IOException
    {
        try (Socket socket = connect(port)) {
            return readGreeting(socket);
        }
    }

    private static String readGreeting(Socket socket)
            throws IOException
    {
        return readLine(socket.getInputStream());
    }

    private static String echo(Socket socket, String line)
            throws IOException
    {
        OutputStream output = socket.getOutputStream();
        output.write((line + "\n").getBytes(StandardCharsets.UTF_8));
        output.flush();
        String answer = readLine(socket.getInputStream());
        if (answer == null) {
            throw new IOException("the connection was closed");
        }
        return answer;
    }

    private static String readLine(InputStream input)
            throws IOException
    {
        StringBuilder line = new StringBuilder();
        int character;
        while ((character = input.read()) != -1) {
            if (character == '\n') {
                return line.toString();
            }
            line.append((char) character);
        }
        return line.isEmpty() ? null : line.toString();
    }
}
