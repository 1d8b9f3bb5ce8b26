package dev.dolly.api.client;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.JsonNode;
import dev.dolly.api.AccessToken;
import dev.dolly.api.CreateAccessTokenRequest;
import dev.dolly.api.CreateContainerRequest;
import dev.dolly.api.CreateRouteRequest;
import dev.dolly.api.Route;
import dev.dolly.api.UpdateRouteRequest;
import dev.dolly.api.CreateImageRequest;
import dev.dolly.api.CreateScheduleRequest;
import dev.dolly.api.CreateTeamRequest;
import dev.dolly.api.CreateUserRequest;
import dev.dolly.api.DaemonAddress;
import dev.dolly.api.DataContainer;
import dev.dolly.api.DataImage;
import dev.dolly.api.DollyException;
import dev.dolly.api.ErrorCode;
import dev.dolly.api.ErrorResponse;
import dev.dolly.api.GraduateRequest;
import dev.dolly.api.InitializeStorageRequest;
import dev.dolly.api.Json;
import dev.dolly.api.LoadRevisionRequest;
import dev.dolly.api.NewAccessToken;
import dev.dolly.api.NextStep;
import dev.dolly.api.ResourceList;
import dev.dolly.api.Revision;
import dev.dolly.api.Schedule;
import dev.dolly.api.ServerInfo;
import dev.dolly.api.UpdateContainerRequest;
import dev.dolly.api.UpdateImageRequest;
import dev.dolly.api.Session;
import dev.dolly.api.SessionToken;
import dev.dolly.api.SignInRequest;
import dev.dolly.api.Team;
import dev.dolly.api.UpdateTeamRequest;
import dev.dolly.api.User;
import dev.dolly.api.Upload;

import javax.net.ssl.HttpsURLConnection;
import javax.net.ssl.SSLException;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.HttpURLConnection;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.CertificateException;
import java.time.Duration;
import java.util.List;
import java.util.function.Function;
import java.util.function.LongConsumer;
import java.util.function.Supplier;
import java.util.zip.Deflater;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;


import static java.util.Objects.requireNonNull;

/**
 * Calls the daemon's HTTP API ({@code /api/v1}). Every failure surfaces as a {@link DollyException} with the code
 * the daemon sent, or {@link ErrorCode#DAEMON_UNREACHABLE} when nothing answers.
 */
public final class DollyClient
{
    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);
    private static final Duration REQUEST_TIMEOUT = Duration.ofMinutes(10);

    private static final int UPLOAD_CHUNK_BYTES = 1 << 16;

    private final URI server;
    private final String accessToken;
    private final ServerTrust trust;
    private final Supplier<DollyClient> reconnect;

    /** A client that trusts HTTPS servers whose certificates the JDK's trust store vouches for. */
    public DollyClient(URI server, String accessToken)
    {
        this(server, accessToken, ServerTrust.jdk());
    }

    public DollyClient(URI server, String accessToken, ServerTrust trust)
    {
        this(server, accessToken, trust, null);
    }

    private DollyClient(URI server, String accessToken, ServerTrust trust, Supplier<DollyClient> reconnect)
    {
        this.reconnect = reconnect;
        this.server = requireNonNull(server, "server is null");
        this.accessToken = requireNonNull(accessToken, "accessToken is null");
        this.trust = requireNonNull(trust, "trust is null");
    }

    /**
     * A client of the local daemon {@code daemon.json} names: a daemon serving https wrote its certificate there, and
     * exactly that one is trusted.
     */
    public static DollyClient of(DaemonAddress address, String accessToken)
    {
        ServerTrust trust = address.certificate() == null ? ServerTrust.jdk() : ServerTrust.pinned(address.certificate());
        return new DollyClient(URI.create(address.url()), accessToken, trust);
    }

    /**
     * This client, but when nothing answers at the server's address (a daemon that has stopped, or another process
     * with its old process id), it gets another client from {@code reconnect} and sends the request there, once. A
     * refused connection means the request was never sent, so this is safe for every request.
     */
    public DollyClient withReconnect(Supplier<DollyClient> reconnect)
    {
        return new DollyClient(server, accessToken, trust, requireNonNull(reconnect, "reconnect is null"));
    }

    public URI server()
    {
        return server;
    }

    public ServerInfo info()
    {
        return send("GET", "info", null, ServerInfo.class);
    }

    public List<DataImage> listImages()
    {
        return sendList("images", DataImage.class);
    }

    /**
     * @param name only images of this name, or {@code null}
     * @param tag only images that hold this tag, or {@code null}
     */
    public List<DataImage> listImages(String name, String tag)
    {
        return sendList("images" + query("name", name, "tag", tag), DataImage.class);
    }

    /** Changes an image's tags, teams, name or lifetime; answers the image as it is now. */
    public DataImage updateImage(String reference, UpdateImageRequest request)
    {
        return send("PATCH", "images/" + encode(reference), requireNonNull(request, "request is null"), DataImage.class);
    }

    public DataImage getImage(String reference)
    {
        return send("GET", "images/" + encode(reference), null, DataImage.class);
    }

    /** Starts building an image; the answer is {@link dev.dolly.api.ResourceStatus#PENDING} until it is done. */
    public DataImage createImage(CreateImageRequest request)
    {
        return send("POST", "images", request, DataImage.class);
    }

    /**
     * Sends files to the daemon as one ZIP stream, for an image build to name ({@link CreateImageRequest#upload()}).
     *
     * @param files each file's name in the upload (relative, with {@code /}) and where it is here
     * @param progress told the bytes of files sent so far, now and then
     */
    public Upload upload(List<UploadFile> files, LongConsumer progress)
    {
        requireNonNull(files, "files is null");
        requireNonNull(progress, "progress is null");
        long total = 0;
        for (UploadFile file : files) {
            try {
                total += Files.size(file.path());
            }
            catch (IOException e) {
                throw DollyException.badInput("Cannot read " + file.path() + ": " + e.getMessage());
            }
        }
        return exchange("POST", "uploads?size=" + total, connection -> {
            connection.setDoOutput(true);
            connection.setRequestProperty("Content-Type", "application/zip");
            connection.setChunkedStreamingMode(UPLOAD_CHUNK_BYTES);
        }, connection -> writeZip(connection.getOutputStream(), files, progress), Json.json().getTypeFactory().constructType(Upload.class));
    }

    /**
     * A file to upload.
     *
     * @param name its path in the upload, relative, with {@code /} between names
     */
    public record UploadFile(String name, Path path)
    {
        public UploadFile
        {
            requireNonNull(name, "name is null");
            requireNonNull(path, "path is null");
        }
    }

    private static void writeZip(OutputStream output, List<UploadFile> files, LongConsumer progress)
            throws IOException
    {
        long sent = 0;
        byte[] buffer = new byte[UPLOAD_CHUNK_BYTES];
        // the deflater writes in small pieces: gather them into chunks before they reach the connection
        try (ZipOutputStream zip = new ZipOutputStream(new BufferedOutputStream(output, UPLOAD_CHUNK_BYTES))) {
            for (UploadFile file : files) {
                // SQL text compresses well at the fastest level; compressed dumps (pg_dump -Fc) only slow it down
                zip.setLevel(compresses(file.path()) ? Deflater.BEST_SPEED : Deflater.NO_COMPRESSION);
                zip.putNextEntry(new ZipEntry(file.name()));
                try (InputStream input = Files.newInputStream(file.path())) {
                    int read;
                    while ((read = input.read(buffer)) > 0) {
                        zip.write(buffer, 0, read);
                        sent += read;
                        progress.accept(sent);
                    }
                }
                zip.closeEntry();
            }
        }
    }

    /** Whether the start of a file shrinks by a tenth or more at the fastest level. */
    private static boolean compresses(Path file)
            throws IOException
    {
        byte[] sample = new byte[1 << 18];
        int length;
        try (InputStream input = Files.newInputStream(file)) {
            length = input.readNBytes(sample, 0, sample.length);
        }
        if (length < 4096) {
            return true;
        }
        Deflater deflater = new Deflater(Deflater.BEST_SPEED);
        try {
            deflater.setInput(sample, 0, length);
            deflater.finish();
            byte[] output = new byte[length + 1024];
            int compressed = 0;
            while (!deflater.finished()) {
                compressed += deflater.deflate(output, compressed, output.length - compressed);
            }
            return compressed < length * 0.9;
        }
        finally {
            deflater.end();
        }
    }

    public DataImage deleteImage(String reference)
    {
        return send("DELETE", "images/" + encode(reference), null, DataImage.class);
    }

    public List<DataContainer> listContainers()
    {
        return sendList("containers", DataContainer.class);
    }

    /** @param image only containers of this image (an ID, {@code name:tag}, or a name: every image of it), or {@code null} */
    public List<DataContainer> listContainers(String image)
    {
        return sendList("containers" + query("image", image, null, null), DataContainer.class);
    }

    /** Renames a container or sets its lifetime; answers the container as it is now. */
    public DataContainer updateContainer(String reference, UpdateContainerRequest request)
    {
        return send("PATCH", "containers/" + encode(reference), requireNonNull(request, "request is null"), DataContainer.class);
    }

    public DataContainer getContainer(String reference)
    {
        return send("GET", "containers/" + encode(reference), null, DataContainer.class);
    }

    public DataContainer createContainer(CreateContainerRequest request)
    {
        return send("POST", "containers", request, DataContainer.class);
    }

    public DataContainer deleteContainer(String reference)
    {
        return send("DELETE", "containers/" + encode(reference), null, DataContainer.class);
    }

    public List<Schedule> listSchedules()
    {
        return sendList("schedules", Schedule.class);
    }

    public Schedule getSchedule(String name)
    {
        return send("GET", "schedules/" + encode(name), null, Schedule.class);
    }

    /** Records a scheduled build; its files are an upload's ({@link #upload}) or, for the local administrator, a directory of the daemon's machine. */
    public Schedule createSchedule(CreateScheduleRequest request)
    {
        return send("POST", "schedules", requireNonNull(request, "request is null"), Schedule.class);
    }

    /** Starts a run of the schedule now; answers the schedule, whose running image is the one being built. */
    public Schedule runSchedule(String name)
    {
        return send("POST", "schedules/" + encode(name) + "/run", null, Schedule.class);
    }

    public Schedule deleteSchedule(String name)
    {
        return send("DELETE", "schedules/" + encode(name), null, Schedule.class);
    }

    /** Saves the container's state as a new revision, and answers it. */
    public Revision saveRevision(String container)
    {
        return send("POST", "containers/" + encode(container) + "/revisions", null, Revision.class);
    }

    /** The container's revisions: {@code rev.0} (its image) first. */
    public List<Revision> listRevisions(String container)
    {
        return sendList("containers/" + encode(container) + "/revisions", Revision.class);
    }

    /** Brings the container to a revision; its connection details stay the same. */
    public DataContainer loadRevision(String container, String revision)
    {
        return send("POST", "containers/" + encode(container) + "/load", new LoadRevisionRequest(revision), DataContainer.class);
    }

    /** Brings the container back to the revision it is on, dropping what changed since. */
    public DataContainer reset(String container)
    {
        return send("POST", "containers/" + encode(container) + "/reset", null, DataContainer.class);
    }

    /** Starts a stopped container's server (a running one is left as it is). */
    public DataContainer startContainer(String container)
    {
        return send("POST", "containers/" + encode(container) + "/start", null, DataContainer.class);
    }

    /** Stops a container's server cleanly, keeping its data; the next connection to its port starts it again. */
    public DataContainer stopContainer(String container)
    {
        return send("POST", "containers/" + encode(container) + "/stop", null, DataContainer.class);
    }

    /** Makes a new image, ready at once, from a revision of the container. */
    public DataImage graduate(String container, GraduateRequest request)
    {
        return send("POST", "containers/" + encode(container) + "/graduate", request, DataImage.class);
    }

    public Revision deleteRevision(String container, String revision)
    {
        return send("DELETE", "containers/" + encode(container) + "/revisions/" + encode(revision), null, Revision.class);
    }

    /** Creates and mounts a loop-backed copy-on-write file system for the daemon's storage; answers the new info. */
    public List<Route> listRoutes()
    {
        return sendList("routes", Route.class);
    }

    public Route getRoute(String reference)
    {
        return send("GET", "routes/" + encode(reference), null, Route.class);
    }

    public Route createRoute(CreateRouteRequest request)
    {
        return send("POST", "routes", requireNonNull(request, "request is null"), Route.class);
    }

    /** Points a route at another container; connections made once this returns go there. */
    public Route updateRoute(String reference, UpdateRouteRequest request)
    {
        return send("PATCH", "routes/" + encode(reference), requireNonNull(request, "request is null"), Route.class);
    }

    public Route deleteRoute(String reference)
    {
        return send("DELETE", "routes/" + encode(reference), null, Route.class);
    }

    public ServerInfo initializeStorage(InitializeStorageRequest request)
    {
        return send("POST", "storage", request, ServerInfo.class);
    }

    /**
     * Signs in with a user name and password, for a session token. The one call that needs no token: a client made
     * with an empty token sends none.
     */
    public SessionToken signIn(SignInRequest request)
    {
        return send("POST", "sessions", request, SessionToken.class);
    }

    /** Who the daemon takes this client's token for, and when the token expires. */
    public Session currentSession()
    {
        return send("GET", "sessions/current", null, Session.class);
    }

    /** Revokes the token this client uses: it stops working at once. */
    public void signOut()
    {
        send("DELETE", "sessions/current", null, Void.class);
    }

    public List<User> listUsers()
    {
        return sendList("users", User.class);
    }

    public User createUser(CreateUserRequest request)
    {
        return send("POST", "users", request, User.class);
    }

    public User deleteUser(String name)
    {
        return send("DELETE", "users/" + encode(name), null, User.class);
    }

    public List<Team> listTeams()
    {
        return sendList("teams", Team.class);
    }

    public Team createTeam(CreateTeamRequest request)
    {
        return send("POST", "teams", request, Team.class);
    }

    /** Adds and removes members (HttpURLConnection knows no PATCH, hence a POST to the team's members). */
    public Team updateTeam(String team, UpdateTeamRequest request)
    {
        return send("POST", "teams/" + encode(team) + "/members", request, Team.class);
    }

    /** The caller's own access tokens. */
    public List<AccessToken> listAccessTokens()
    {
        return sendList("access-tokens", AccessToken.class);
    }

    public NewAccessToken createAccessToken(CreateAccessTokenRequest request)
    {
        return send("POST", "access-tokens", request, NewAccessToken.class);
    }

    public AccessToken deleteAccessToken(String id)
    {
        return send("DELETE", "access-tokens/" + encode(id), null, AccessToken.class);
    }

    /** Asks the daemon to stop its engines cleanly and exit. */
    public void shutdown()
    {
        send("POST", "daemon/shutdown", null, Void.class);
    }

    private <T> List<T> sendList(String path, Class<T> itemType)
    {
        JavaType type = Json.json().getTypeFactory().constructParametricType(ResourceList.class, itemType);
        ResourceList<T> list = send("GET", path, null, type);
        return list.items();
    }

    private <T> T send(String method, String path, Object body, Class<T> responseType)
    {
        return send(method, path, body, Json.json().getTypeFactory().constructType(responseType));
    }

    @SuppressWarnings("TypeParameterUnusedInFormals") // T is the type the JavaType describes
    private <T> T send(String method, String path, Object body, JavaType responseType)
    {
        if (method.equals("PATCH")) {
            return sendWithHttpClient(method, path, body, responseType);
        }
        byte[] bytes;
        try {
            bytes = body == null ? null : Json.json().writeValueAsBytes(body);
        }
        catch (IOException e) {
            throw new IllegalArgumentException("Cannot write the request as JSON", e);
        }
        return exchange(method, path, connection -> {
            if (bytes != null) {
                connection.setDoOutput(true);
                connection.setRequestProperty("Content-Type", "application/json");
                // not in streaming mode: there, an answer of 401 (a wrong password, a revoked token) hides its body
            }
        }, connection -> {
            if (bytes != null) {
                try (OutputStream output = connection.getOutputStream()) {
                    output.write(bytes);
                }
            }
        }, responseType);
    }

    private interface ConnectionStep
    {
        void apply(HttpURLConnection connection)
                throws IOException;
    }

    @SuppressWarnings("TypeParameterUnusedInFormals") // T is the type the JavaType describes
    private <T> T exchange(String method, String path, ConnectionStep prepare, ConnectionStep write, JavaType responseType)
    {
        // HttpURLConnection rather than java.net.http: for one request per command it starts several times faster
        // (no selector thread, no TLS set-up for plain HTTP), and every CLI command pays for that start.
        HttpURLConnection connection = null;
        boolean connected = false;
        try {
            connection = (HttpURLConnection) server.resolve("/api/v1/" + path).toURL().openConnection();
            if (connection instanceof HttpsURLConnection https) {
                trust.configure(https);
            }
            connection.setConnectTimeout((int) CONNECT_TIMEOUT.toMillis());
            connection.setReadTimeout((int) REQUEST_TIMEOUT.toMillis());
            connection.setRequestMethod(method);
            if (!accessToken.isEmpty()) {
                connection.setRequestProperty("Authorization", "Bearer " + accessToken);
            }
            connection.setRequestProperty("Accept", "application/json");
            connection.setUseCaches(false);
            prepare.apply(connection);
            connection.connect();
            connected = true;
            try {
                write.apply(connection);
            }
            catch (IOException writeFailure) {
                // the daemon may have refused the request before reading all of it: its answer says why
                DollyException refusal = refusal(connection);
                if (refusal != null) {
                    throw refusal;
                }
                throw writeFailure;
            }
            int status = connection.getResponseCode();
            byte[] answer;
            try (InputStream input = status / 100 == 2 ? connection.getInputStream() : connection.getErrorStream()) {
                answer = input == null ? new byte[0] : input.readAllBytes();
            }
            if (status / 100 != 2) {
                throw toException(status, answer);
            }
            if (responseType.getRawClass() == Void.class || answer.length == 0) {
                return null;
            }
            return Json.json().readValue(answer, responseType);
        }
        catch (IOException e) {
            return failed(e, connected, client -> client.exchange(method, path, prepare, write, responseType));
        }
        finally {
            if (connection != null) {
                connection.disconnect();
            }
        }
    }

    /** HttpURLConnection knows no PATCH: the few requests that use it go through java.net.http. */
    @SuppressWarnings("TypeParameterUnusedInFormals") // T is the type the JavaType describes
    private <T> T sendWithHttpClient(String method, String path, Object body, JavaType responseType)
    {
        HttpRequest request;
        try {
            HttpRequest.Builder requestBuilder = HttpRequest.newBuilder(server.resolve("/api/v1/" + path))
                    .timeout(REQUEST_TIMEOUT)
                    .header("Accept", "application/json")
                    .header("Content-Type", "application/json")
                    .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(Json.json().writeValueAsBytes(body)));
            if (!accessToken.isEmpty()) {
                requestBuilder.header("Authorization", "Bearer " + accessToken);
            }
            request = requestBuilder.build();
        }
        catch (IOException e) {
            throw new DollyException(ErrorCode.INTERNAL_ERROR, "Cannot write the request: " + e.getMessage(), e);
        }
        HttpClient.Builder builder = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(CONNECT_TIMEOUT);
        trust.configure(builder);
        try (HttpClient client = builder.build()) {
            HttpResponse<byte[]> response = client.send(request, HttpResponse.BodyHandlers.ofByteArray());
            if (response.statusCode() / 100 != 2) {
                throw toException(response.statusCode(), response.body());
            }
            if (responseType.getRawClass() == Void.class || response.body().length == 0) {
                return null;
            }
            return Json.json().readValue(response.body(), responseType);
        }
        catch (IOException e) {
            // a connection that failed or timed out while being opened carried no request
            boolean sent = !(e instanceof ConnectException || e instanceof HttpConnectTimeoutException);
            return failed(e, sent, client -> client.sendWithHttpClient(method, path, body, responseType));
        }
        catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new DollyException(ErrorCode.OPERATION_FAILED, "Interrupted while waiting for the daemon at " + server, e);
        }
    }

    /**
     * What a request that failed with {@code exception} comes to, for both ways of sending one: when it was never
     * sent (nothing answers at the address), the same request through {@link #withReconnect reconnect}'s client,
     * else a {@link DollyException} that says what went wrong.
     */
    private <T> T failed(IOException exception, boolean sent, Function<DollyClient, T> retry)
    {
        if (exception instanceof SSLException || String.valueOf(exception.getMessage()).startsWith("HTTPS hostname wrong")) {
            throw tlsFailure(exception);
        }
        boolean timedOut = exception instanceof SocketTimeoutException || exception instanceof HttpTimeoutException;
        if (!sent && (exception instanceof ConnectException || timedOut)) {
            if (reconnect != null) {
                return retry.apply(reconnect.get());
            }
            throw new DollyException(ErrorCode.DAEMON_UNREACHABLE,
                    "No Dolly daemon answers at " + server + ". Start one with 'dolly daemon', or check DOLLY_SERVER.", exception);
        }
        if (timedOut) {
            throw new DollyException(ErrorCode.DAEMON_UNREACHABLE, "The Dolly daemon at " + server + " did not answer within "
                    + REQUEST_TIMEOUT.toMinutes() + " minutes.", exception);
        }
        if (exception instanceof JsonProcessingException) {
            throw new DollyException(ErrorCode.DAEMON_UNREACHABLE,
                    "The Dolly daemon at " + server + " did not answer properly: " + exception.getMessage(), exception);
        }
        // the request went out and the connection ended without an answer (closed, reset, or refused on the retry
        // HttpURLConnection makes): the daemon stopped or died while it handled the request
        throw new DollyException(ErrorCode.DAEMON_UNREACHABLE, "The Dolly daemon at " + server + " closed the connection without answering ("
                + connectionFailure(exception) + "): it stopped or was killed while handling the request. Check it with 'dolly daemon status' "
                + "and its log, then look whether the request was carried out ('dolly get ...') before repeating it.", exception);
    }

    private static String connectionFailure(IOException exception)
    {
        String message = exception.getMessage();
        return message == null || message.isBlank() ? exception.getClass().getSimpleName() : message;
    }

    /** A query string of the pairs whose value is not {@code null}: {@code ?name=x&tag=y}, or nothing. */
    private static String query(String name1, String value1, String name2, String value2)
    {
        StringBuilder query = new StringBuilder();
        if (value1 != null) {
            query.append('?').append(name1).append('=').append(encode(value1));
        }
        if (value2 != null) {
            query.append(query.isEmpty() ? '?' : '&').append(name2).append('=').append(encode(value2));
        }
        return query.toString();
    }

    private DollyException refusal(HttpURLConnection connection)
    {
        try {
            int status = connection.getResponseCode();
            if (status / 100 == 2) {
                return null;
            }
            try (InputStream input = connection.getErrorStream()) {
                return toException(status, input == null ? new byte[0] : input.readAllBytes());
            }
        }
        catch (IOException e) {
            return null;
        }
    }

    private DollyException tlsFailure(IOException exception)
    {
        String reason = exception.getMessage();
        for (Throwable cause = exception; cause != null; cause = cause.getCause()) {
            if (cause instanceof CertificateException) {
                reason = cause.getMessage();
            }
        }
        if (reason != null && reason.contains("PKIX path building failed")) {
            reason = "its certificate is not signed by a certificate authority this client trusts";
        }
        String advice = trust.usesOwnCertificates()
                ? " This client trusts " + trust.description() + "; check that the server's certificate was issued by that CA for the host name in the URL."
                : " If the server's certificate comes from a CA of your own (or is self-signed), pass that CA's PEM certificate with --ca-certificate FILE "
                        + "or " + ServerTrust.CA_CERTIFICATE_VARIABLE + "=FILE.";
        return new DollyException(ErrorCode.TLS_FAILURE, "Cannot open a trusted TLS connection to " + server + ": " + reason + "." + advice, exception);
    }

    private DollyException toException(int status, byte[] body)
    {
        try {
            JsonNode error = Json.json().readTree(body);
            if (error != null && error.path("code").isTextual() && error.path("message").isTextual()) {
                return new DollyException(errorCode(error.path("code").asText()), error.path("message").asText(), nextStep(error.path("nextStep")));
            }
        }
        catch (IOException | RuntimeException ignored) {
            // not one of ours: fall through
        }
        if (status == 401) {
            return new DollyException(ErrorCode.NOT_AUTHENTICATED, "The daemon at " + server + " refused the access token. "
                    + "Sign in with 'dolly auth login', or set a valid DOLLY_ACCESS_TOKEN.");
        }
        return new DollyException(ErrorCode.OPERATION_FAILED,
                "The daemon at " + server + " answered HTTP " + status + ": " + new String(body, StandardCharsets.UTF_8));
    }

    /** The code of an {@link ErrorResponse}; one this client does not know (from a newer daemon) is a plain failure. */
    private static ErrorCode errorCode(String name)
    {
        try {
            return ErrorCode.valueOf(name);
        }
        catch (IllegalArgumentException e) {
            return ErrorCode.OPERATION_FAILED;
        }
    }

    /** The next step of an {@link ErrorResponse}, or {@code null}: none, or one this client does not know. */
    private static NextStep nextStep(JsonNode node)
    {
        if (node.isMissingNode() || node.isNull()) {
            return null;
        }
        try {
            return Json.json().treeToValue(node, NextStep.class);
        }
        catch (IOException | RuntimeException e) {
            return null;
        }
    }

    private static String encode(String reference)
    {
        return URLEncoder.encode(reference, StandardCharsets.UTF_8).replace("+", "%20");
    }

}
