package dev.dolly.daemon;

import com.fasterxml.jackson.databind.JsonNode;
import dev.dolly.api.DollyHome;
import dev.dolly.api.Json;
import dev.dolly.core.Dolly;
import dev.dolly.core.DollyConfiguration;
import dev.dolly.core.testing.FakeEngine;
import dev.dolly.core.testing.FakeEngineServices;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import static dev.dolly.daemon.PrometheusSamples.value;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code GET /metrics} of a daemon on a fake engine, over real HTTP: only administrators read it, and its values move
 * with what happens (requests counted by operation and result, containers by status, sign-in failures).
 */
class DaemonMetricsTest
{
    private static final String PASSWORD = "correct horse battery";

    @TempDir
    Path directory;

    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();
    private DaemonServices services;
    private ApiServer server;
    private URI base;
    private String admin;

    @BeforeEach
    void setUp()
            throws IOException
    {
        DollyConfiguration configuration = FakeEngineServices.configuration(directory.resolve("home"));
        services = new DaemonServices(configuration, Dolly.open(configuration, List.of(new FakeEngine())));
        server = new ApiServer(services, () -> {});
        base = URI.create("http://127.0.0.1:" + server.start("127.0.0.1", 0, Optional.empty()));
        admin = Files.readString(DollyHome.adminTokenFile(configuration.home())).strip();
    }

    @AfterEach
    void tearDown()
    {
        server.stop();
        services.close();
        client.close();
    }

    @Test
    void onlyAdministratorsReadTheMetrics()
            throws Exception
    {
        assertThat(send("GET", "/metrics", null, null).statusCode()).isEqualTo(401);
        assertThat(send("GET", "/metrics", "not-a-token", null).statusCode()).isEqualTo(401);
        String alice = userSession("alice");
        HttpResponse<String> refused = send("GET", "/metrics", alice, null);
        assertThat(refused.statusCode()).isEqualTo(403);
        assertThat(Json.json().readTree(refused.body()).get("code").asText()).isEqualTo("NOT_PERMITTED");

        HttpResponse<String> metrics = send("GET", "/metrics", admin, null);
        assertThat(metrics.statusCode()).isEqualTo(200);
        assertThat(metrics.headers().firstValue("Content-Type").orElseThrow()).startsWith("text/plain");
        assertThat(metrics.body()).contains("# TYPE dolly_containers gauge", "# TYPE dolly_operations_seconds histogram");
    }

    @Test
    void valuesMoveWithWhatHappens()
            throws Exception
    {
        String before = scrape();
        assertThat(value(before, "dolly_containers", "status=\"READY\"")).hasValue(0);
        assertThat(value(before, "dolly_sign_in_failures_total", "reason=\"NOT_AUTHENTICATED\"")).hasValue(0);

        String alice = userSession("alice");
        assertThat(send("POST", "/api/v1/sessions", null, Map.of("name", "alice", "password", "wrong password!")).statusCode()).isEqualTo(401);
        buildImage(alice, "widgets");
        assertThat(send("POST", "/api/v1/containers", alice, Map.of("image", "widgets", "name", "copy-1")).statusCode()).isEqualTo(201);
        assertThat(send("POST", "/api/v1/containers", alice, Map.of("image", "widgets", "name", "copy-1")).statusCode()).isEqualTo(409);
        assertThat(send("GET", "/api/v1/containers/missing", alice, null).statusCode()).isEqualTo(404);

        String after = scrape();
        assertThat(value(after, "dolly_containers", "status=\"READY\"")).hasValue(1);
        assertThat(value(after, "dolly_images", "status=\"READY\"")).hasValue(1);
        assertThat(value(after, "dolly_operations_seconds_count", "operation=\"createContainer\"", "result=\"success\"")).hasValue(1);
        assertThat(value(after, "dolly_operations_seconds_count", "operation=\"createContainer\"", "result=\"ALREADY_EXISTS\"")).hasValue(1);
        assertThat(value(after, "dolly_operations_seconds_count", "operation=\"getContainer\"", "result=\"NOT_FOUND\"")).hasValue(1);
        assertThat(value(after, "dolly_operations_seconds_count", "operation=\"signIn\"", "result=\"NOT_AUTHENTICATED\"")).hasValue(1);
        assertThat(value(after, "dolly_operations_seconds_bucket", "operation=\"createContainer\"", "result=\"success\"", "le=\"+Inf\"")).hasValue(1);
        assertThat(value(after, "dolly_sign_in_failures_total", "reason=\"NOT_AUTHENTICATED\"")).hasValue(1);
        assertThat(value(after, "dolly_storage_bytes", "kind=\"free\"").orElseThrow()).isPositive();
        assertThat(value(after, "dolly_image_build_duration_seconds", "engine=\"" + FakeEngine.NAME + "\"")).isPresent();

        assertThat(send("DELETE", "/api/v1/containers/copy-1", alice, null).statusCode()).isEqualTo(200);
        assertThat(value(scrape(), "dolly_containers", "status=\"READY\"")).hasValue(0);
    }

    private String scrape()
            throws Exception
    {
        HttpResponse<String> response = send("GET", "/metrics", admin, null);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return response.body();
    }


    private String userSession(String name)
            throws Exception
    {
        assertThat(send("POST", "/api/v1/users", admin, Map.of("name", name, "password", PASSWORD, "admin", false)).statusCode()).isEqualTo(201);
        HttpResponse<String> session = send("POST", "/api/v1/sessions", null, Map.of("name", name, "password", PASSWORD));
        assertThat(session.statusCode()).isEqualTo(201);
        return Json.json().readTree(session.body()).get("token").asText();
    }

    private void buildImage(String token, String name)
            throws Exception
    {
        byte[] files = FakeEngineServices.definitionFiles();
        HttpResponse<String> upload = client.send(request("/api/v1/uploads?size=" + files.length, token).header("Content-Type", "application/zip")
                .POST(BodyPublishers.ofByteArray(files)).build(), BodyHandlers.ofString());
        assertThat(upload.statusCode()).as(upload.body()).isEqualTo(201);
        HttpResponse<String> created = send("POST", "/api/v1/images", token,
                Map.of("definition", FakeEngineServices.definition(name), "upload", Json.json().readTree(upload.body()).get("id").asText()));
        assertThat(created.statusCode()).as(created.body()).isEqualTo(202);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (System.nanoTime() < deadline) {
            JsonNode image = Json.json().readTree(send("GET", "/api/v1/images/" + name, token, null).body());
            if (image.get("status").asText().equals("READY")) {
                return;
            }
            Thread.sleep(10);
        }
        throw new AssertionError("Image " + name + " was not built in time");
    }

    private HttpResponse<String> send(String method, String path, String token, Object body)
            throws Exception
    {
        String text = body == null ? "" : Json.json().writeValueAsString(body);
        return client.send(request(path, token).header("Content-Type", "application/json").method(method, BodyPublishers.ofString(text)).build(),
                BodyHandlers.ofString());
    }

    private HttpRequest.Builder request(String path, String token)
    {
        HttpRequest.Builder builder = HttpRequest.newBuilder(base.resolve(path)).timeout(Duration.ofSeconds(30));
        if (token != null) {
            builder.header("Authorization", "Bearer " + token);
        }
        return builder;
    }
}
