package dev.dolly.cli;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Stands in for {@code dev.dolly.daemon.DaemonMain} in a child JVM, with the JDK only on its class path: writes
 * {@code admin-token}, listens, writes {@code daemon.json}, and exits on {@code POST /api/v1/daemon/shutdown}.
 * {@code FAKE_DAEMON_MODE=crash} logs 30 lines and exits with 4 instead; {@code exit} exits with 5 at once.
 */
public final class FakeDaemonMain
{
    static final String TOKEN = "child-token";

    private FakeDaemonMain() {}

    public static void main(String[] args)
            throws Exception
    {
        String mode = System.getenv().getOrDefault("FAKE_DAEMON_MODE", "serve");
        if (mode.equals("exit")) {
            System.exit(5);
        }
        if (mode.equals("crash")) {
            for (int line = 1; line <= 30; line++) {
                System.out.println("log line " + line);
            }
            System.exit(4);
        }
        Path home = Path.of(System.getenv("DOLLY_HOME"));
        Files.createDirectories(home);
        Files.writeString(home.resolve("admin-token"), TOKEN + "\n");
        CountDownLatch shutdown = new CountDownLatch(1);
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/api/v1/", exchange -> handle(exchange, shutdown));
        server.start();
        long pid = ProcessHandle.current().pid();
        Path temporary = home.resolve("daemon.json.tmp");
        Files.writeString(temporary, "{\"url\":\"http://127.0.0.1:" + server.getAddress().getPort() + "\",\"pid\":" + pid + ",\"version\":\"test\"}");
        Files.move(temporary, home.resolve("daemon.json"), StandardCopyOption.ATOMIC_MOVE);
        System.out.println("fake daemon listening, pid " + pid);
        // never outlive a test run that forgot to stop it
        shutdown.await(2, TimeUnit.MINUTES);
        Files.deleteIfExists(home.resolve("daemon.json"));
        server.stop(0);
        System.exit(0);
    }

    private static void handle(HttpExchange exchange, CountDownLatch shutdown)
            throws IOException
    {
        try (exchange) {
            exchange.getRequestBody().readAllBytes();
            if (!("Bearer " + TOKEN).equals(exchange.getRequestHeaders().getFirst("Authorization"))) {
                send(exchange, 401, "{\"code\":\"NOT_AUTHENTICATED\",\"message\":\"Invalid access token.\"}");
                return;
            }
            String route = exchange.getRequestMethod() + " " + exchange.getRequestURI().getPath();
            switch (route) {
                case "GET /api/v1/info" -> send(exchange, 200, "{\"version\":\"test\",\"engines\":[]}");
                case "GET /api/v1/images" -> send(exchange, 200, "{\"items\":[]}");
                case "POST /api/v1/daemon/shutdown" -> {
                    exchange.sendResponseHeaders(204, -1);
                    shutdown.countDown();
                }
                default -> send(exchange, 404, "{\"code\":\"NOT_FOUND\",\"message\":\"No route " + route + "\"}");
            }
        }
    }

    private static void send(HttpExchange exchange, int status, String body)
            throws IOException
    {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
    }
}
