package dev.dolly.api.client;

import com.sun.net.httpserver.HttpServer;
import dev.dolly.api.CreateContainerRequest;
import dev.dolly.api.DollyException;
import dev.dolly.api.ErrorCode;
import dev.dolly.api.NextStep;
import dev.dolly.api.UpdateContainerRequest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Failures of both request paths (HttpURLConnection, and java.net.http for PATCH) against a real HTTP server. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DollyClientTest
{
    private HttpServer server;
    private URI address;
    private URI nobody;

    @BeforeAll
    void startServer()
            throws IOException
    {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", exchange -> {
            byte[] body = "{\"id\":1,\"name\":\"answered\"}".getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        // errors as the daemon sends them: GET /api/v1/images/{code}/{kind or "none"}
        server.createContext("/api/v1/images/", exchange -> {
            String[] parts = exchange.getRequestURI().getPath().split("/");
            String nextStep = parts[parts.length - 1].equals("none") ? "" : ",\"nextStep\":{\"kind\":\"" + parts[parts.length - 1] + "\"}";
            byte[] body = ("{\"code\":\"" + parts[parts.length - 2] + "\",\"message\":\"Data image 'x' not found.\"" + nextStep + "}").getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(404, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.start();
        address = URI.create("http://127.0.0.1:" + server.getAddress().getPort());
        try (ServerSocket closed = new ServerSocket(0, 1, server.getAddress().getAddress())) {
            nobody = URI.create("http://127.0.0.1:" + closed.getLocalPort());
        }
    }

    @AfterAll
    void stopServer()
    {
        if (server != null) {
            server.stop(0);
        }
    }

    @Test
    void nothingAnsweringIsUnreachableOnBothPaths()
    {
        DollyClient client = new DollyClient(nobody, "token");

        assertUnreachable(() -> client.getContainer("c"));
        assertUnreachable(() -> client.updateContainer("c", new UpdateContainerRequest("renamed", null)));
    }

    @Test
    void nothingAnsweringReconnectsOnBothPaths()
    {
        DollyClient client = new DollyClient(nobody, "token").withReconnect(() -> new DollyClient(address, "token"));

        assertThat(client.getContainer("c").name()).isEqualTo("answered");
        assertThat(client.updateContainer("c", new UpdateContainerRequest("renamed", null)).name()).isEqualTo("answered");
    }

    @Test
    void errorsKeepTheirCodeAndNextStep()
    {
        DollyClient client = new DollyClient(address, "token");

        assertThatThrownBy(() -> client.getImage("NOT_FOUND/LIST_IMAGES"))
                .isInstanceOfSatisfying(DollyException.class, exception -> {
                    assertThat(exception.errorCode()).isEqualTo(ErrorCode.NOT_FOUND);
                    assertThat(exception.nextStep()).hasValue(NextStep.of(NextStep.Kind.LIST_IMAGES));
                })
                .hasMessage("Data image 'x' not found.");
        assertThatThrownBy(() -> client.getImage("NOT_FOUND/none"))
                .isInstanceOfSatisfying(DollyException.class, exception -> assertThat(exception.nextStep()).isEmpty())
                .hasMessage("Data image 'x' not found.");
    }

    @Test
    void codesAndNextStepsOfANewerDaemonKeepTheMessage()
    {
        DollyClient client = new DollyClient(address, "token");

        assertThatThrownBy(() -> client.getImage("NOT_FOUND/SOMETHING_NEW"))
                .isInstanceOfSatisfying(DollyException.class, exception -> {
                    assertThat(exception.errorCode()).isEqualTo(ErrorCode.NOT_FOUND);
                    assertThat(exception.nextStep()).isEmpty();
                })
                .hasMessage("Data image 'x' not found.");
        assertThatThrownBy(() -> client.getImage("SOMETHING_NEW/none"))
                .isInstanceOfSatisfying(DollyException.class, exception -> assertThat(exception.errorCode()).isEqualTo(ErrorCode.OPERATION_FAILED))
                .hasMessage("Data image 'x' not found.");
    }

    @Test
    void aDaemonThatDiesWhileHandlingTheRequestIsToldApartFromATimeout()
            throws Exception
    {
        // what a daemon killed while it handles a request looks like: the request is read, the connection closed
        // without an answer, and nothing listens any more (HttpURLConnection's retry of the request is refused)
        for (boolean patch : new boolean[] {false, true}) {
            URI dying;
            Thread handler;
            try (ServerSocket listener = new ServerSocket(0, 1, server.getAddress().getAddress())) {
                dying = URI.create("http://127.0.0.1:" + listener.getLocalPort());
                handler = Thread.ofPlatform().start(() -> {
                    try (Socket connection = listener.accept()) {
                        connection.getInputStream().read(new byte[8192]);
                        listener.close();
                    }
                    catch (IOException e) {
                        // the test fails on the client's side
                    }
                });
                DollyClient client = new DollyClient(dying, "token");
                long started = System.nanoTime();
                assertThatThrownBy(() -> {
                    if (patch) {
                        client.updateContainer("c", new UpdateContainerRequest("renamed", null));
                    }
                    else {
                        client.createContainer(new CreateContainerRequest("image", "c", null));
                    }
                })
                        .isInstanceOfSatisfying(DollyException.class, exception -> assertThat(exception.errorCode()).isEqualTo(ErrorCode.DAEMON_UNREACHABLE))
                        .hasMessageStartingWith("The Dolly daemon at " + dying + " closed the connection without answering (")
                        .hasMessageEndingWith("): it stopped or was killed while handling the request. Check it with 'dolly daemon status' and its log, "
                                + "then look whether the request was carried out ('dolly get ...') before repeating it.")
                        .hasMessageNotContaining("did not answer within");
                assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(30));
            }
            handler.join();
        }
    }

    private void assertUnreachable(Runnable request)
    {
        assertThatThrownBy(request::run)
                .isInstanceOfSatisfying(DollyException.class, exception -> assertThat(exception.errorCode()).isEqualTo(ErrorCode.DAEMON_UNREACHABLE))
                .hasMessage("No Dolly daemon answers at " + nobody + ". Start one with 'dolly daemon', or check DOLLY_SERVER.");
    }
}
