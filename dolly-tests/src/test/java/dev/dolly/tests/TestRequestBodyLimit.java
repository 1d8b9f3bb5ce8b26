package dev.dolly.tests;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A request body without a declared length ({@code Transfer-Encoding: chunked}) that goes on past the daemon's size
 * limit for JSON bodies must be refused with 413 once the limit is passed, not read whole into memory first.
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

    @Test
    void aChunkedBodyPastTheLimitIsRefusedWithoutBeingReadWhole()
            throws Exception
    {
        URI url = URI.create(daemon.address().url());
        AtomicLong sent = new AtomicLong();
        try (Socket socket = new Socket(url.getHost(), url.getPort())) {
            socket.setSoTimeout((int) TimeUnit.SECONDS.toMillis(60));
            OutputStream output = socket.getOutputStream();
            output.write(("POST /api/v1/images HTTP/1.1\r\n"
                    + "Host: " + url.getHost() + ":" + url.getPort() + "\r\n"
                    + "Authorization: Bearer " + daemon.adminToken() + "\r\n"
                    + "Content-Type: application/json\r\n"
                    + "Transfer-Encoding: chunked\r\n"
                    + "\r\n").getBytes(StandardCharsets.US_ASCII));
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
            assertThat(statusLine).startsWith("HTTP/1.1 413");
            // refused while the body was still arriving: the daemon did not wait for (and buffer) all of it
            assertThat(sent.get()).isLessThan(BODY_SIZE);
            socket.close();
            sending.get(60, TimeUnit.SECONDS);
        }
        assertThat(daemon.log()).doesNotContain("OutOfMemoryError");
    }
}
