package dev.dolly.daemon;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import dev.dolly.api.Json;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

import static java.util.Objects.requireNonNull;

/**
 * Checks real answers of the API against its OpenAPI description: the status must be described for the route, and
 * the body must validate against the schema of that status (JSON Schema 2020-12, the dialect of OpenAPI 3.1). Shared with the end-to-end tests through dolly-daemon's test jar.
 */
public final class OpenApiResponses
{
    private static final JsonSchemaFactory SCHEMAS = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012);

    private final JsonNode document;

    public OpenApiResponses(JsonNode document)
    {
        this.document = requireNonNull(document, "document is null");
    }

    /** @throws AssertionError when the answer is not what the description says */
    public void check(String method, String requestPath, int status, String body)
    {
        String path = requestPath.replaceFirst("\\?.*$", "");
        Optional<Map.Entry<String, JsonNode>> route = route(method, path);
        JsonNode schema;
        String what = method + " " + path + " answered " + status;
        if (route.isEmpty()) {
            // a path no route has: Javalin's own 404 (or 401 before it), with an error body
            if (status < 400) {
                throw new AssertionError(what + ", but the API's description has no such route");
            }
            schema = document.at("/components/schemas/ErrorResponse");
        }
        else {
            JsonNode response = route.get().getValue().at("/responses/" + status);
            if (response.isMissingNode()) {
                throw new AssertionError(what + ", a status the description of " + route.get().getKey() + " does not list");
            }
            if (response.has("$ref")) {
                response = document.at(response.get("$ref").asText().substring(1));
            }
            JsonNode content = response.path("content");
            if (content.isMissingNode()) {
                if (!body.isEmpty()) {
                    throw new AssertionError(what + " with a body, where the description says none: " + body);
                }
                return;
            }
            if (!content.has("application/json")) {
                return;
            }
            schema = content.get("application/json").get("schema");
        }
        ObjectNode root = schema.deepCopy();
        // the references point into the document's components: give the schema the same root
        root.set("components", document.get("components"));
        JsonSchema validator = SCHEMAS.getSchema(root);
        JsonNode answer;
        try {
            answer = Json.json().readTree(body);
        }
        catch (IOException e) {
            throw new UncheckedIOException(what + " with a body that is not JSON: " + body, e);
        }
        Set<ValidationMessage> errors = validator.validate(answer);
        if (!errors.isEmpty()) {
            throw new AssertionError(what + " with a body that does not validate against its schema in the API's description:\n  "
                    + errors.stream().map(ValidationMessage::getMessage).sorted().collect(Collectors.joining("\n  ")) + "\nbody: " + body);
        }
    }

    private Optional<Map.Entry<String, JsonNode>> route(String method, String path)
    {
        for (Map.Entry<String, JsonNode> entry : document.get("paths").properties()) {
            String pattern = entry.getKey().replaceAll("\\{[^}]+}", "[^/]+");
            JsonNode operation = entry.getValue().get(method.toLowerCase(Locale.ROOT));
            if (operation != null && path.matches(pattern)) {
                return Optional.of(Map.entry(method + " " + entry.getKey(), operation));
            }
        }
        return Optional.empty();
    }
}
