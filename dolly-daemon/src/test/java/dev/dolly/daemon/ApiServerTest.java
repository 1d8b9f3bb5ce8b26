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
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The HTTP routes over real HTTP on the loopback address, with the services of a home on a fake engine: status codes,
 * authentication, the error body, and not found against not permitted. Every answer is also checked against the
 * API's OpenAPI description ({@link OpenApiResponses}).
 */
class ApiServerTest
{
    private static final String PASSWORD = "correct horse battery";

    @TempDir
    Path directory;

    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();
    private final CountDownLatch shutdown = new CountDownLatch(1);
    private DaemonServices services;
    private ApiServer server;
    private URI base;
    private String admin;
    private OpenApiResponses description;

    @BeforeEach
    void setUp()
            throws IOException
    {
        DollyConfiguration configuration = FakeEngineServices.configuration(directory.resolve("home"));
        services = new DaemonServices(configuration, Dolly.open(configuration, List.of(new FakeEngine())));
        server = new ApiServer(services, shutdown::countDown);
        int port = server.start("127.0.0.1", 0, Optional.empty());
        base = URI.create("http://127.0.0.1:" + port);
        admin = Files.readString(DollyHome.adminTokenFile(configuration.home())).strip();
        Response document = send(request(OpenApiDocument.PATH, null).GET().build());
        assertThat(document.statusCode()).isEqualTo(200);
        description = new OpenApiResponses(document.json());
    }

    @AfterEach
    void tearDown()
    {
        server.stop();
        services.close();
    }

    @Test
    void everyCallButSigningInNeedsAValidToken()
    {
        assertError(call("GET", "/api/v1/info", null, null), 401, "NOT_AUTHENTICATED", "This call needs an access token.", "{\"kind\":\"SIGN_IN\"}");
        assertError(call("GET", "/api/v1/images", "not-a-token", null), 401, "NOT_AUTHENTICATED",
                "The access token is not valid (unknown, revoked or expired).", "{\"kind\":\"SIGN_IN_AGAIN\"}");
        // unknown paths too: nothing is told without a token
        assertThat(call("GET", "/api/v1/nothing", null, null).statusCode()).isEqualTo(401);

        Response info = call("GET", "/api/v1/info", admin, null);
        assertThat(info.statusCode()).isEqualTo(200);
        assertThat(info.json().get("storageDriver").asText()).isEqualTo("copy");
        assertThat(info.json().get("engines").get(0).get("engine").asText()).isEqualTo(FakeEngine.NAME);
        assertError(call("GET", "/api/v1/nothing", admin, null), 404, "NOT_FOUND", "No such API path: GET /api/v1/nothing");

        createUser("alice");
        assertThat(call("POST", "/api/v1/sessions", null, Map.of("name", "alice", "password", "wrong password!")).statusCode()).isEqualTo(401);
        String alice = signIn("alice");
        assertThat(call("GET", "/api/v1/sessions/current", alice, null).json().get("user").asText()).isEqualTo("alice");
        assertThat(call("DELETE", "/api/v1/sessions/current", alice, null).statusCode()).isEqualTo(204);
        assertThat(call("GET", "/api/v1/images", alice, null).statusCode()).isEqualTo(401);
    }

    @Test
    void imagesContainersAndRevisions()
            throws InterruptedException
    {
        createUser("alice");
        String alice = signIn("alice");
        long imageId = buildImage(alice, "widgets");

        Response image = call("GET", "/api/v1/images/widgets", alice, null);
        assertThat(image.statusCode()).isEqualTo(200);
        assertThat(image.json().get("id").asLong()).isEqualTo(imageId);
        assertThat(call("GET", "/api/v1/images?name=widgets", alice, null).json().get("items")).hasSize(1);
        assertThat(call("GET", "/api/v1/images?name=gadgets", alice, null).json().get("items")).isEmpty();
        Response updated = call("PATCH", "/api/v1/images/widgets", alice, Map.of("addTags", List.of("latest")));
        assertThat(updated.statusCode()).isEqualTo(200);
        assertThat(updated.json().get("tags").get(0).asText()).isEqualTo("latest");

        Response created = call("POST", "/api/v1/containers", alice, Map.of("image", "widgets:latest", "name", "copy-1"));
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        assertThat(created.json().get("status").asText()).isEqualTo("READY");
        assertThat(created.json().get("uri").asText()).startsWith("fake://owner:");
        assertThat(call("GET", "/api/v1/containers/copy-1", alice, null).statusCode()).isEqualTo(200);
        assertThat(call("GET", "/api/v1/containers?image=widgets", alice, null).json().get("items")).hasSize(1);
        assertThat(call("PATCH", "/api/v1/containers/copy-1", alice, Map.of("lifetime", "2h")).json().get("expiresAt").isNull()).isFalse();

        Response saved = call("POST", "/api/v1/containers/copy-1/revisions", alice, null);
        assertThat(saved.statusCode()).isEqualTo(201);
        assertThat(saved.json().get("name").asText()).isEqualTo("rev.1");
        assertThat(call("GET", "/api/v1/containers/copy-1/revisions", alice, null).json().get("items")).hasSize(2);
        assertThat(call("POST", "/api/v1/containers/copy-1/load", alice, Map.of("revision", "rev.0")).json().get("revision").asText()).isEqualTo("rev.0");
        assertThat(call("POST", "/api/v1/containers/copy-1/reset", alice, null).statusCode()).isEqualTo(200);
        Response graduated = call("POST", "/api/v1/containers/copy-1/graduate", alice, Map.of("revision", "rev.1", "name", "widgets-v2"));
        assertThat(graduated.statusCode()).isEqualTo(201);
        assertThat(graduated.json().get("status").asText()).isEqualTo("READY");
        assertThat(call("DELETE", "/api/v1/containers/copy-1/revisions/rev.1", alice, null).statusCode()).isEqualTo(200);

        assertThat(call("DELETE", "/api/v1/containers/copy-1", alice, null).statusCode()).isEqualTo(200);
        assertThat(call("DELETE", "/api/v1/images/widgets", alice, null).statusCode()).isEqualTo(200);
        assertThat(call("DELETE", "/api/v1/images/widgets-v2", alice, null).statusCode()).isEqualTo(200);
        assertThat(call("GET", "/api/v1/images", alice, null).json().get("items")).isEmpty();
    }

    @Test
    void errorsAnswerWithTheStatusOfTheirCode()
            throws InterruptedException
    {
        createUser("alice");
        createUser("bob");
        createUser("carol");
        assertThat(call("POST", "/api/v1/teams", admin, Map.of("name", "org:devs")).statusCode()).isEqualTo(201);
        assertThat(call("POST", "/api/v1/teams/org:devs/members", admin, Map.of("addMembers", List.of("alice", "bob"))).statusCode()).isEqualTo(200);
        String alice = signIn("alice");
        String bob = signIn("bob");
        String carol = signIn("carol");
        long imageId = buildImage(alice, "widgets", "teams: [org:devs]");
        assertThat(call("POST", "/api/v1/containers", alice, Map.of("image", "widgets", "name", "copy-1")).statusCode()).isEqualTo(201);

        // a team member sees the image but may not change it; a stranger is told it does not exist, as for a missing one
        assertThat(call("GET", "/api/v1/images/widgets", bob, null).statusCode()).isEqualTo(200);
        assertError(call("DELETE", "/api/v1/images/widgets", bob, null), 403, "NOT_PERMITTED",
                "Only the owner of data image 'widgets' (alice) or an administrator may delete it; you can see it through one of its teams.");
        String listImages = "{\"kind\":\"LIST_IMAGES\"}";
        assertError(call("GET", "/api/v1/images/widgets", carol, null), 404, "NOT_FOUND", "Data image 'widgets' not found.", listImages);
        assertError(call("GET", "/api/v1/images/" + imageId, carol, null), 404, "NOT_FOUND", "Data image '" + imageId + "' not found.", listImages);
        assertError(call("GET", "/api/v1/images/missing", carol, null), 404, "NOT_FOUND", "Data image 'missing' not found.", listImages);
        // containers are their owner's alone
        String listContainers = "{\"kind\":\"LIST_CONTAINERS\"}";
        assertError(call("GET", "/api/v1/containers/copy-1", bob, null), 404, "NOT_FOUND", "Data container 'copy-1' not found.", listContainers);
        assertError(call("POST", "/api/v1/containers/copy-1/revisions", bob, null), 404, "NOT_FOUND", "Data container 'copy-1' not found.", listContainers);
        assertError(call("DELETE", "/api/v1/containers/copy-1/revisions/rev.0", admin, null), 400, "BAD_INPUT",
                "rev.0 of data container 'copy-1' is its image: it cannot be deleted.", "{\"kind\":\"DELETE_CONTAINER\",\"subject\":\"copy-1\"}");
        assertThat(call("GET", "/api/v1/containers", bob, null).json().get("items")).isEmpty();
        assertThat(call("GET", "/api/v1/containers/copy-1", admin, null).statusCode()).isEqualTo(200);

        assertError(call("DELETE", "/api/v1/images/widgets", alice, null), 409, "IN_USE",
                "Data image 'widgets' (" + imageId + ") is used by data containers 'copy-1'.", "{\"kind\":\"DELETE_CONTAINERS_FIRST\"}");
        assertError(call("POST", "/api/v1/containers", alice, Map.of("image", "widgets", "name", "copy-1")), 409, "ALREADY_EXISTS",
                "A data container named 'copy-1' exists already. Choose another name, or delete it first.");
        Response badBody = call("POST", "/api/v1/containers", alice, "{not json");
        assertThat(badBody.statusCode()).isEqualTo(400);
        assertThat(badBody.json().get("code").asText()).isEqualTo("BAD_INPUT");
        assertThat(badBody.json().get("message").asText()).startsWith("The request body is not a valid CreateContainerRequest: ");
        assertError(call("POST", "/api/v1/images", alice, Map.of("definition", FakeEngineServices.definition("gadgets"), "sourceDirectory", directory.toString())),
                400, "BAD_INPUT", "Only the local administrator may build from a directory on the daemon's machine. "
                        + "Upload the definition's files instead: the dolly CLI does so when it talks to a server.");
        assertError(call("POST", "/api/v1/uploads", alice, ""), 400, "BAD_INPUT", "An upload must declare the total size of its files: POST /api/v1/uploads?size=BYTES.");

        // administrators only
        assertError(call("POST", "/api/v1/users", alice, Map.of("name", "dave", "password", PASSWORD)), 403, "NOT_PERMITTED",
                "Only administrators may create users.", "{\"kind\":\"ASK_AN_ADMINISTRATOR\"}");
        assertError(call("POST", "/api/v1/daemon/shutdown", alice, null), 403, "NOT_PERMITTED",
                "Only administrators may stop the daemon.", "{\"kind\":\"ASK_AN_ADMINISTRATOR\"}");
        assertThat(shutdown.getCount()).isEqualTo(1);
        assertThat(call("POST", "/api/v1/daemon/shutdown", admin, null).statusCode()).isEqualTo(202);
        assertThat(shutdown.await(10, TimeUnit.SECONDS)).isTrue();
    }

    private void createUser(String name)
    {
        Response response = call("POST", "/api/v1/users", admin, Map.of("name", name, "password", PASSWORD, "admin", false));
        assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
    }

    private String signIn(String name)
    {
        Response response = call("POST", "/api/v1/sessions", null, Map.of("name", name, "password", PASSWORD));
        assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
        return response.json().get("token").asText();
    }

    /** Uploads the definition's files and builds an image, as the CLI does with a remote daemon; waits until it is READY. */
    private long buildImage(String token, String name, String... lines)
            throws InterruptedException
    {
        byte[] files = FakeEngineServices.definitionFiles();
        Response upload = send(request("/api/v1/uploads?size=" + files.length, token).header("Content-Type", "application/zip")
                .POST(BodyPublishers.ofByteArray(files)).build());
        assertThat(upload.statusCode()).as(upload.body()).isEqualTo(201);

        Response created = call("POST", "/api/v1/images", token, Map.of("definition", FakeEngineServices.definition(name, lines), "upload", upload.json().get("id").asText()));
        assertThat(created.statusCode()).as(created.body()).isEqualTo(202);
        assertThat(created.json().get("status").asText()).isEqualTo("PENDING");
        long id = created.json().get("id").asLong();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (System.nanoTime() < deadline) {
            JsonNode image = call("GET", "/api/v1/images/" + id, token, null).json();
            if (!image.get("status").asText().equals("PENDING")) {
                assertThat(image.get("status").asText()).as(image.toString()).isEqualTo("READY");
                return id;
            }
            Thread.sleep(10);
        }
        throw new AssertionError("Image " + name + " was not built in time");
    }

    private static void assertError(Response response, int status, String code, String message)
    {
        assertError(response, status, code, message, null);
    }

    /** @param nextStep the JSON of the answer's next step, or {@code null} when the answer must have none */
    private static void assertError(Response response, int status, String code, String message, String nextStep)
    {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        assertThat(response.headers().entrySet()).anySatisfy(header -> {
            assertThat(header.getKey()).isEqualToIgnoringCase("content-type");
            assertThat(header.getValue()).singleElement().asString().startsWith("application/json");
        });
        List<String> fields = new ArrayList<>();
        response.json().fieldNames().forEachRemaining(fields::add);
        assertThat(fields).as(response.body()).containsExactlyInAnyOrderElementsOf(nextStep == null ? List.of("code", "message") : List.of("code", "message", "nextStep"));
        assertThat(response.json().get("code").asText()).isEqualTo(code);
        if (message != null) {
            assertThat(response.json().get("message").asText()).isEqualTo(message);
        }
        if (nextStep != null) {
            try {
                assertThat(response.json().get("nextStep")).isEqualTo(Json.json().readTree(nextStep));
            }
            catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    /** A call with a JSON body: an object, serialised, or a string sent as it is. */
    private Response call(String method, String path, String token, Object body)
    {
        String text;
        try {
            text = body == null ? "" : body instanceof String string ? string : Json.json().writeValueAsString(body);
        }
        catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return send(request(path, token).header("Content-Type", "application/json").method(method, BodyPublishers.ofString(text)).build());
    }

    private HttpRequest.Builder request(String path, String token)
    {
        HttpRequest.Builder builder = HttpRequest.newBuilder(base.resolve(path)).timeout(Duration.ofSeconds(30));
        if (token != null) {
            builder.header("Authorization", "Bearer " + token);
        }
        return builder;
    }

    private Response send(HttpRequest request)
    {
        try {
            HttpResponse<String> response = client.send(request, BodyHandlers.ofString());
            if (description != null) {
                description.check(request.method(), request.uri().getRawPath(), response.statusCode(), response.body());
            }
            return new Response(response.statusCode(), response.body(), response.headers().map());
        }
        catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private record Response(int statusCode, String body, Map<String, List<String>> headers)
    {
        JsonNode json()
        {
            try {
                return Json.json().readTree(body);
            }
            catch (IOException e) {
                throw new UncheckedIOException("Not JSON: " + body, e);
            }
        }
    }
}
