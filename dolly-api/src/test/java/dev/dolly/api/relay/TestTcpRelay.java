package dev.dolly.api.relay;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.BooleanSupplier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The relay against real sockets on the loopback: what passes, half-close, many connections, switches, refusals. */
class TestTcpRelay
{
    private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();

    private final List<AutoCloseable> resources = new ArrayList<>();

    @AfterEach
    void closeResources()
            throws Exception
    {
        for (AutoCloseable resource : resources.reversed()) {
            resource.close();
        }
    }

    @Test
    void largeTransferBothWaysArrivesIntact()
            throws Exception
    {
        // the server echoes what it reads: 64 MB go out and come back while both directions run at once
        EchoServer echo = echoServer(' ');
        TcpRelay relay = relay(echo.address());
        byte[] data = new byte[64 * 1024 * 1024];
        new Random(7).nextBytes(data);
        try (Socket socket = connect(relay)) {
            ExecutorService writer = Executors.newSingleThreadExecutor();
            resources.add(writer::shutdownNow);
            Future<?> written = writer.submit(() -> {
                socket.getOutputStream().write(data);
                socket.shutdownOutput();
                return null;
            });
            byte[] received = socket.getInputStream().readAllBytes();
            written.get();
            assertThat(received.length).isEqualTo(data.length);
            assertThat(sha256(received)).isEqualTo(sha256(data));
        }
    }

    @Test
    void halfCloseLetsTheServerAnswerAfterTheClientFinishedWriting()
            throws Exception
    {
        // the server answers only once it read the client's end of stream: the relay must pass the half-close on and keep the way back open
        ServerSocket server = serverSocket();
        Thread.ofPlatform().daemon().start(() -> {
            try (Socket accepted = server.accept()) {
                byte[] request = accepted.getInputStream().readAllBytes();
                accepted.getOutputStream().write(("read " + request.length + " bytes").getBytes(StandardCharsets.UTF_8));
            }
            catch (IOException e) {
                // the test fails on what the client reads
            }
        });
        TcpRelay relay = relay((InetSocketAddress) server.getLocalSocketAddress());
        try (Socket socket = connect(relay)) {
            socket.getOutputStream().write(new byte[12345]);
            socket.shutdownOutput();
            assertThat(new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8)).isEqualTo("read 12345 bytes");
        }
        waitFor(() -> relay.activeConnections() == 0);
    }

    @Test
    void manyConnectionsAtOnceAreCountedAndEachGetsItsOwnAnswers()
            throws Exception
    {
        EchoServer echo = echoServer(' ');
        TcpRelay relay = relay(echo.address());
        List<Socket> sockets = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            Socket socket = connect(relay);
            sockets.add(socket);
            socket.getOutputStream().write(("connection " + i + "\n").getBytes(StandardCharsets.UTF_8));
        }
        for (int i = 0; i < sockets.size(); i++) {
            assertThat(readLine(sockets.get(i).getInputStream())).isEqualTo("connection " + i);
        }
        waitFor(() -> relay.activeConnections() == 200);
        assertThat(relay.acceptedConnections()).isEqualTo(200);
        for (Socket socket : sockets) {
            socket.close();
        }
        waitFor(() -> relay.activeConnections() == 0);
    }

    @Test
    void aSwitchSendsNewConnectionsToTheNewTargetAndKeepsOpenOnesWhereTheyAre()
            throws Exception
    {
        EchoServer first = echoServer('A');
        EchoServer second = echoServer('B');
        TcpRelay relay = relay(first.address());
        Socket open = connect(relay);
        assertThat(exchange(open, "one")).isEqualTo("A one");

        relay.setTarget(RelayTarget.of(second.address()), false);
        try (Socket fresh = connect(relay)) {
            assertThat(exchange(fresh, "two")).isEqualTo("B two");
        }
        assertThat(exchange(open, "three")).isEqualTo("A three");

        // dropping closes what is open: the client reads its end of stream
        relay.setTarget(RelayTarget.of(first.address()), true);
        assertThat(open.getInputStream().read()).isEqualTo(-1);
        open.close();
        try (Socket fresh = connect(relay)) {
            assertThat(exchange(fresh, "four")).isEqualTo("A four");
        }
    }

    @Test
    void aTargetThatRefusesClosesTheClientsConnectionAndTheRelayGoesOn()
            throws Exception
    {
        ServerSocket unused = new ServerSocket(0, 1, LOOPBACK);
        InetSocketAddress refusing = (InetSocketAddress) unused.getLocalSocketAddress();
        unused.close();
        TcpRelay relay = relay(refusing);
        for (int i = 0; i < 3; i++) {
            try (Socket socket = connect(relay)) {
                assertThat(socket.getInputStream().read()).isEqualTo(-1);
            }
        }
        waitFor(() -> relay.activeConnections() == 0);
        EchoServer echo = echoServer('C');
        relay.setTarget(RelayTarget.of(echo.address()), false);
        try (Socket socket = connect(relay)) {
            assertThat(exchange(socket, "after")).isEqualTo("C after");
        }
    }

    @Test
    void aServerThatGoesAwayEndsTheClientsConnection()
            throws Exception
    {
        EchoServer echo = echoServer('D');
        TcpRelay relay = relay(echo.address());
        Socket socket = connect(relay);
        resources.add(socket);
        assertThat(exchange(socket, "before")).isEqualTo("D before");
        echo.close();
        assertThat(socket.getInputStream().read()).isEqualTo(-1);
        // half-closed only: the client may still write, until it closes too
        assertThat(relay.activeConnections()).isEqualTo(1);
        socket.close();
        waitFor(() -> relay.activeConnections() == 0);
    }

    @Test
    void aTakenPortIsRefusedWhenTheRelayStarts()
            throws Exception
    {
        ServerSocket taken = serverSocket();
        assertThatThrownBy(() -> TcpRelay.start("taken", (InetSocketAddress) taken.getLocalSocketAddress(), RelayTarget.of(new InetSocketAddress(LOOPBACK, 1))))
                .isInstanceOf(IOException.class);
    }

    @Test
    void closingTheRelayClosesItsConnectionsAndFreesThePort()
            throws Exception
    {
        EchoServer echo = echoServer('E');
        TcpRelay relay = TcpRelay.start("closing", new InetSocketAddress(LOOPBACK, 0), RelayTarget.of(echo.address()));
        InetSocketAddress address = relay.listenAddress();
        Socket socket = new Socket(LOOPBACK, address.getPort());
        resources.add(socket);
        assertThat(exchange(socket, "x")).isEqualTo("E x");
        relay.close();
        assertThat(socket.getInputStream().read()).isEqualTo(-1);
        TcpRelay again = TcpRelay.start("again", address, RelayTarget.of(echo.address()));
        resources.add(again);
        assertThat(again.listenAddress().getPort()).isEqualTo(address.getPort());
    }

    private TcpRelay relay(InetSocketAddress target)
            throws IOException
    {
        TcpRelay relay = TcpRelay.start("test", new InetSocketAddress(LOOPBACK, 0), RelayTarget.of(target));
        resources.add(relay);
        return relay;
    }

    private Socket connect(TcpRelay relay)
            throws IOException
    {
        Socket socket = new Socket(LOOPBACK, relay.listenAddress().getPort());
        socket.setSoTimeout(30_000);
        resources.add(socket);
        return socket;
    }

    private ServerSocket serverSocket()
            throws IOException
    {
        ServerSocket server = new ServerSocket(0, 50, LOOPBACK);
        resources.add(server);
        return server;
    }

    /** A server that answers each line with its mark and the line (a space: the bytes as they are). */
    private EchoServer echoServer(char mark)
            throws IOException
    {
        EchoServer server = new EchoServer(serverSocket(), mark);
        resources.add(server);
        return server;
    }

    private static String exchange(Socket socket, String line)
            throws IOException
    {
        socket.getOutputStream().write((line + "\n").getBytes(StandardCharsets.UTF_8));
        return readLine(socket.getInputStream());
    }

    private static String readLine(InputStream input)
            throws IOException
    {
        StringBuilder line = new StringBuilder();
        for (int character = input.read(); character != '\n'; character = input.read()) {
            if (character < 0) {
                throw new IOException("End of stream after '" + line + "'");
            }
            line.append((char) character);
        }
        return line.toString();
    }

    private static byte[] sha256(byte[] data)
            throws NoSuchAlgorithmException
    {
        return MessageDigest.getInstance("SHA-256").digest(data);
    }

    private static void waitFor(BooleanSupplier condition)
            throws InterruptedException
    {
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("Condition not met within 10 s");
            }
            Thread.sleep(10);
        }
    }

    private static final class EchoServer
            implements AutoCloseable
    {
        private final ServerSocket server;
        private final List<Socket> accepted = new ArrayList<>();

        EchoServer(ServerSocket server, char mark)
        {
            this.server = server;
            Thread.ofPlatform().daemon().start(() -> {
                while (!server.isClosed()) {
                    try {
                        Socket socket = server.accept();
                        synchronized (accepted) {
                            accepted.add(socket);
                        }
                        Thread.ofPlatform().daemon().start(() -> serve(socket, mark));
                    }
                    catch (IOException e) {
                        return;
                    }
                }
            });
        }

        InetSocketAddress address()
        {
            return (InetSocketAddress) server.getLocalSocketAddress();
        }

        private static void serve(Socket socket, char mark)
        {
            try (socket) {
                InputStream input = socket.getInputStream();
                OutputStream output = socket.getOutputStream();
                if (mark == ' ') {
                    input.transferTo(output);
                    return;
                }
                while (true) {
                    String line = readLine(input);
                    output.write((mark + " " + line + "\n").getBytes(StandardCharsets.UTF_8));
                }
            }
            catch (IOException e) {
                // the client went away
            }
        }

        @Override
        public void close()
                throws IOException
        {
            server.close();
            synchronized (accepted) {
                for (Socket socket : accepted) {
                    socket.close();
                }
            }
        }
    }
}
