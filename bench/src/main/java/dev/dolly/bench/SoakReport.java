package dev.dolly.bench;

import dev.dolly.bench.DaemonResources.ResourceSample;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.ToLongFunction;

/**
 * {@code soak.json}: what a soak run did (operations, refusals and errors by kind, latencies), what the daemon held at
 * the start, during the run and at the end, and whether it came back to where it started.
 *
 * @param seconds how long the clients started new cycles
 * @param cycles whole cycles the API clients finished
 * @param warmUp per operation, the warm-up cycle of every client at once, before the start is read
 * @param operations per operation: counts and latencies
 * @param examples the first messages of each kind of refusal or error
 * @param cli the CLI client's commands, each with the exit code it should have and those it had
 * @param start what the daemon held after the warm-up, before the clients started
 * @param end what it held once the clients had stopped and it had settled
 * @param settleSeconds how long it took to settle (at most the option's limit)
 * @param samples what it held every few seconds during the run, then while it settled
 * @param resources start against end, for each resource, with the verdict
 * @param leftovers containers still listed once the clients had stopped (each client deletes what it made)
 * @param passed no error, no CLI command with an unexpected exit code, nothing left over, every resource back
 */
record SoakReport(
        String date,
        Machine machine,
        String loadAverageAtStart,
        String dollyVersion,
        StorageDriver storageDriver,
        String storageDriverReason,
        int clients,
        int seconds,
        String image,
        String cycle,
        int cycles,
        List<OperationSummary> warmUp,
        List<OperationSummary> operations,
        Map<String, List<String>> examples,
        List<CliCommandSummary> cli,
        ResourceSample start,
        ResourceSample end,
        double settleSeconds,
        List<ResourceSample> samples,
        List<ResourceVerdict> resources,
        List<String> leftovers,
        boolean passed,
        double totalSeconds)
{
    /** Resident memory may end this much above the start (a heap that settled a little higher, allocator arenas). */
    static final long RSS_TOLERANCE_BYTES = 64L << 20;

    SoakReport
    {
        warmUp = List.copyOf(warmUp);
        operations = List.copyOf(operations);
        cli = List.copyOf(cli);
        samples = List.copyOf(samples);
        resources = List.copyOf(resources);
        leftovers = List.copyOf(leftovers);
    }

    int errors()
    {
        return operations.stream().mapToInt(OperationSummary::errorCount).sum();
    }

    int refusals()
    {
        return operations.stream().mapToInt(OperationSummary::refusalCount).sum();
    }

    static boolean passed(List<OperationSummary> operations, List<CliCommandSummary> cli, List<ResourceVerdict> resources, List<String> leftovers)
    {
        return operations.stream().allMatch(operation -> operation.errorCount() == 0)
                && cli.stream().allMatch(CliCommandSummary::asExpected)
                && resources.stream().allMatch(ResourceVerdict::back)
                && leftovers.isEmpty();
    }

    /**
     * Start against end for each resource. Counts of things a container makes (mounts, processes, volumes, run
     * directories, cgroups) and open files (but the jars of the class path, which the JVM opens when it first needs
     * one) must be back exactly; threads outside Jetty's request pool too; resident
     * memory within {@link #RSS_TOLERANCE_BYTES}. Jetty's request threads are shown, not judged: the pool grows with
     * the requests at once (up to its maximum) and gives back one idle thread a minute.
     */
    static List<ResourceVerdict> verdicts(ResourceSample start, ResourceSample end)
    {
        List<ResourceVerdict> verdicts = new ArrayList<>();
        verdicts.add(new ResourceVerdict("open files", start.openFiles(), end.openFiles(), null, true));
        verdicts.add(exact("open files outside the class path", start, end, ResourceSample::openFilesOutsideClassPath));
        verdicts.add(exact("threads outside the HTTP pool", start, end, ResourceSample::threadsOutsideHttpPool));
        verdicts.add(new ResourceVerdict("HTTP request threads (Jetty's pool)", start.httpThreads(), end.httpThreads(), null, true));
        verdicts.add(allowed("resident memory (bytes)", start.rssBytes(), end.rssBytes(), start.rssBytes() + RSS_TOLERANCE_BYTES));
        verdicts.add(exact("mounts below the daemon's file system", start, end, ResourceSample::mounts));
        verdicts.add(exact("engine processes", start, end, ResourceSample::engineProcesses));
        verdicts.add(exact("container volumes", start, end, ResourceSample::containerVolumes));
        verdicts.add(exact("revision volumes", start, end, ResourceSample::revisionVolumes));
        verdicts.add(exact("run directories", start, end, ResourceSample::runDirectories));
        verdicts.add(exact("cgroups", start, end, ResourceSample::cgroups));
        return verdicts;
    }

    /** Whether what can be waited for has come back: everything but resident memory, which only a collection lowers. */
    static boolean settled(ResourceSample start, ResourceSample now)
    {
        return verdicts(start, now).stream()
                .filter(verdict -> !verdict.resource().startsWith("resident memory"))
                .allMatch(ResourceVerdict::back);
    }

    private static ResourceVerdict exact(String resource, ResourceSample start, ResourceSample end, ToLongFunction<ResourceSample> value)
    {
        long before = value.applyAsLong(start);
        return allowed(resource, before, value.applyAsLong(end), before);
    }

    private static ResourceVerdict allowed(String resource, long start, long end, long allowed)
    {
        return new ResourceVerdict(resource, start, end, allowed, end <= allowed);
    }

    /**
     * The {@code percentile} (0–100) of the values by the nearest-rank method: the smallest value that at least that
     * share of the values does not exceed. {@code null} for no values.
     */
    static Double percentile(List<Double> values, double percentile)
    {
        if (percentile <= 0 || percentile > 100) {
            throw new IllegalArgumentException("percentile must be above 0 and at most 100, not " + percentile);
        }
        if (values.isEmpty()) {
            return null;
        }
        List<Double> sorted = values.stream().sorted().toList();
        int rank = (int) Math.ceil(percentile / 100 * sorted.size());
        return sorted.get(Math.max(rank, 1) - 1);
    }

    /**
     * One operation over the run.
     *
     * @param count every attempt: succeeded, refused or failed
     * @param p50Millis median of the ones that succeeded, {@code null} when none did
     * @param refusals documented 4xx answers by kind ({@code HTTP 409 CONFLICT})
     * @param errors everything else by kind: 5xx answers, no answer, wrong data, failed queries
     */
    record OperationSummary(
            String operation,
            int count,
            int succeeded,
            Double p50Millis,
            Double p99Millis,
            Double maxMillis,
            Map<String, Integer> refusals,
            Map<String, Integer> errors)
    {
        static OperationSummary of(SoakOperation operation, OperationLog log)
        {
            List<Double> millis = log.succeededMillis(operation);
            Map<String, Integer> refusals = log.refusals(operation);
            Map<String, Integer> errors = log.errors(operation);
            int failed = refusals.values().stream().mapToInt(Integer::intValue).sum() + errors.values().stream().mapToInt(Integer::intValue).sum();
            return new OperationSummary(operation.id(), millis.size() + failed, millis.size(), percentile(millis, 50), percentile(millis, 99),
                    millis.isEmpty() ? null : millis.stream().mapToDouble(Double::doubleValue).max().orElseThrow(), refusals, errors);
        }

        int refusalCount()
        {
            return refusals.values().stream().mapToInt(Integer::intValue).sum();
        }

        int errorCount()
        {
            return errors.values().stream().mapToInt(Integer::intValue).sum();
        }
    }

    /**
     * One command of the CLI client over the run.
     *
     * @param exitCodes how often it exited with each code
     * @param unexpected the first output of a run that exited otherwise than expected, or {@code null}
     */
    record CliCommandSummary(String command, int expectedExitCode, int runs, Double p50Seconds, Map<Integer, Integer> exitCodes, String unexpected)
    {
        boolean asExpected()
        {
            return exitCodes.keySet().stream().allMatch(code -> code == expectedExitCode);
        }
    }

    /**
     * @param allowed the most {@code end} may be to count as back; {@code null} when not judged
     */
    record ResourceVerdict(String resource, long start, long end, Long allowed, boolean back) {}
}
