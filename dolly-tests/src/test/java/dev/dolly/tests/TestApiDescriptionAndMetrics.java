package dev.dolly.tests;

import com.fasterxml.jackson.databind.JsonNode;
import dev.dolly.api.Json;
import dev.dolly.daemon.OpenApiResponses;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

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
import java.util.concurrent.TimeUnit;

import static dev.dolly.daemon.PrometheusSamples.value;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A real daemon with real PostgreSQL servers, over real HTTP: a realistic sequence (build an image, create a
 * container, save, load, reset, list, and the usual mistakes) whose every answer must validate against the API's
 * OpenAPI description the daemon serves; then its metrics, which count what happened and the servers running, and
 * are refused to a user who is not an administrator; then the completion of container names from it.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TestApiDescriptionAndMetrics
{
    private static final Path SCRIPTS = DaemonProcess.PROJECT_ROOT.resolve("examples/scripts");
    private static final String PASSWORD = "correct horse battery";

    private DaemonProcess daemon;
    private HttpClient client;
    private URI base;
    private String admin;
    private OpenApiResponses description;
    private int answersChecked;

    @BeforeAll
    void startDaemon()
            throws Exception
    {
        daemon = DaemonProcess.withNewHome(Map.of()).start();
        client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        base = URI.create(daemon.address().url());
        admin = daemon.adminToken();
    }

    @AfterAll
    void stopDaemon()
            throws Exception
    {
        if (client != null) {
            client.close();
        }
        if (daemon != null) {
            daemon.close();
        }
    }

    @Test
    void realAnswersValidateAndMetricsMove()
            throws Exception
    {
        HttpResponse<String> document = send("GET", "/api/v1/openapi.json", null, null);
        assertThat(document.statusCode()).isEqualTo(200);
        description = new OpenApiResponses(Json.json().readTree(document.body()));

        call("GET", "/api/v1/info", admin, null, 200);
        JsonNode building = call("POST", "/api/v1/images", admin, Map.of("definition", Files.readString(SCRIPTS.resolve("image.yaml")),
                "sourceDirectory", SCRIPTS.toString(), "name", "described", "tags", List.of("v1")), 202);
        assertThat(building.get("status").asText()).isEqualTo("PENDING");
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(5);
        JsonNode image = building;
        while (image.get("status").asText().equals("PENDING") && System.nanoTime() < deadline) {
            Thread.sleep(200);
            image = call("GET", "/api/v1/images/" + building.get("id").asLong(), admin, null, 200);
        }
        assertThat(image.get("status").asText()).as(image.toString()).isEqualTo("READY");
        assertThat(call("GET", "/api/v1/images?name=described", admin, null, 200).get("items")).hasSize(1);
        call("PATCH", "/api/v1/images/described", admin, Map.of("addTags", List.of("latest")), 200);

        JsonNode container = call("POST", "/api/v1/containers", admin, Map.of("image", "described:v1", "name", "described-copy"), 201);
        assertThat(container.get("status").asText()).isEqualTo("READY");
        call("GET", "/api/v1/containers", admin, null, 200);
        call("GET", "/api/v1/containers/described-copy", admin, null, 200);
        call("PATCH", "/api/v1/containers/described-copy", admin, Map.of("lifetime", "2h"), 200);
        assertThat(call("POST", "/api/v1/containers/described-copy/revisions", admin, null, 201).get("name").asText()).isEqualTo("rev.1");
        assertThat(call("GET", "/api/v1/containers/described-copy/revisions", admin, null, 200).get("items")).hasSize(2);
        assertThat(call("POST", "/api/v1/containers/described-copy/load", admin, Map.of("revision", "rev.0"), 200).get("revision").asText())
                .isEqualTo("rev.0");
        call("POST", "/api/v1/containers/described-copy/reset", admin, null, 200);

        // the usual mistakes
        call("GET", "/api/v1/images/missing", admin, null, 404);
        call("POST", "/api/v1/containers", admin, Map.of("image", "described:v1", "name", "described-copy"), 409);
        call("DELETE", "/api/v1/images/described", admin, null, 409);
        call("POST", "/api/v1/containers", admin, "{not json", 400);
        call("GET", "/api/v1/containers", null, null, 401);
        call("POST", "/api/v1/users", admin, Map.of("name", "erin", "password", PASSWORD, "admin", false), 201);
        String erin = call("POST", "/api/v1/sessions", null, Map.of("name", "erin", "password", PASSWORD), 201).get("token").asText();
        call("POST", "/api/v1/sessions", null, Map.of("name", "erin", "password", "not the password"), 401);
        call("GET", "/api/v1/containers/described-copy", erin, null, 404);
        call("GET", "/api/v1/sessions/current", erin, null, 200);
        assertThat(answersChecked).isGreaterThan(20);

        // metrics: administrators only, and they moved
        assertThat(send("GET", "/metrics", erin, null).statusCode()).isEqualTo(403);
        assertThat(send("GET", "/metrics", null, null).statusCode()).isEqualTo(401);
        String metrics = metrics();
        assertThat(value(metrics, "dolly_containers", "status=\"READY\"")).hasValue(1);
        assertThat(value(metrics, "dolly_images", "status=\"READY\"")).hasValue(1);
        assertThat(value(metrics, "dolly_operations_seconds_count", "operation=\"createContainer\"", "result=\"success\"")).hasValue(1);
        assertThat(value(metrics, "dolly_operations_seconds_count", "operation=\"createContainer\"", "result=\"ALREADY_EXISTS\"")).hasValue(1);
        assertThat(value(metrics, "dolly_operations_seconds_count", "operation=\"deleteImage\"", "result=\"IN_USE\"")).hasValue(1);
        assertThat(value(metrics, "dolly_sign_in_failures_total", "reason=\"NOT_AUTHENTICATED\"")).hasValue(1);
        assertThat(value(metrics, "dolly_engine_servers", "program=\"postgres\"")).as("the container's server").hasValue(1);
        assertThat(value(metrics, "dolly_image_build_duration_seconds", "image=\"described\"").orElseThrow()).isPositive();
        assertThat(value(metrics, "dolly_storage_bytes", "kind=\"used\"").orElseThrow()).isPositive();

        // completion asks this daemon for names
        Cli dolly = new Cli(daemon.environment()).with(Map.of("DOLLY_SERVER", daemon.address().url(), "DOLLY_ACCESS_TOKEN", admin));
        assertThat(dolly.succeed("__complete", "--", "save", "data-container", "desc").stdout()).isEqualTo("described-copy\n");
        assertThat(dolly.succeed("__complete", "--", "create", "data-container", "-i", "described:").stdout()).isEqualTo("described:latest\ndescribed:v1\n");

        call("DELETE", "/api/v1/containers/described-copy", admin, null, 200);
        call("DELETE", "/api/v1/images/described", admin, null, 200);
        String after = metrics();
        assertThat(value(after, "dolly_containers", "status=\"READY\"")).hasValue(0);
        assertThat(value(after, "dolly_engine_servers", "program=\"postgres\"")).hasValue(0);
    }

    private String metrics()
            throws Exception
    {
        HttpResponse<String> response = send("GET", "/metrics", admin, null);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return response.body();
    }


    /** A call whose answer must have the status and validate against the description; answers the body. */
    private JsonNode call(String method, String path, String token, Object body, int status)
            throws Exception
    {
        HttpResponse<String> response = send(method, path, token, body);
        assertThat(response.statusCode()).as(method + " " + path + ": " + response.body()).isEqualTo(status);
        description.check(method, response.request().uri().getRawPath(), response.statusCode(), response.body());
        answersChecked++;
        return response.body().isEmpty() ? Json.json().nullNode() : Json.json().readTree(response.body());
    }

    private HttpResponse<String> send(String method, String path, String token, Object body)
            throws IOException, InterruptedException
    {
        String text = body == null ? "" : body instanceof String string ? string : Json.json().writeValueAsString(body);
        HttpRequest.Builder builder = HttpRequest.newBuilder(base.resolve(path)).timeout(Duration.ofMinutes(2))
                .header("Content-Type", "application/json")
                .method(method, BodyPublishers.ofString(text));
        if (token != null) {
            builder.header("Authorization", "Bearer " + token);
        }
        return client.send(builder.build(), BodyHandlers.ofString());
    }
}
