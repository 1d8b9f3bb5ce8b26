package dev.dolly.bench;

import dev.dolly.api.DollyException;
import dev.dolly.api.ErrorCode;

import java.sql.SQLException;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static java.util.Objects.requireNonNull;

/**
 * Every operation of a soak run, as the clients report them at once: the time of each one that succeeded, and how
 * many ended in each kind of refusal or error, with the first message of each kind.
 */
final class OperationLog
{
    private static final int EXAMPLES_PER_KIND = 3;

    private final Map<SoakOperation, List<Double>> succeededMillis = new EnumMap<>(SoakOperation.class);
    private final Map<SoakOperation, Map<String, Integer>> refusals = new EnumMap<>(SoakOperation.class);
    private final Map<SoakOperation, Map<String, Integer>> errors = new EnumMap<>(SoakOperation.class);
    private final Map<String, List<String>> examples = new LinkedHashMap<>();

    OperationLog()
    {
        for (SoakOperation operation : SoakOperation.values()) {
            succeededMillis.put(operation, new ArrayList<>());
            refusals.put(operation, new TreeMap<>());
            errors.put(operation, new TreeMap<>());
        }
    }

    synchronized void succeeded(SoakOperation operation, long startNanos, long endNanos)
    {
        succeededMillis.get(operation).add(Math.round((endNanos - startNanos) / 1e4) / 100.0);
    }

    synchronized void failed(SoakOperation operation, Outcome outcome)
    {
        requireNonNull(outcome, "outcome is null");
        Map<String, Integer> counts = outcome.refusal() ? refusals.get(operation) : errors.get(operation);
        counts.merge(outcome.kind(), 1, Integer::sum);
        List<String> messages = examples.computeIfAbsent(operation + ": " + outcome.kind(), key -> new ArrayList<>());
        if (messages.size() < EXAMPLES_PER_KIND) {
            messages.add(outcome.message());
        }
    }

    synchronized List<Double> succeededMillis(SoakOperation operation)
    {
        return List.copyOf(succeededMillis.get(operation));
    }

    synchronized Map<String, Integer> refusals(SoakOperation operation)
    {
        return new TreeMap<>(refusals.get(operation));
    }

    synchronized Map<String, Integer> errors(SoakOperation operation)
    {
        return new TreeMap<>(errors.get(operation));
    }

    /** The first messages of each kind of refusal or error, by {@code operation: kind}. */
    synchronized Map<String, List<String>> examples()
    {
        Map<String, List<String>> copy = new LinkedHashMap<>();
        examples.forEach((key, messages) -> copy.put(key, List.copyOf(messages)));
        return copy;
    }

    /**
     * How an operation failed.
     *
     * @param refusal whether the daemon refused it with a documented 4xx answer (a conflict, a quota, not found);
     * everything else (a 5xx answer, no answer, a container that does not hold what it should, a failed query) is an
     * error
     * @param kind what the counts are kept by: {@code HTTP 409 CONFLICT}, {@code wrong data}, {@code SQL 28P01}
     */
    record Outcome(boolean refusal, String kind, String message)
    {
        Outcome
        {
            requireNonNull(kind, "kind is null");
            message = message == null ? "" : message;
        }

        static Outcome of(Exception exception)
        {
            if (exception instanceof DollyException dolly) {
                ErrorCode code = dolly.errorCode();
                // the client reports no answer as DAEMON_UNREACHABLE (503): never a refusal
                boolean refusal = code.httpStatus() >= 400 && code.httpStatus() < 500;
                return new Outcome(refusal, "HTTP " + code.httpStatus() + " " + code, dolly.getMessage());
            }
            if (exception instanceof SQLException sql) {
                return new Outcome(false, "SQL " + sql.getSQLState(), sql.getMessage());
            }
            if (exception instanceof WrongData) {
                return new Outcome(false, "wrong data", exception.getMessage());
            }
            return new Outcome(false, exception.getClass().getSimpleName(), exception.getMessage());
        }
    }

    /** A container that does not hold the rows it should after an operation. */
    static final class WrongData
            extends RuntimeException
    {
        WrongData(String message)
        {
            super(message);
        }
    }
}
