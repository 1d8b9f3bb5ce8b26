package dev.dolly.daemon;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.dolly.api.ErrorCode;
import dev.dolly.api.Json;
import dev.dolly.core.Dolly;
import dev.dolly.core.DollyConfiguration;
import dev.dolly.core.testing.FakeEngine;
import dev.dolly.core.testing.FakeEngineServices;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.fail;

/**
 * The OpenAPI description against the routes Javalin really holds, and its schemas against answers that must fail
 * them. {@code ApiServerTest} checks every real answer of its calls against the description.
 */
class OpenApiDocumentTest
{
    @TempDir
    Path directory;

    @Test
    void everyRouteIsDescribedAndEveryDescribedRouteExists()
    {
        DollyConfiguration configuration = FakeEngineServices.configuration(directory.resolve("home"));
        DaemonServices services = new DaemonServices(configuration, Dolly.open(configuration, List.of(new FakeEngine())));
        ApiServer server = new ApiServer(services, () -> {});
        List<String> registered;
        try {
            server.start("127.0.0.1", 0, Optional.empty());
            registered = server.registeredRoutes();
        }
        finally {
            server.stop();
            services.close();
        }
        // the API and the metrics; the pages of the web dashboard are HTML, not part of the API's description
        Set<String> apiRoutes = registered.stream()
                .filter(route -> route.contains(" /api/") || route.endsWith(" " + DaemonMetrics.PATH))
                .collect(Collectors.toCollection(TreeSet::new));
        Set<String> described = OpenApiDocument.OPERATIONS.stream().map(OpenApiDocument.Operation::route).collect(Collectors.toCollection(TreeSet::new));
        assertThat(apiRoutes).as("routes of ApiServer").isNotEmpty();

        List<String> problems = new ArrayList<>();
        for (String route : apiRoutes) {
            if (!described.contains(route)) {
                problems.add("Route " + route + " is registered in ApiServer but missing from the API's description: add an Operation for it to "
                        + "OpenApiDocument.OPERATIONS (dolly-daemon, dev.dolly.daemon.OpenApiDocument), with the records it takes and answers.");
            }
        }
        for (String route : described) {
            if (!apiRoutes.contains(route)) {
                problems.add("Route " + route + " is described in OpenApiDocument.OPERATIONS but ApiServer registers no such route: remove it from "
                        + "the description, or correct its method or path.");
            }
        }
        if (!problems.isEmpty()) {
            fail(String.join("\n", problems));
        }
        assertThat(OpenApiDocument.OPERATIONS.stream().map(OpenApiDocument.Operation::id).distinct()).hasSameSizeAs(OpenApiDocument.OPERATIONS);
    }

    @Test
    void documentsEveryErrorCodeWithItsStatus()
    {
        JsonNode document = OpenApiDocument.document("test");
        assertThat(document.get("openapi").asText()).isEqualTo("3.1.0");
        assertThat(document.at("/x-error-codes/IN_USE").asInt()).isEqualTo(409);
        assertThat(document.at("/x-error-codes/NOT_AUTHENTICATED").asInt()).isEqualTo(401);
        assertThat(document.at("/x-error-codes/DAEMON_UNREACHABLE").isMissingNode()).as("the CLI's own code").isTrue();
        List<String> conflicts = new ArrayList<>();
        document.at("/components/responses/Error409/content/application~1json/schema/allOf/1/properties/code/enum").forEach(code -> conflicts.add(code.asText()));
        assertThat(conflicts).containsExactlyInAnyOrder(ErrorCode.CONFLICT.name(), ErrorCode.IN_USE.name(), ErrorCode.ALREADY_EXISTS.name());
        // every operation answers its errors, and the daemon's description has every route's path parameters
        document.get("paths").forEach(path -> path.forEach(operation -> {
            assertThat(operation.at("/responses/500/$ref").asText()).isEqualTo("#/components/responses/Error500");
            assertThat(operation.get("operationId").asText()).isNotBlank();
        }));
        assertThat(document.at("/paths/~1api~1v1~1containers~1{reference}~1revisions~1{revision}/delete/parameters").findValuesAsText("name"))
                .containsExactly("reference", "revision");
        assertThat(document.at("/paths/~1api~1v1~1sessions/post/security")).isEmpty();
        assertThat(document.at("/paths/~1api~1v1~1info/get/security").isMissingNode()).as("the document's bearer token applies").isTrue();
    }

    @Test
    void schemasRefuseWhatTheDaemonNeverAnswers()
            throws Exception
    {
        OpenApiResponses responses = new OpenApiResponses(OpenApiDocument.document("test"));
        ObjectNode revision = (ObjectNode) Json.json().readTree("""
                {"container":"copy-1","name":"rev.1","number":1,"parent":"rev.0","createdAt":"2026-01-01T00:00:00Z","sizeBytes":null,"current":true}""");
        responses.check("POST", "/api/v1/containers/copy-1/revisions", 201, revision.toString());

        ObjectNode extra = revision.deepCopy().put("secret", "x");
        assertThatThrownBy(() -> responses.check("POST", "/api/v1/containers/copy-1/revisions", 201, extra.toString()))
                .hasMessageContaining("secret");
        ObjectNode missing = revision.deepCopy();
        missing.remove("number");
        assertThatThrownBy(() -> responses.check("POST", "/api/v1/containers/copy-1/revisions", 201, missing.toString()))
                .hasMessageContaining("number");
        ObjectNode wrongType = revision.deepCopy().put("current", "yes");
        assertThatThrownBy(() -> responses.check("POST", "/api/v1/containers/copy-1/revisions", 201, wrongType.toString()))
                .hasMessageContaining("current");
        assertThatThrownBy(() -> responses.check("POST", "/api/v1/containers/copy-1/revisions", 200, revision.toString()))
                .hasMessageContaining("a status the description of POST /api/v1/containers/{reference}/revisions does not list");
        // an error's code must be one of that status
        responses.check("DELETE", "/api/v1/images/widgets", 409, "{\"code\":\"IN_USE\",\"message\":\"used\"}");
        assertThatThrownBy(() -> responses.check("DELETE", "/api/v1/images/widgets", 409, "{\"code\":\"NOT_FOUND\",\"message\":\"gone\"}"))
                .hasMessageContaining("code");
        // no body where none is described
        assertThatThrownBy(() -> responses.check("DELETE", "/api/v1/sessions/current", 204, "{}"))
                .hasMessageContaining("with a body");
    }
}
