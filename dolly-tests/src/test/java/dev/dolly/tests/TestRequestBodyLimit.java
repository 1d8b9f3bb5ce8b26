package dev.dolly.tests;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every route that takes a body bounds it: a body without a declared length ({@code Transfer-Encoding: chunked})
 * that goes on past the daemon's limit for JSON bodies (1 MB) is refused with 413 once the limit is passed, not read
 * whole into memory first; a declared length past the limit is refused before anything is read; and a client that
 * sends its headers, then trickles its body a byte a second, is cut off.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TestRequestBodyLimit
{
    /** Far more than the limit for JSON bodies (1 MB): a daemon that reads it whole has consumed it all. */
    private static final long BODY_SIZE = 256L * 1024 * 1024;
    private static final int CHUNK_SIZE = 64 * 1024;

    private DaemonProcess daemon;

    @BeforeAll
    void startDaemon()
            throws Exception
    {
        daemon = DaemonProcess.withNewHome(Map.of()).start();
    }

    @AfterAll
    void stopDaemon()
            throws Exception
    {
        if (daemon != null) {
            daemon.close();
        }
    }

    /** Every route of the API that reads a JSON body. */
    static List<String> routesWithABody()
    {
        return List.of(
                "POST /api/v1/sessions",
                "POST /api/v1/users",
                "POST /api/v1/teams",
                "POST /api/v1/teams/developers/members",
                "POST /api/v1/access-tokens",
                "POST /api/v1/images",
                "PATCH /api/v1/images/x",
                "POST /api/v1/containers",
                "PATCH /api/v1/containers/x",
                "POST /api/v1/containers/x/load",
                "POST /api/v1/containers/x/graduate",
                "POST /api/v1/storage");
    }

    @ParameterizedTest
    @MethodSource("routesWithABody")
    void aChunkedBodyPastTheLimitIsRefusedWithoutBeingReadWhole(String route)
            throws Exception
    {
        URI url = URI.create(daemon.address().url());
        AtomicLong sent = new AtomicLong();
        try (Socket socket = new Socket(url.getHost(), url.getPort())) {
            socket.setSoTimeout((int) TimeUnit.SECONDS.toMillis(60));
            OutputStream output = socket.getOutputStream();
            output.write(headers(route, url, "Transfer-Encoding: chunked\r\n"));
            // a JSON string that never ends, sent while the answer is read
            CompletableFuture<Void> sending = CompletableFuture.runAsync(() -> {
                byte[] chunk = new byte[CHUNK_SIZE];
                Arrays.fill(chunk, (byte) 'x');
                chunk[0] = '"';
                byte[] header = (Integer.toHexString(CHUNK_SIZE) + "\r\n").getBytes(StandardCharsets.US_ASCII);
                byte[] trailer = "\r\n".getBytes(StandardCharsets.US_ASCII);
                try {
                    while (sent.get() < BODY_SIZE) {
                        output.write(header);
                        output.write(chunk);
                        output.write(trailer);
                        sent.addAndGet(CHUNK_SIZE);
                        chunk[0] = 'x';
                    }
                    output.write("0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                    output.flush();
                }
                catch (IOException e) {
                    // the daemon closed the connection after refusing the body: expected
                }
            });

            String statusLine = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.US_ASCII)).readLine();
            assertThat(statusLine).as(route).startsWith("HTTP/1.1 413");
            // refused while the body was still arriving: the daemon did not wait for (and buffer) all of it
            assertThat(sent.get()).as(route).isLessThan(BODY_SIZE);
            socket.close();
            sending.get(60, TimeUnit.SECONDS);
        }
        assertThat(daemon.log()).doesNotContain("OutOfMemoryError");
    }

    @ParameterizedTest
    @MethodSource("routesWithABody")
    void aDeclaredLengthPastTheLimitIsRefusedBeforeTheBodyIsRead(String route)
            throws Exception
    {
        URI url = URI.create(daemon.address().url());
        try (Socket socket = new Socket(url.getHost(), url.getPort())) {
            socket.setSoTimeout((int) TimeUnit.SECONDS.toMillis(60));
            // 50 MB declared, nothing sent: an answer before the body shows it was not waited for
            socket.getOutputStream().write(headers(route, url, "Content-Length: 50000000\r\n"));
            String statusLine = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.US_ASCII)).readLine();
            assertThat(statusLine).as(route).startsWith("HTTP/1.1 413");
        }
    }

    @Test
    void aClientThatTricklesItsBodyIsCutOff()
            throws Exception
    {
        URI url = URI.create(daemon.address().url());
        long started = System.nanoTime();
        String answer;
        try (Socket socket = new Socket(url.getHost(), url.getPort())) {
            socket.setSoTimeout((int) TimeUnit.SECONDS.toMillis(90));
            OutputStream output = socket.getOutputStream();
            output.write(headers("POST /api/v1/containers", url, "Content-Length: 1000\r\n"));
            output.flush();
            CompletableFuture<Void> trickling = CompletableFuture.runAsync(() -> {
                try {
                    for (int second = 0; second < 120; second++) {
                        output.write(second == 0 ? '{' : ' ');
                        output.flush();
                        Thread.sleep(1000);
                    }
                }
                catch (IOException e) {
                    // cut off by the daemon: expected
                }
                catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            // the daemon answers others meanwhile
            Thread.sleep(1500);
            assertThat(info().statusCode()).isEqualTo(200);
            answer = new String(socket.getInputStream().readAllBytes(), StandardCharsets.US_ASCII);
            socket.close();
            trickling.get(30, TimeUnit.SECONDS);
        }
        Duration took = Duration.ofNanos(System.nanoTime() - started);
        // a request at a byte a second is refused within seconds (below 1 KB/s on average), never a 5xx
        assertThat(took).isLessThan(Duration.ofSeconds(20));
        if (!answer.isEmpty()) {
            assertThat(answer).startsWith("HTTP/1.1 4");
        }
        assertThat(info().statusCode()).isEqualTo(200);
    }

    private HttpResponse<String> info()
            throws Exception
    {
        try (HttpClient client = HttpClient.newHttpClient()) {
            return client.send(HttpRequest.newBuilder(URI.create(daemon.address().url() + "/api/v1/info"))
                    .header("Authorization", "Bearer " + daemon.adminToken())
                    .timeout(Duration.ofSeconds(10))
                    .build(), HttpResponse.BodyHandlers.ofString());
        }
    }

    private byte[] headers(String route, URI url, String framing)
            throws IOException
    {
        return (route + " HTTP/1.1\r\n"
                + "Host: " + url.getHost() + ":" + url.getPort() + "\r\n"
                + "Authorization: Bearer " + daemon.adminToken() + "\r\n"
                + "Content-Type: application/json\r\n"
                + framing
                + "\r\n").getBytes(StandardCharsets.US_ASCII);
    }
}
