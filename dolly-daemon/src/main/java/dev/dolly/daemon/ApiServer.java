package dev.dolly.daemon;

import dev.dolly.api.CreateAccessTokenRequest;
import dev.dolly.api.CreateContainerRequest;
import dev.dolly.api.CreateImageRequest;
import dev.dolly.api.CreateRouteRequest;
import dev.dolly.api.CreateScheduleRequest;
import dev.dolly.api.CreateTeamRequest;
import dev.dolly.api.CreateUserRequest;
import dev.dolly.api.DollyException;
import dev.dolly.api.ErrorCode;
import dev.dolly.api.ErrorResponse;
import dev.dolly.api.GraduateRequest;
import dev.dolly.api.InitializeStorageRequest;
import dev.dolly.api.Json;
import dev.dolly.api.LoadRevisionRequest;
import dev.dolly.api.NextStep;
import dev.dolly.api.ResourceList;
import dev.dolly.api.UpdateContainerRequest;
import dev.dolly.api.UpdateImageRequest;
import dev.dolly.api.UpdateRouteRequest;
import dev.dolly.api.SignInRequest;
import dev.dolly.api.UpdateTeamRequest;
import dev.dolly.core.Dolly;
import dev.dolly.core.auth.Authentication;
import dev.dolly.core.auth.Caller;
import dev.dolly.core.tls.TlsIdentity;
import dev.dolly.daemon.web.WebDashboard;
import io.javalin.Javalin;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.javalin.http.HandlerType;
import io.javalin.json.JavalinJackson;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.SecureRequestCustomizer;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.SslConnectionFactory;
import org.eclipse.jetty.util.ssl.SslContextFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InputStream;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Optional;

import static java.util.Objects.requireNonNull;

/**
 * The HTTP/JSON API under {@code /api/v1}. Every call needs a valid bearer token, except signing in
 * ({@code POST /api/v1/sessions}); the services decide with the caller it belongs to what they may see and do.
 * Errors answer with the status their {@link ErrorCode} maps to and an {@link ErrorResponse} body.
 *
 * <p>Hostile or broken clients cannot hold the daemon: a JSON body is at most {@link #MAX_REQUEST_BYTES} (413 past
 * it, whether declared or sent chunked; uploads stream and are bounded by the size they declare), a connection with
 * nothing moving for {@link #IDLE_TIMEOUT} is closed, and a body (JSON or upload) that arrives slower than
 * {@link MinimumRateInputStream#MINIMUM_BYTES_PER_SECOND} on average once {@link MinimumRateInputStream#GRACE} has
 * passed (a byte a second) is cut off with 408.
 */
final class ApiServer
{
    private static final Logger LOG = LoggerFactory.getLogger(ApiServer.class);
    private static final String AUTHENTICATION = "dolly.authentication";
    private static final String SIGN_IN_PATH = "/api/v1/sessions";
    private static final String REQUEST_STARTED = "dolly.requestStarted";
    private static final String ERROR_CODE = "dolly.errorCode";
    static final int MAX_REQUEST_BYTES = 1_000_000;
    static final Duration IDLE_TIMEOUT = Duration.ofSeconds(30);

    private final DaemonServices services;
    private final Runnable shutdown;
    private final DaemonMetrics metrics;
    private final String openApiDocument;
    private Javalin javalin;

    ApiServer(DaemonServices services, Runnable shutdown)
    {
        this.services = requireNonNull(services, "services is null");
        this.shutdown = requireNonNull(shutdown, "shutdown is null");
        this.metrics = new DaemonMetrics(services::current);
        this.openApiDocument = OpenApiDocument.document(Dolly.version()).toPrettyString();
    }

    private Dolly dolly()
    {
        return services.current();
    }

    /** Starts listening, with HTTPS when a TLS identity is given; returns the port. */
    int start(String host, int port, Optional<TlsIdentity> tls)
    {
        javalin = Javalin.create(config -> {
            tls.ifPresent(identity -> config.jetty.addConnector((server, httpConfiguration) -> {
                // Jetty's own TLS, with a key store built in memory from the PEM files (see TlsIdentity): no extra library
                String password = newPassword();
                SslContextFactory.Server ssl = new SslContextFactory.Server();
                ssl.setKeyStore(identity.keyStore(password.toCharArray()));
                ssl.setKeyStorePassword(password);
                SecureRequestCustomizer secure = new SecureRequestCustomizer();
                // one certificate for every name: clients that connect by IP address send no SNI
                secure.setSniHostCheck(false);
                httpConfiguration.addCustomizer(secure);
                ServerConnector connector = new ServerConnector(server, new SslConnectionFactory(ssl, "http/1.1"), new HttpConnectionFactory(httpConfiguration));
                connector.setHost(host);
                connector.setPort(port);
                connector.setIdleTimeout(IDLE_TIMEOUT.toMillis());
                return connector;
            }));
            if (tls.isEmpty()) {
                config.jetty.addConnector((server, httpConfiguration) -> {
                    ServerConnector connector = new ServerConnector(server, new HttpConnectionFactory(httpConfiguration));
                    connector.setHost(host);
                    connector.setPort(port);
                    connector.setIdleTimeout(IDLE_TIMEOUT.toMillis());
                    return connector;
                });
            }
            config.jetty.modifyHttpConfiguration(httpConfiguration -> httpConfiguration.setIdleTimeout(IDLE_TIMEOUT.toMillis()));
            config.http.maxRequestSize = MAX_REQUEST_BYTES;
            config.startup.showJavalinBanner = false;
            config.jsonMapper(new JavalinJackson(Json.json(), false));
            config.http.defaultContentType = "application/json";
            config.concurrency.useVirtualThreads = false;
            routes(config.routes);
        });
        // our connector carries the host, port and timeouts; Javalin adds its plain one only when there is none
        javalin.start();
        return javalin.port();
    }

    private void routes(RoutesConfig routes)
    {
        routes.before(context -> context.attribute(REQUEST_STARTED, System.nanoTime()));
        routes.before("/api/*", this::authenticate);
        routes.after(this::recordRequest);
        routes.exception(DollyException.class, (exception, context) -> fail(context, exception.errorCode(), exception.getMessage(), exception.nextStep().orElse(null)));
        routes.exception(Exception.class, (exception, context) -> {
            Optional<String> catalogFailure = catalogStorageFailure(exception);
            if (catalogFailure.isPresent()) {
                LOG.warn("Request {} {} could not use the catalog: {}", context.method(), context.path(), catalogFailure.get(), exception);
                fail(context, ErrorCode.STORAGE_FAILED, "The catalog could not be read or written (" + catalogFailure.get() + "): the file system of the "
                        + "daemon's home is probably full. Free some space there, then repeat the request; the catalog itself is kept intact.", null);
                return;
            }
            LOG.error("Request {} {} failed", context.method(), context.path(), exception);
            fail(context, ErrorCode.INTERNAL_ERROR, "Internal error: " + exception + ". The daemon log has the details.", null);
        });
        routes.error(404, context -> {
            // routes that answer 404 themselves carry an ErrorResponse; only unknown paths get this one
            String result = context.result();
            if ((result == null || !result.contains("\"code\"")) && !String.valueOf(context.res().getContentType()).startsWith("text/html")) {
                context.json(new ErrorResponse(ErrorCode.NOT_FOUND, "No such API path: " + context.method() + " " + context.path()));
            }
        });

        routes.get(OpenApiDocument.PATH, context -> context.contentType("application/json").result(openApiDocument));
        routes.get(DaemonMetrics.PATH, context -> {
            // Prometheus scrapes with an administrator's access token
            authenticate(context);
            caller(context).checkAdministrator("read the metrics");
            context.contentType("text/plain; version=0.0.4; charset=utf-8").result(metrics.scrape());
        });

        routes.get("/api/v1/info", context -> context.json(dolly().info()));

        routes.post(SIGN_IN_PATH, context -> context.status(201).json(dolly().accessTokens().signIn(body(context, SignInRequest.class), context.ip())));
        routes.get("/api/v1/sessions/current", context -> context.json(dolly().accessTokens().describe(authentication(context))));
        routes.delete("/api/v1/sessions/current", context -> {
            dolly().accessTokens().signOut(authentication(context));
            context.status(204);
        });

        routes.get("/api/v1/users", context -> context.json(new ResourceList<>(dolly().users().list(caller(context)))));
        routes.post("/api/v1/users", context -> context.status(201).json(dolly().users().create(caller(context), body(context, CreateUserRequest.class))));
        routes.delete("/api/v1/users/{name}", context -> context.json(dolly().users().delete(caller(context), context.pathParam("name"))));
        routes.get("/api/v1/teams", context -> context.json(new ResourceList<>(dolly().users().listTeams(caller(context)))));
        routes.post("/api/v1/teams", context -> context.status(201).json(dolly().users().createTeam(caller(context), body(context, CreateTeamRequest.class))));
        routes.post("/api/v1/teams/{team}/members",
                context -> context.json(dolly().users().updateTeam(caller(context), context.pathParam("team"), body(context, UpdateTeamRequest.class))));

        routes.get("/api/v1/access-tokens", context -> context.json(new ResourceList<>(dolly().accessTokens().list(caller(context)))));
        routes.post("/api/v1/access-tokens",
                context -> context.status(201).json(dolly().accessTokens().create(caller(context), body(context, CreateAccessTokenRequest.class))));
        routes.delete("/api/v1/access-tokens/{id}", context -> context.json(dolly().accessTokens().delete(caller(context), context.pathParam("id"))));

        routes.get("/api/v1/images", context -> context.json(new ResourceList<>(dolly().images().list(caller(context), context.queryParam("name"), context.queryParam("tag")))));
        routes.post("/api/v1/images", context -> {
            CreateImageRequest request = body(context, CreateImageRequest.class);
            context.status(202).json(dolly().images().create(request, caller(context), authentication(context).isLocalAdministrator()));
        });
        routes.post("/api/v1/uploads", context -> {
            // streamed: the body is extracted as it arrives, never held in memory
            long size = declaredSize(context.queryParam("size"));
            context.status(201).json(dolly().uploads().receive(new MinimumRateInputStream(context.bodyInputStream()), size, caller(context).name()));
        });
        routes.get("/api/v1/images/{reference}", context -> context.json(dolly().images().get(context.pathParam("reference"), caller(context))));
        routes.delete("/api/v1/images/{reference}", context -> context.json(dolly().images().delete(context.pathParam("reference"), caller(context))));
        routes.patch("/api/v1/images/{reference}", context -> {
            UpdateImageRequest request = body(context, UpdateImageRequest.class);
            context.json(dolly().images().update(context.pathParam("reference"), request, caller(context)));
        });

        routes.get("/api/v1/schedules", context -> context.json(new ResourceList<>(dolly().schedules().list(caller(context)))));
        routes.post("/api/v1/schedules", context -> {
            CreateScheduleRequest request = body(context, CreateScheduleRequest.class);
            context.status(201).json(dolly().schedules().create(request, caller(context), authentication(context).isLocalAdministrator()));
        });
        routes.get("/api/v1/schedules/{name}", context -> context.json(dolly().schedules().get(context.pathParam("name"), caller(context))));
        routes.delete("/api/v1/schedules/{name}", context -> context.json(dolly().schedules().delete(context.pathParam("name"), caller(context))));
        routes.post("/api/v1/schedules/{name}/run", context -> context.status(202).json(dolly().schedules().run(context.pathParam("name"), caller(context))));

        routes.get("/api/v1/containers", context -> context.json(new ResourceList<>(dolly().containers().list(caller(context), context.queryParam("image")))));
        routes.post("/api/v1/containers", context -> {
            CreateContainerRequest request = body(context, CreateContainerRequest.class);
            context.status(201).json(dolly().containers().create(request, caller(context)));
        });
        routes.get("/api/v1/containers/{reference}", context -> context.json(dolly().containers().get(context.pathParam("reference"), caller(context))));
        routes.delete("/api/v1/containers/{reference}", context -> context.json(dolly().containers().delete(context.pathParam("reference"), caller(context))));
        routes.patch("/api/v1/containers/{reference}", context -> {
            UpdateContainerRequest request = body(context, UpdateContainerRequest.class);
            context.json(dolly().containers().update(context.pathParam("reference"), request, caller(context)));
        });

        routes.get("/api/v1/containers/{reference}/revisions",
                context -> context.json(new ResourceList<>(dolly().revisions().list(context.pathParam("reference"), caller(context)))));
        routes.post("/api/v1/containers/{reference}/revisions",
                context -> context.status(201).json(dolly().revisions().save(context.pathParam("reference"), caller(context))));
        routes.delete("/api/v1/containers/{reference}/revisions/{revision}",
                context -> context.json(dolly().revisions().delete(context.pathParam("reference"), context.pathParam("revision"), caller(context))));
        routes.post("/api/v1/containers/{reference}/load", context -> {
            LoadRevisionRequest request = body(context, LoadRevisionRequest.class);
            context.json(dolly().revisions().load(context.pathParam("reference"), request.revision(), caller(context)));
        });
        routes.post("/api/v1/containers/{reference}/reset", context -> context.json(dolly().revisions().reset(context.pathParam("reference"), caller(context))));
        routes.post("/api/v1/containers/{reference}/start", context -> context.json(dolly().containers().start(context.pathParam("reference"), caller(context))));
        routes.post("/api/v1/containers/{reference}/stop", context -> context.json(dolly().containers().stop(context.pathParam("reference"), caller(context))));
        routes.post("/api/v1/containers/{reference}/graduate", context -> {
            GraduateRequest request = body(context, GraduateRequest.class);
            context.status(201).json(dolly().revisions().graduate(context.pathParam("reference"), request, caller(context)));
        });

        routes.get("/api/v1/routes", context -> context.json(new ResourceList<>(dolly().routes().list(caller(context)))));
        routes.post("/api/v1/routes", context -> context.status(201).json(dolly().routes().create(body(context, CreateRouteRequest.class), caller(context))));
        routes.get("/api/v1/routes/{reference}", context -> context.json(dolly().routes().get(context.pathParam("reference"), caller(context))));
        // synchronous: connections the route accepts once this is answered go to the new container
        routes.patch("/api/v1/routes/{reference}",
                context -> context.json(dolly().routes().update(context.pathParam("reference"), body(context, UpdateRouteRequest.class), caller(context))));
        routes.delete("/api/v1/routes/{reference}", context -> context.json(dolly().routes().delete(context.pathParam("reference"), caller(context))));

        routes.post("/api/v1/storage", context -> {
            caller(context).checkAdministrator("move the storage");
            InitializeStorageRequest request = body(context, InitializeStorageRequest.class);
            context.json(services.initializeStorage(request));
        });

        routes.post("/api/v1/daemon/shutdown", context -> {
            caller(context).checkAdministrator("stop the daemon");
            context.status(202);
            Thread.ofPlatform().name("shutdown").start(shutdown);
        });

        new WebDashboard(this::dolly).register(routes);
    }

    void stop()
    {
        if (javalin != null) {
            javalin.stop();
        }
    }

    private static String newPassword()
    {
        byte[] bytes = new byte[24];
        new SecureRandom().nextBytes(bytes);
        return Base64.getEncoder().encodeToString(bytes);
    }

    private void authenticate(Context context)
    {
        if ((context.path().equals(SIGN_IN_PATH) && context.method().equals(HandlerType.POST))
                || (context.path().equals(OpenApiDocument.PATH) && context.method().equals(HandlerType.GET))) {
            return;
        }
        String token = bearerToken(context);
        Authentication authentication = dolly().accessTokens().authenticate(token).orElseThrow(() -> token == null
                ? new DollyException(ErrorCode.NOT_AUTHENTICATED, "This call needs an access token.", NextStep.of(NextStep.Kind.SIGN_IN))
                : new DollyException(ErrorCode.NOT_AUTHENTICATED, "The access token is not valid (unknown, revoked or expired).", NextStep.of(NextStep.Kind.SIGN_IN_AGAIN)));
        context.attribute(AUTHENTICATION, authentication);
    }

    /**
     * SQLite's own report when the catalog's file system is full: a write that does not fit ({@code SQLITE_FULL}), or
     * a read that cannot grow the write-ahead log's index ({@code SQLITE_IOERR_SHMSIZE}, "disk I/O error"). SQLite
     * rolls the statement back, so the catalog stays as it was.
     */
    private static Optional<String> catalogStorageFailure(Throwable exception)
    {
        for (Throwable cause = exception; cause != null; cause = cause.getCause()) {
            String message = String.valueOf(cause.getMessage());
            if (cause.getClass().getName().equals("org.sqlite.SQLiteException")
                    && (message.contains("SQLITE_FULL") || message.contains("SQLITE_IOERR") || message.contains("disk I/O error"))) {
                return Optional.of(message);
            }
        }
        return Optional.empty();
    }

    private static long declaredSize(String text)
    {
        try {
            long size = Long.parseLong(text == null ? "" : text);
            if (size >= 0) {
                return size;
            }
        }
        catch (NumberFormatException e) {
            // refused below
        }
        throw DollyException.badInput("An upload must declare the total size of its files: POST /api/v1/uploads?size=BYTES.");
    }

    private static String bearerToken(Context context)
    {
        String header = context.header("Authorization");
        return header != null && header.regionMatches(true, 0, "Bearer ", 0, 7) ? header.substring(7).strip() : null;
    }

    private static Authentication authentication(Context context)
    {
        return requireNonNull(context.attribute(AUTHENTICATION), "authentication is null");
    }

    private static Caller caller(Context context)
    {
        return authentication(context).caller();
    }

    /**
     * Reads a JSON body of at most {@link #MAX_REQUEST_BYTES}, refusing a longer one (declared or sent) as soon as it
     * is known to be longer, and one that trickles in.
     */
    private static <T> T body(Context context, Class<T> type)
    {
        if (context.contentLength() > MAX_REQUEST_BYTES) {
            throw tooLarge();
        }
        byte[] bytes;
        try (InputStream input = new MinimumRateInputStream(context.bodyInputStream())) {
            bytes = input.readNBytes(MAX_REQUEST_BYTES + 1);
        }
        catch (MinimumRateInputStream.TooSlowException e) {
            throw new DollyException(ErrorCode.REQUEST_TOO_SLOW, e.getMessage());
        }
        catch (IOException e) {
            throw DollyException.badInput("The request body could not be read: " + e.getMessage());
        }
        if (bytes.length > MAX_REQUEST_BYTES) {
            throw tooLarge();
        }
        try {
            return Json.json().readValue(bytes, type);
        }
        catch (IOException e) {
            throw DollyException.badInput("The request body is not a valid " + type.getSimpleName() + ": " + e.getMessage());
        }
    }

    private static DollyException tooLarge()
    {
        return new DollyException(ErrorCode.TOO_LARGE, "The request body is larger than " + MAX_REQUEST_BYTES + " bytes, the most the daemon reads for a request "
                + "(files for an image build go in an upload: POST /api/v1/uploads).");
    }

    /** Counts and times every request once it is answered, errors included. */
    private void recordRequest(Context context)
    {
        Long started = context.attribute(REQUEST_STARTED);
        Duration duration = started == null ? Duration.ZERO : Duration.ofNanos(System.nanoTime() - started);
        metrics.recordRequest(context.method().name(), context.path(), context.statusCode(), Optional.ofNullable(context.attribute(ERROR_CODE)), duration);
    }

    /** The routes Javalin holds, as {@code METHOD /path}: for the test that every one of them is described. */
    List<String> registeredRoutes()
    {
        return javalin.unsafe.internalRouter.allHttpHandlers().stream()
                .map(handler -> handler.endpoint)
                .filter(endpoint -> endpoint.method.isHttpMethod())
                .map(endpoint -> endpoint.method.name() + " " + endpoint.path)
                .toList();
    }

    private static void fail(Context context, ErrorCode code, String message, NextStep nextStep)
    {
        context.attribute(ERROR_CODE, code);
        context.status(code.httpStatus()).json(new ErrorResponse(code, message, nextStep));
    }
}
