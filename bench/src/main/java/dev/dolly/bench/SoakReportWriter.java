package dev.dolly.bench;

import dev.dolly.api.Json;
import dev.dolly.bench.DaemonResources.ResourceSample;
import dev.dolly.bench.SoakReport.CliCommandSummary;
import dev.dolly.bench.SoakReport.OperationSummary;
import dev.dolly.bench.SoakReport.ResourceVerdict;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

import static dev.dolly.bench.Markdown.megabytes;
import static dev.dolly.bench.Markdown.table;
import static java.util.Objects.requireNonNull;

/** Writes {@code soak.json} and {@code soak.md}. */
final class SoakReportWriter
{
    private final SoakOptions options;

    SoakReportWriter(SoakOptions options)
    {
        this.options = requireNonNull(options, "options is null");
    }

    /** Writes both files; answers the Markdown. */
    String write(SoakReport report)
            throws IOException
    {
        Files.createDirectories(options.output());
        Path json = options.output().resolve("soak.json");
        Path markdownFile = options.output().resolve("soak.md");
        Files.writeString(json, Json.json().writerWithDefaultPrettyPrinter().writeValueAsString(report) + "\n");
        String markdown = markdown(report);
        Files.writeString(markdownFile, markdown);
        Log.log("Results: " + json + ", " + markdownFile);
        return markdown;
    }

    static String markdown(SoakReport report)
    {
        StringBuilder text = new StringBuilder();
        text.append("# Soak: ").append(report.clients()).append(" clients for ").append(minutes(report.seconds())).append(" against one daemon (")
                .append(report.storageDriver()).append(")\n\n");
        text.append("Measured ").append(report.date()).append(" by `bench/run-soak-benchmark` (see `bench/README.md`), Dolly ").append(report.dollyVersion())
                .append(", on ").append(report.machine().nproc()).append(" CPUs (").append(report.machine().cpu()).append("), ")
                .append(report.machine().memoryGibibytes()).append(" GiB; load average at the start: ").append(report.loadAverageAtStart()).append(".\n\n");
        text.append("**Verdict: ").append(report.passed() ? "passed" : "FAILED").append("** — ").append(report.errors()).append(" errors, ")
                .append(report.refusals()).append(" refusals, ")
                .append(report.cli().stream().filter(command -> !command.asExpected()).count()).append(" CLI commands with an unexpected exit code, ")
                .append(report.leftovers().size()).append(" containers left over, ")
                .append(report.resources().stream().filter(verdict -> !verdict.back()).count()).append(" resources not back where they started.\n\n");
        text.append("Each client is a user of its own, with its own session, working through the HTTP API the CLI uses, over and over: ")
                .append(report.cycle()).append(". Image: ").append(report.image()).append(". ").append(report.cycles())
                .append(" whole cycles succeeded.\n\n");

        text.append("## Operations\n\n");
        text.append(operationTable(report.operations())).append("\n\n");
        text.append("Latency of the operations that succeeded (p50, p99: nearest rank), from the request until its answer; `query` is a new JDBC "
                + "connection with the container's own password and its statements. Refusals are documented 4xx answers of the API, errors "
                + "everything else (5xx answers, no answer, wrong data, failed queries).\n\n");
        if (!report.examples().isEmpty()) {
            text.append("First messages of each kind:\n\n");
            report.examples().forEach((kind, messages) -> messages.forEach(message -> text.append("- ").append(kind).append(": ")
                    .append(message.replace("\n", " ")).append("\n")));
            text.append("\n");
        }
        text.append("Warm-up (one cycle of every client at once, before the start was read):\n\n");
        text.append(operationTable(report.warmUp())).append("\n\n");

        if (!report.cli().isEmpty()) {
            text.append("## The CLI client\n\n");
            text.append("The real `./dolly` command, one process per command, as the local administrator, alongside the API clients:\n\n");
            List<List<String>> rows = new ArrayList<>();
            for (CliCommandSummary command : report.cli()) {
                rows.add(List.of("`" + command.command() + "`", String.valueOf(command.expectedExitCode()), String.valueOf(command.runs()),
                        command.exitCodes().entrySet().stream().map(entry -> entry.getKey() + " × " + entry.getValue()).collect(Collectors.joining(", ")),
                        command.p50Seconds() == null ? "" : String.format(Locale.ROOT, "%.2f s", command.p50Seconds()),
                        command.asExpected() ? "yes" : "**no**: " + command.unexpected().replace("\n", " ")));
            }
            text.append(table(List.of("command", "expected exit code", "runs", "exit codes", "p50", "as expected"), rows)).append("\n\n");
        }

        text.append("## The daemon's resources\n\n");
        text.append(String.format(Locale.ROOT, "Start: after the warm-up and a quiet period. End: once the clients had stopped, after the daemon had "
                + "settled (%.0f s; everything but memory back, or the limit). Both after a full collection of the daemon's heap (`jcmd PID GC.run`).%n%n",
                report.settleSeconds()));
        List<List<String>> rows = new ArrayList<>();
        for (ResourceVerdict verdict : report.resources()) {
            boolean memory = verdict.resource().startsWith("resident memory");
            rows.add(List.of(verdict.resource().replace(" (bytes)", ""), memory ? megabytes(verdict.start()) : String.valueOf(verdict.start()),
                    memory ? megabytes(verdict.end()) : String.valueOf(verdict.end()),
                    verdict.allowed() == null ? "not judged" : "≤ " + (memory ? megabytes(verdict.allowed()) : String.valueOf(verdict.allowed())),
                    verdict.allowed() == null ? "" : verdict.back() ? "back" : "**not back**"));
        }
        text.append(table(List.of("resource", "start", "end", "allowed", "verdict"), rows)).append("\n\n");
        text.append("Jetty's request threads are not judged: the pool grows with the requests at once, up to its maximum, and gives back one idle "
                + "thread a minute. Threads by name, start → end: ").append(changes(report.start().threadsByName(), report.end().threadsByName(), false))
                .append(".\n\nOpen files that changed, start → end: ").append(changes(report.start().openFilesByKind(), report.end().openFilesByKind(), true))
                .append(".\n\n");
        if (!report.leftovers().isEmpty()) {
            text.append("Containers left over: ").append(String.join(", ", report.leftovers())).append("\n\n");
        }

        text.append("During the run, every few seconds, then every 5 s while the daemon settled (before any collection):\n\n");
        List<List<String>> samples = new ArrayList<>();
        for (ResourceSample sample : report.samples()) {
            samples.add(List.of(String.format(Locale.ROOT, "%.0f", sample.elapsedSeconds()), String.valueOf(sample.openFiles()),
                    sample.threads() + " (" + sample.httpThreads() + ")", megabytes(sample.rssBytes()), String.valueOf(sample.mounts()),
                    String.valueOf(sample.engineProcesses()), sample.containers() == null ? "" : String.valueOf(sample.containers()),
                    sample.containerVolumes() + " / " + sample.revisionVolumes(), String.valueOf(sample.cgroups()),
                    String.format(Locale.ROOT, "%.2f", sample.loadAverage())));
        }
        text.append(table(List.of("s", "open files", "threads (HTTP)", "resident", "mounts", "engine processes", "containers",
                "volumes: containers / revisions", "cgroups", "load"), samples)).append("\n\n");
        text.append(String.format(Locale.ROOT, "The whole run took %.0f s (file system, daemon, image build, warm-up, quiet period, soak, settling).%n",
                report.totalSeconds()));
        return text.toString();
    }

    private static String operationTable(List<OperationSummary> operations)
    {
        List<List<String>> rows = new ArrayList<>();
        for (OperationSummary operation : operations) {
            rows.add(List.of(operation.operation(), String.valueOf(operation.count()), String.valueOf(operation.succeeded()), millis(operation.p50Millis()),
                    millis(operation.p99Millis()), millis(operation.maxMillis()), counts(operation.refusals()), counts(operation.errors())));
        }
        return table(List.of("operation", "done", "succeeded", "p50", "p99", "max", "refusals", "errors"), rows);
    }

    private static String millis(Double value)
    {
        return value == null ? "" : String.format(Locale.ROOT, "%.0f ms", value);
    }

    private static String counts(Map<String, Integer> counts)
    {
        if (counts.isEmpty()) {
            return "0";
        }
        return counts.entrySet().stream().map(entry -> entry.getValue() + " × " + entry.getKey()).collect(Collectors.joining(", "));
    }

    /** {@code `name` 3 → 4, …}: every name, or only those whose count changed. */
    private static String changes(Map<String, Integer> start, Map<String, Integer> end, boolean onlyChanged)
    {
        if (start == null || end == null) {
            return "not read";
        }
        List<String> changes = new ArrayList<>();
        Set<String> names = new TreeSet<>(start.keySet());
        names.addAll(end.keySet());
        for (String name : names) {
            int before = start.getOrDefault(name, 0);
            int after = end.getOrDefault(name, 0);
            if (before != after) {
                changes.add("`" + name + "` " + before + " → " + after);
            }
            else if (!onlyChanged) {
                changes.add("`" + name + "` " + before);
            }
        }
        return changes.isEmpty() ? "none" : String.join(", ", changes);
    }

    private static String minutes(int seconds)
    {
        return seconds % 60 == 0 ? seconds / 60 + " minutes" : seconds + " s";
    }
}
