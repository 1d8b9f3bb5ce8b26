package dev.dolly.api.client;

import com.fasterxml.jackson.databind.JavaType;
import dev.dolly.api.CreateContainerRequest;
import dev.dolly.api.CreateImageRequest;
import dev.dolly.api.DataContainer;
import dev.dolly.api.DataImage;
import dev.dolly.api.DollyException;
import dev.dolly.api.ErrorCode;
import dev.dolly.api.ErrorResponse;
import dev.dolly.api.InitializeStorageRequest;
import dev.dolly.api.Json;
import dev.dolly.api.ResourceList;
import dev.dolly.api.ServerInfo;

import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.util.List;
import java.util.function.Supplier;

import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;

import static java.util.Objects.requireNonNull;

/**
 * Calls the daemon's HTTP API ({@code /api/v1}). Every failure surfaces as a {@link DollyException} with the code
 * the daemon sent, or {@link ErrorCode#DAEMON_UNREACHABLE} when nothing answers.
 */
public final class DollyClient
{
    private static final Duration REQUEST_TIMEOUT = Duration.ofMinutes(10);

    private final URI server;
    private final String accessToken;
    private final HttpClient httpClient;
    private final Supplier<DollyClient> reconnect;

    public DollyClient(URI server, String accessToken)
    {
        this(server, accessToken, null);
    }

    private DollyClient(URI server, String accessToken, Supplier<DollyClient> reconnect)
    {
        this.reconnect = reconnect;
        this.server = requireNonNull(server, "server is null");
        this.accessToken = requireNonNull(accessToken, "accessToken is null");
        HttpClient.Builder builder = HttpClient.newBuilder()
                .connectTimeout(Duration.ofSeconds(5))
                .version(HttpClient.Version.HTTP_1_1);
        if ("http".equalsIgnoreCase(server.getScheme())) {
            // Plain HTTP never uses TLS, but the client sets up the default SSL context (and reads the trust store)
            // when given none: a tenth of a second of every CLI command against the local daemon.
            builder.sslContext(NoTls.CONTEXT);
        }
        this.httpClient = builder.build();
    }

    /** An SSL context that trusts nothing, for clients that only speak plain HTTP. */
    private static final class NoTls
    {
        private static final SSLContext CONTEXT = create();

        private static SSLContext create()
        {
            try {
                SSLContext context = SSLContext.getInstance("TLS");
                context.init(new KeyManager[0], new TrustManager[0], null);
                return context;
            }
            catch (GeneralSecurityException e) {
                throw new IllegalStateException("Cannot create an SSL context", e);
            }
        }
    }

    /**
     * This client, but when nothing answers at the server's address (a daemon that has stopped, or another process
     * with its old process id), it gets another client from {@code reconnect} and sends the request there, once. A
     * refused connection means the request was never sent, so this is safe for every request.
     */
    public DollyClient withReconnect(Supplier<DollyClient> reconnect)
    {
        return new DollyClient(server, accessToken, requireNonNull(reconnect, "reconnect is null"));
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

    public DataImage getImage(String reference)
    {
        return send("GET", "images/" + encode(reference), null, DataImage.class);
    }

    /** Starts building an image; the answer is {@link dev.dolly.api.ResourceStatus#PENDING} until it is done. */
    public DataImage createImage(CreateImageRequest request)
    {
        return send("POST", "images", request, DataImage.class);
    }

    public DataImage deleteImage(String reference)
    {
        return send("DELETE", "images/" + encode(reference), null, DataImage.class);
    }

    public List<DataContainer> listContainers()
    {
        return sendList("containers", DataContainer.class);
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

    /** Creates and mounts a loop-backed copy-on-write file system for the daemon's storage; answers the new info. */
    public ServerInfo initializeStorage(InitializeStorageRequest request)
    {
        return send("POST", "storage", request, ServerInfo.class);
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

    private <T> T send(String method, String path, Object body, JavaType responseType)
    {
        HttpRequest.Builder builder = HttpRequest.newBuilder(server.resolve("/api/v1/" + path))
                .timeout(REQUEST_TIMEOUT)
                .header("Authorization", "Bearer " + accessToken)
                .header("Accept", "application/json");
        try {
            if (body == null) {
                builder.method(method, HttpRequest.BodyPublishers.noBody());
            }
            else {
                builder.header("Content-Type", "application/json");
                builder.method(method, HttpRequest.BodyPublishers.ofByteArray(Json.json().writeValueAsBytes(body)));
            }
            HttpResponse<byte[]> response = httpClient.send(builder.build(), HttpResponse.BodyHandlers.ofByteArray());
            if (response.statusCode() / 100 != 2) {
                throw toException(response);
            }
            if (responseType.getRawClass() == Void.class || response.body().length == 0) {
                return null;
            }
            return Json.json().readValue(response.body(), responseType);
        }
        catch (ConnectException | HttpConnectTimeoutException e) {
            if (reconnect != null) {
                return reconnect.get().send(method, path, body, responseType);
            }
            throw new DollyException(ErrorCode.DAEMON_UNREACHABLE,
                    "No Dolly daemon answers at " + server + ". Start one with 'dolly daemon', or check DOLLY_SERVER.", e);
        }
        catch (IOException e) {
            throw new DollyException(ErrorCode.DAEMON_UNREACHABLE,
                    "The Dolly daemon at " + server + " did not answer properly: " + e.getMessage(), e);
        }
        catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new DollyException(ErrorCode.OPERATION_FAILED, "Interrupted while waiting for the daemon");
        }
    }

    private DollyException toException(HttpResponse<byte[]> response)
    {
        try {
            ErrorResponse error = Json.json().readValue(response.body(), ErrorResponse.class);
            if (error.code() != null && error.message() != null) {
                return new DollyException(error.code(), error.message());
            }
        }
        catch (IOException | RuntimeException ignored) {
            // not one of ours: fall through
        }
        if (response.statusCode() == 401) {
            return new DollyException(ErrorCode.NOT_AUTHENTICATED, "The daemon at " + server + " refused the access token.");
        }
        return new DollyException(ErrorCode.OPERATION_FAILED,
                "The daemon at " + server + " answered HTTP " + response.statusCode() + ": "
                        + new String(response.body(), StandardCharsets.UTF_8));
    }

    private static String encode(String reference)
    {
        return URLEncoder.encode(reference, StandardCharsets.UTF_8).replace("+", "%20");
    }

}
