package dev.dolly.daemon;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.dolly.api.AccessToken;
import dev.dolly.api.CreateAccessTokenRequest;
import dev.dolly.api.CreateContainerRequest;
import dev.dolly.api.CreateImageRequest;
import dev.dolly.api.CreateRouteRequest;
import dev.dolly.api.CreateScheduleRequest;
import dev.dolly.api.CreateTeamRequest;
import dev.dolly.api.CreateUserRequest;
import dev.dolly.api.DataContainer;
import dev.dolly.api.DataImage;
import dev.dolly.api.ErrorCode;
import dev.dolly.api.ErrorResponse;
import dev.dolly.api.GraduateRequest;
import dev.dolly.api.InitializeStorageRequest;
import dev.dolly.api.LoadRevisionRequest;
import dev.dolly.api.NewAccessToken;
import dev.dolly.api.Revision;
import dev.dolly.api.Route;
import dev.dolly.api.Schedule;
import dev.dolly.api.ServerInfo;
import dev.dolly.api.Session;
import dev.dolly.api.SessionToken;
import dev.dolly.api.SignInRequest;
import dev.dolly.api.Team;
import dev.dolly.api.UpdateContainerRequest;
import dev.dolly.api.UpdateImageRequest;
import dev.dolly.api.UpdateRouteRequest;
import dev.dolly.api.UpdateTeamRequest;
import dev.dolly.api.Upload;
import dev.dolly.api.User;

import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import static java.util.Objects.requireNonNull;

/**
 * The OpenAPI 3.1 description of the daemon's HTTP API, served at {@code GET /api/v1/openapi.json}.
 *
 * <p>The routes are listed once, in {@link #OPERATIONS}, with the records of {@code dev.dolly.api} they take and
 * answer; the schemas are generated from those records, the way Jackson writes them (every component, {@code null}
 * included, unless the record says {@code NON_NULL}), so they stay true when a record changes. A response schema is
 * strict: every property is required and no other is allowed. Errors answer with an {@link ErrorResponse} whose code
 * is one of the {@link ErrorCode}s of that HTTP status. {@code OpenApiDocumentTest} fails when a route registered in
 * {@link ApiServer} is missing here, or one described here is not registered.
 */
final class OpenApiDocument
{
    static final String PATH = "/api/v1/openapi.json";

    /** Every route of the API, in the order of the document. A new route of {@link ApiServer} needs its line here. */
    static final List<Operation> OPERATIONS = List.of(
            Operation.get("/api/v1/openapi.json", "describeApi", "This description of the API (no access token needed).", 200, null).anonymous(),
            Operation.get("/api/v1/info", "getServerInfo", "The daemon's version, storage driver, space and engines.", 200, ServerInfo.class),
            Operation.post("/api/v1/sessions", "signIn", "Signs in with a user name and password; answers a session token.", SignInRequest.class, 201, SessionToken.class)
                    .anonymous(),
            Operation.get("/api/v1/sessions/current", "getCurrentSession", "Who the access token belongs to.", 200, Session.class),
            Operation.delete("/api/v1/sessions/current", "signOut", "Revokes the session token of the call.", 204, null),
            Operation.get("/api/v1/users", "listUsers", "The users (administrators only).", 200, List.class, User.class),
            Operation.post("/api/v1/users", "createUser", "Creates a user (administrators only).", CreateUserRequest.class, 201, User.class),
            Operation.delete("/api/v1/users/{name}", "deleteUser", "Deletes a user (administrators only).", 200, User.class),
            Operation.get("/api/v1/teams", "listTeams", "The teams.", 200, List.class, Team.class),
            Operation.post("/api/v1/teams", "createTeam", "Creates a team, org:team (administrators only).", CreateTeamRequest.class, 201, Team.class),
            Operation.post("/api/v1/teams/{team}/members", "updateTeamMembers", "Adds and removes members of a team.", UpdateTeamRequest.class, 200, Team.class),
            Operation.get("/api/v1/access-tokens", "listAccessTokens", "The caller's access tokens (never the tokens themselves).", 200, List.class,
                    AccessToken.class),
            Operation.post("/api/v1/access-tokens", "createAccessToken", "Creates an access token; the token is in this answer only.",
                    CreateAccessTokenRequest.class, 201, NewAccessToken.class),
            Operation.delete("/api/v1/access-tokens/{id}", "deleteAccessToken", "Revokes an access token of the caller.", 200, AccessToken.class),
            Operation.get("/api/v1/images", "listImages", "The images the caller may see, filtered by name and tag.", 200, List.class, DataImage.class)
                    .query("name", false, "Only images of this name.")
                    .query("tag", false, "Only the image that holds this tag."),
            Operation.post("/api/v1/images", "createImage", "Starts building an image from an image definition; answers at once, with status PENDING.",
                    CreateImageRequest.class, 202, DataImage.class),
            Operation.post("/api/v1/uploads", "uploadFiles", "Receives a ZIP archive of the files an image definition names, for a build to take.", null, 201,
                    Upload.class)
                    .query("size", true, "The total size of the archive's files, in bytes."),
            Operation.get("/api/v1/images/{reference}", "getImage", "One image, by name, name:tag or ID.", 200, DataImage.class),
            Operation.delete("/api/v1/images/{reference}", "deleteImage", "Deletes an image no container uses.", 200, DataImage.class),
            Operation.patch("/api/v1/images/{reference}", "updateImage", "Changes an image's tags, teams, name or lifetime.", UpdateImageRequest.class, 200,
                    DataImage.class),
            Operation.get("/api/v1/schedules", "listSchedules", "The caller's scheduled image builds (administrators: all).", 200, List.class, Schedule.class),
            Operation.post("/api/v1/schedules", "createSchedule", "Schedules builds of an image definition, whose files (an upload's) it keeps.",
                    CreateScheduleRequest.class, 201, Schedule.class),
            Operation.get("/api/v1/schedules/{name}", "getSchedule", "One schedule: its last run, its result and its next run.", 200, Schedule.class),
            Operation.delete("/api/v1/schedules/{name}", "deleteSchedule", "Deletes a schedule and the files it kept; its images stay.", 200, Schedule.class),
            Operation.post("/api/v1/schedules/{name}/run", "runSchedule", "Starts a build of the schedule now, unless one is going.", null, 202,
                    Schedule.class),
            Operation.get("/api/v1/containers", "listContainers", "The caller's containers, filtered by image.", 200, List.class, DataContainer.class)
                    .query("image", false, "Only containers of this image: an ID or name:tag, or a name for every image of it."),
            Operation.post("/api/v1/containers", "createContainer", "Starts a data container from an image.", CreateContainerRequest.class, 201,
                    DataContainer.class),
            Operation.get("/api/v1/containers/{reference}", "getContainer", "One container, by name or ID.", 200, DataContainer.class),
            Operation.delete("/api/v1/containers/{reference}", "deleteContainer", "Stops and deletes a container.", 200, DataContainer.class),
            Operation.patch("/api/v1/containers/{reference}", "updateContainer", "Renames a container, changes its lifetime or its teams.", UpdateContainerRequest.class,
                    200, DataContainer.class),
            Operation.get("/api/v1/containers/{reference}/revisions", "listRevisions", "A container's revisions.", 200, List.class, Revision.class),
            Operation.post("/api/v1/containers/{reference}/revisions", "saveRevision", "Saves the container's data as a new revision.", null, 201,
                    Revision.class),
            Operation.delete("/api/v1/containers/{reference}/revisions/{revision}", "deleteRevision", "Deletes a revision no other one is stacked on.", 200,
                    Revision.class),
            Operation.post("/api/v1/containers/{reference}/load", "loadRevision", "Puts the container back on a revision.", LoadRevisionRequest.class, 200,
                    DataContainer.class),
            Operation.post("/api/v1/containers/{reference}/reset", "resetContainer", "Throws away the changes since the container's revision.", null, 200,
                    DataContainer.class),
            Operation.post("/api/v1/containers/{reference}/start", "startContainer", "Starts a stopped container's server on its port.", null, 200,
                    DataContainer.class),
            Operation.post("/api/v1/containers/{reference}/stop", "stopContainer",
                    "Stops a container's server cleanly, keeping its data; the daemon holds its port and the next connection starts it again.", null, 200,
                    DataContainer.class),
            Operation.post("/api/v1/containers/{reference}/graduate", "graduateRevision", "Makes a new image from a revision of the container.",
                    GraduateRequest.class, 201, DataImage.class),
            Operation.get("/api/v1/routes", "listRoutes", "The caller's routes (administrators: all).", 200, List.class, Route.class),
            Operation.post("/api/v1/routes", "createRoute", "Listens on a port and relays it to a container.", CreateRouteRequest.class, 201, Route.class),
            Operation.get("/api/v1/routes/{reference}", "getRoute", "One route, by name or ID.", 200, Route.class),
            Operation.patch("/api/v1/routes/{reference}", "updateRoute", "Points a route at another container; connections made after the answer go there.",
                    UpdateRouteRequest.class, 200, Route.class),
            Operation.delete("/api/v1/routes/{reference}", "deleteRoute", "Stops listening on a route's port and closes its connections.", 200, Route.class),
            Operation.post("/api/v1/storage", "initializeStorage", "Moves the empty storage to a file system of its own (administrators only).",
                    InitializeStorageRequest.class, 200, ServerInfo.class),
            Operation.post("/api/v1/daemon/shutdown", "shutDownDaemon", "Stops the daemon (administrators only).", null, 202, null),
            Operation.get(DaemonMetrics.PATH, "getMetrics", "Metrics in Prometheus's text format (an administrator's access token).", 200, null)
                    .withResponseType("text/plain"));

    private static final Map<String, Operation> BY_ROUTE = OPERATIONS.stream()
            .collect(Collectors.toUnmodifiableMap(operation -> operation.route(), operation -> operation));

    private static final Pattern PATH_PARAMETER = Pattern.compile("\\{([^}]+)}");
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    /** Codes the CLI makes up itself; the daemon never answers with them. */
    private static final Set<ErrorCode> CLIENT_SIDE_CODES = EnumSet.of(ErrorCode.TIMED_OUT, ErrorCode.DAEMON_UNREACHABLE, ErrorCode.TLS_FAILURE);

    private OpenApiDocument() {}

    /** The operation of a route as Javalin names it, such as {@code GET /api/v1/images/{reference}}. */
    static Optional<Operation> operation(String method, String path)
    {
        return Optional.ofNullable(BY_ROUTE.get(method.toUpperCase(Locale.ROOT) + " " + path));
    }

    static ObjectNode document(String version)
    {
        Schemas schemas = new Schemas();
        ObjectNode document = NODES.objectNode();
        document.put("openapi", "3.1.0");
        document.put("jsonSchemaDialect", "https://spec.openapis.org/oas/3.1/dialect/base");
        ObjectNode info = document.putObject("info");
        info.put("title", "Dolly daemon API");
        info.put("version", version);
        info.put("description", "Data images and data containers. Every call but signing in and this description needs a bearer token: a session token "
                + "(POST /api/v1/sessions) or an access token. Errors answer with an ErrorResponse; its code says what failed, and each code has "
                + "one HTTP status (x-error-codes).");
        ObjectNode paths = document.putObject("paths");
        for (Operation operation : OPERATIONS) {
            ObjectNode path = paths.has(operation.path()) ? (ObjectNode) paths.get(operation.path()) : paths.putObject(operation.path());
            path.set(operation.method().toLowerCase(Locale.ROOT), operation.describe(schemas));
        }
        ObjectNode components = document.putObject("components");
        schemas.schema(ErrorResponse.class, false);
        components.set("schemas", schemas.components());
        ObjectNode responses = components.putObject("responses");
        errorStatuses().forEach((status, codes) -> responses.set(errorResponseName(status), errorResponse(codes)));
        ObjectNode security = components.putObject("securitySchemes");
        security.putObject("bearerToken").put("type", "http").put("scheme", "bearer")
                .put("description", "A session token from POST /api/v1/sessions, or an access token (dolly create access-token).");
        document.putArray("security").addObject().putArray("bearerToken");
        ObjectNode errorCodes = document.putObject("x-error-codes");
        for (ErrorCode code : ErrorCode.values()) {
            if (!CLIENT_SIDE_CODES.contains(code)) {
                errorCodes.put(code.name(), code.httpStatus());
            }
        }
        return document;
    }

    /** The error codes the daemon answers with, by HTTP status. */
    static Map<Integer, Set<ErrorCode>> errorStatuses()
    {
        Map<Integer, Set<ErrorCode>> statuses = new TreeMap<>();
        for (ErrorCode code : ErrorCode.values()) {
            if (!CLIENT_SIDE_CODES.contains(code)) {
                statuses.computeIfAbsent(code.httpStatus(), status -> new TreeSet<>()).add(code);
            }
        }
        return statuses;
    }

    private static String errorResponseName(int status)
    {
        return "Error" + status;
    }

    private static ObjectNode errorResponse(Set<ErrorCode> codes)
    {
        ObjectNode response = NODES.objectNode();
        response.put("description", codes.stream().map(ErrorCode::name).collect(Collectors.joining(", ")));
        ObjectNode schema = response.putObject("content").putObject("application/json").putObject("schema");
        ArrayNode allOf = schema.putArray("allOf");
        allOf.addObject().put("$ref", "#/components/schemas/ErrorResponse");
        ArrayNode allowed = allOf.addObject().putObject("properties").putObject("code").putArray("enum");
        codes.forEach(code -> allowed.add(code.name()));
        return response;
    }

    /**
     * One route: its method and Javalin path, what it takes and what it answers on success.
     *
     * @param responseItems for a list response ({@code responseType} {@code List.class}): the type of its items
     */
    record Operation(
            String method,
            String path,
            String id,
            String summary,
            Class<?> requestType,
            int status,
            Class<?> responseType,
            Class<?> responseItems,
            String responseMediaType,
            boolean authenticated,
            List<QueryParameter> queryParameters)
    {
        Operation
        {
            requireNonNull(method, "method is null");
            requireNonNull(path, "path is null");
            requireNonNull(id, "id is null");
            requireNonNull(summary, "summary is null");
            queryParameters = List.copyOf(queryParameters);
        }

        static Operation get(String path, String id, String summary, int status, Class<?> responseType)
        {
            return get(path, id, summary, status, responseType, null);
        }

        static Operation get(String path, String id, String summary, int status, Class<?> responseType, Class<?> responseItems)
        {
            return new Operation("GET", path, id, summary, null, status, responseType, responseItems, "application/json", true, List.of());
        }

        static Operation post(String path, String id, String summary, Class<?> requestType, int status, Class<?> responseType)
        {
            return new Operation("POST", path, id, summary, requestType, status, responseType, null, "application/json", true, List.of());
        }

        static Operation patch(String path, String id, String summary, Class<?> requestType, int status, Class<?> responseType)
        {
            return new Operation("PATCH", path, id, summary, requestType, status, responseType, null, "application/json", true, List.of());
        }

        static Operation delete(String path, String id, String summary, int status, Class<?> responseType)
        {
            return new Operation("DELETE", path, id, summary, null, status, responseType, null, "application/json", true, List.of());
        }

        Operation anonymous()
        {
            return new Operation(method, path, id, summary, requestType, status, responseType, responseItems, responseMediaType, false, queryParameters);
        }

        Operation withResponseType(String mediaType)
        {
            return new Operation(method, path, id, summary, requestType, status, responseType, responseItems, mediaType, authenticated, queryParameters);
        }

        Operation query(String name, boolean required, String description)
        {
            List<QueryParameter> parameters = new ArrayList<>(queryParameters);
            parameters.add(new QueryParameter(name, required, description));
            return new Operation(method, path, id, summary, requestType, status, responseType, responseItems, responseMediaType, authenticated, parameters);
        }

        String route()
        {
            return method + " " + path;
        }

        /** The path parameters, such as {@code reference} of {@code /api/v1/images/{reference}}. */
        List<String> pathParameters()
        {
            Matcher matcher = PATH_PARAMETER.matcher(path);
            List<String> names = new ArrayList<>();
            while (matcher.find()) {
                names.add(matcher.group(1));
            }
            return names;
        }

        private ObjectNode describe(Schemas schemas)
        {
            ObjectNode operation = NODES.objectNode();
            operation.put("operationId", id);
            operation.put("summary", summary);
            if (!authenticated) {
                operation.putArray("security");
            }
            ArrayNode parameters = NODES.arrayNode();
            for (String name : pathParameters()) {
                ObjectNode parameter = parameters.addObject().put("name", name).put("in", "path").put("required", true);
                parameter.putObject("schema").put("type", "string");
            }
            for (QueryParameter query : queryParameters) {
                ObjectNode parameter = parameters.addObject().put("name", query.name()).put("in", "query").put("required", query.required())
                        .put("description", query.description());
                parameter.putObject("schema").put("type", query.name().equals("size") ? "integer" : "string");
            }
            if (!parameters.isEmpty()) {
                operation.set("parameters", parameters);
            }
            if (requestType != null) {
                ObjectNode body = operation.putObject("requestBody").put("required", true);
                body.putObject("content").putObject("application/json").set("schema", schemas.schema(requestType, true));
            }
            else if (path.equals("/api/v1/uploads")) {
                ObjectNode body = operation.putObject("requestBody").put("required", true);
                body.putObject("content").putObject("application/zip").putObject("schema").put("type", "string").put("contentEncoding", "binary");
            }
            ObjectNode responses = operation.putObject("responses");
            ObjectNode success = responses.putObject(String.valueOf(status));
            success.put("description", responseType == null ? "Done; no body." : "Success.");
            if (responseType == List.class) {
                success.putObject("content").putObject(responseMediaType).set("schema", schemas.list(requireNonNull(responseItems, "responseItems is null")));
            }
            else if (responseType != null) {
                success.putObject("content").putObject(responseMediaType).set("schema", schemas.schema(responseType, false));
            }
            else if (!responseMediaType.equals("application/json")) {
                success.putObject("content").putObject(responseMediaType).putObject("schema").put("type", "string");
            }
            else if (id.equals("describeApi")) {
                success.putObject("content").putObject(responseMediaType).putObject("schema").put("type", "object");
            }
            for (int errorStatus : errorStatuses().keySet()) {
                responses.putObject(String.valueOf(errorStatus)).put("$ref", "#/components/responses/" + errorResponseName(errorStatus));
            }
            return operation;
        }
    }

    record QueryParameter(String name, boolean required, String description) {}

    /** The component schemas, generated from the records as they are first needed. */
    private static final class Schemas
    {
        private final Map<String, JsonNode> components = new LinkedHashMap<>();

        ObjectNode components()
        {
            ObjectNode node = NODES.objectNode();
            new TreeMap<>(components).forEach(node::set);
            return node;
        }

        /** A reference to the component of a record, generated on first use. */
        ObjectNode schema(Class<?> type, boolean request)
        {
            if (!type.isRecord()) {
                throw new IllegalArgumentException("Not a record of the API: " + type.getName());
            }
            String name = name(type);
            if (!components.containsKey(name)) {
                components.put(name, NODES.objectNode()); // placeholder: a record may refer to itself
                components.put(name, recordSchema(type, request));
            }
            return NODES.objectNode().put("$ref", "#/components/schemas/" + name);
        }

        ObjectNode list(Class<?> itemType)
        {
            String name = name(itemType) + "List";
            if (!components.containsKey(name)) {
                ObjectNode list = NODES.objectNode().put("type", "object");
                list.putObject("properties").putObject("items").put("type", "array").set("items", schema(itemType, false));
                list.putArray("required").add("items");
                list.put("additionalProperties", false);
                components.put(name, list);
            }
            return NODES.objectNode().put("$ref", "#/components/schemas/" + name);
        }

        private ObjectNode recordSchema(Class<?> type, boolean request)
        {
            ObjectNode schema = NODES.objectNode().put("type", "object");
            ObjectNode properties = schema.putObject("properties");
            ArrayNode required = NODES.arrayNode();
            for (RecordComponent component : type.getRecordComponents()) {
                boolean omittedWhenNull = omittedWhenNull(type, component);
                properties.set(component.getName(), valueSchema(component.getGenericType(), !omittedWhenNull, request));
                if (!request && !omittedWhenNull) {
                    required.add(component.getName());
                }
            }
            if (!required.isEmpty()) {
                schema.set("required", required);
            }
            schema.put("additionalProperties", false);
            return schema;
        }

        private static boolean omittedWhenNull(Class<?> type, RecordComponent component)
        {
            JsonInclude include = component.getAccessor().getAnnotation(JsonInclude.class);
            if (include == null) {
                include = type.getAnnotation(JsonInclude.class);
            }
            return include != null && include.value() != JsonInclude.Include.ALWAYS && include.value() != JsonInclude.Include.USE_DEFAULTS;
        }

        private ObjectNode valueSchema(Type type, boolean nullable, boolean request)
        {
            if (type instanceof ParameterizedType parameterized && parameterized.getRawType() == List.class) {
                ObjectNode schema = typed("array", nullable);
                schema.set("items", valueSchema(parameterized.getActualTypeArguments()[0], false, request));
                return schema;
            }
            if (type instanceof ParameterizedType parameterized && parameterized.getRawType() == Map.class) {
                ObjectNode schema = typed("object", nullable);
                schema.set("additionalProperties", valueSchema(parameterized.getActualTypeArguments()[1], false, request));
                return schema;
            }
            Class<?> raw = (Class<?>) type;
            if (raw == long.class || raw == int.class) {
                return typed("integer", false);
            }
            if (raw == boolean.class) {
                return typed("boolean", false);
            }
            if (raw == double.class) {
                return typed("number", false);
            }
            if (raw == Long.class || raw == Integer.class) {
                return typed("integer", nullable);
            }
            if (raw == Boolean.class) {
                return typed("boolean", nullable);
            }
            if (raw == String.class) {
                return typed("string", nullable);
            }
            if (raw == Instant.class) {
                return typed("string", nullable).put("format", "date-time");
            }
            if (raw.isEnum()) {
                ObjectNode schema = NODES.objectNode();
                ArrayNode values = schema.putArray("enum");
                Arrays.stream(raw.getEnumConstants()).forEach(constant -> values.add(((Enum<?>) constant).name()));
                if (nullable) {
                    values.addNull();
                }
                return schema;
            }
            if (raw.isRecord()) {
                ObjectNode reference = schema(raw, request);
                if (!nullable) {
                    return reference;
                }
                ObjectNode schema = NODES.objectNode();
                schema.putArray("anyOf").add(reference).addObject().put("type", "null");
                return schema;
            }
            throw new IllegalArgumentException("No JSON schema for " + type.getTypeName() + ": describe it in OpenApiDocument.Schemas.valueSchema");
        }

        private static ObjectNode typed(String type, boolean nullable)
        {
            ObjectNode schema = NODES.objectNode();
            if (nullable) {
                schema.putArray("type").add(type).add("null");
            }
            else {
                schema.put("type", type);
            }
            return schema;
        }

        private static String name(Class<?> type)
        {
            Class<?> enclosing = type.getEnclosingClass();
            return enclosing == null ? type.getSimpleName() : enclosing.getSimpleName() + type.getSimpleName();
        }
    }
}
