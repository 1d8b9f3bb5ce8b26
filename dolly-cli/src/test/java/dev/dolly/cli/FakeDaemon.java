package dev.dolly.cli;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.dolly.api.ErrorCode;
import dev.dolly.api.ErrorResponse;
import dev.dolly.api.Json;
import dev.dolly.api.NextStep;
import dev.dolly.api.ResourceList;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

import static java.util.Objects.requireNonNull;

/**
 * A daemon that answers /api/v1 with canned JSON made from the real records, and checks the bearer token. Unknown
 * routes answer 404 with a NOT_FOUND error.
 */
final class FakeDaemon
        implements AutoCloseable
{
    private final HttpServer server;
    private final String token;
    private final Map<String, Deque<Answer>> answers = new ConcurrentHashMap<>();
    private final List<Request> requests = new CopyOnWriteArrayList<>();
    private final Set<String> open = ConcurrentHashMap.newKeySet();

    private FakeDaemon(String token)
            throws IOException
    {
        this.token = requireNonNull(token, "token is null");
        this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", this::handle);
        server.start();
    }

    static FakeDaemon start(String token)
    {
        try {
            return new FakeDaemon(token);
        }
        catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    URI url()
    {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    /** Always answers {@code body} with 200. */
    FakeDaemon answer(String method, String path, Object body)
    {
        return answerInTurn(method, path, body);
    }

    FakeDaemon answerList(String method, String path, List<?> items)
    {
        return answer(method, path, new ResourceList<>(items));
    }

    /** Answers the bodies one after the other; the last one again and again. */
    FakeDaemon answerInTurn(String method, String path, Object... bodies)
    {
        Deque<Answer> queue = new ArrayDeque<>();
        for (Object body : bodies) {
            queue.add(new Answer(200, json(body)));
        }
        answers.put(method + " " + path, queue);
        return this;
    }

    /** Answers {@code body} with {@code status}, without asking for a token (as signing in does). */
    FakeDaemon answerWithoutToken(String method, String path, int status, Object body)
    {
        Deque<Answer> queue = new ArrayDeque<>();
        queue.add(new Answer(status, json(body)));
        answers.put(method + " " + path, queue);
        open.add(method + " " + path);
        return this;
    }

    FakeDaemon fail(String method, String path, ErrorCode code, String message)
    {
        return fail(method, path, code, message, null);
    }

    /** Answers the error, with the status of its code, as the daemon does; {@code nextStep} may be {@code null}. */
    FakeDaemon fail(String method, String path, ErrorCode code, String message, NextStep nextStep)
    {
        Deque<Answer> queue = new ArrayDeque<>();
        queue.add(new Answer(code.httpStatus(), json(new ErrorResponse(code, message, nextStep))));
        answers.put(method + " " + path, queue);
        return this;
    }

    List<Request> requests()
    {
        return List.copyOf(requests);
    }

    List<Request> requests(String method, String path)
    {
        return requests.stream().filter(request -> request.method().equals(method) && request.path().equals(path)).toList();
    }

    @Override
    public void close()
    {
        server.stop(0);
    }

    private void handle(HttpExchange exchange)
            throws IOException
    {
        try (exchange) {
            byte[] bytes = exchange.getRequestBody().readAllBytes();
            String path = exchange.getRequestURI().getPath();
            requests.add(new Request(exchange.getRequestMethod(), path, exchange.getRequestURI().getRawQuery(), new String(bytes, StandardCharsets.UTF_8),
                    exchange.getRequestHeaders().getFirst("Authorization"), bytes));
            Answer answer;
            if (!open.contains(exchange.getRequestMethod() + " " + path) && !("Bearer " + token).equals(exchange.getRequestHeaders().getFirst("Authorization"))) {
                answer = new Answer(401, json(new ErrorResponse(ErrorCode.NOT_AUTHENTICATED, "Invalid access token.")));
            }
            else {
                answer = next(exchange.getRequestMethod() + " " + path);
            }
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(answer.status(), answer.body().length == 0 ? -1 : answer.body().length);
            exchange.getResponseBody().write(answer.body());
        }
    }

    private synchronized Answer next(String key)
    {
        Deque<Answer> queue = answers.get(key);
        if (queue == null) {
            return new Answer(404, json(new ErrorResponse(ErrorCode.NOT_FOUND, "No route " + key + " in the fake daemon.")));
        }
        return queue.size() > 1 ? queue.poll() : queue.peek();
    }

    private static byte[] json(Object body)
    {
        try {
            return Json.json().writeValueAsBytes(body);
        }
        catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** @param query the raw query string, {@code null} when there is none */
    @SuppressWarnings("ArrayRecordComponent") // the bytes as received, only read
    record Request(String method, String path, String query, String body, String authorization, byte[] bytes) {}

    @SuppressWarnings("ArrayRecordComponent") // written once, only read
    private record Answer(int status, byte[] body) {}
}
