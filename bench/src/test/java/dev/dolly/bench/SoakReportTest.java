package dev.dolly.bench;

import dev.dolly.api.DollyException;
import dev.dolly.api.ErrorCode;
import dev.dolly.bench.DaemonResources.ResourceSample;
import dev.dolly.bench.OperationLog.Outcome;
import dev.dolly.bench.OperationLog.WrongData;
import dev.dolly.bench.SoakReport.CliCommandSummary;
import dev.dolly.bench.SoakReport.OperationSummary;
import dev.dolly.bench.SoakReport.ResourceVerdict;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

import java.nio.file.Path;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The soak's report logic: percentiles, what counts as a refusal or an error, and whether the daemon came back. */
class SoakReportTest
{
    private static final ResourceSample START = sample(40, 60, 12, 200L << 20, 0, 0, 0, 0, 0, 0);

    @Test
    void percentilesByNearestRank()
    {
        List<Double> hundred = IntStream.rangeClosed(1, 100).mapToObj(Double::valueOf).toList().reversed();

        assertThat(SoakReport.percentile(hundred, 50)).isEqualTo(50.0);
        assertThat(SoakReport.percentile(hundred, 99)).isEqualTo(99.0);
        assertThat(SoakReport.percentile(hundred, 100)).isEqualTo(100.0);
        assertThat(SoakReport.percentile(List.of(7.0, 1.0, 3.0), 50)).isEqualTo(3.0);
        // with fewer than 100 values, the 99th percentile is the largest
        assertThat(SoakReport.percentile(List.of(5.0, 1.0, 9.0, 2.0), 99)).isEqualTo(9.0);
        assertThat(SoakReport.percentile(List.of(4.0, 1.0), 50)).isEqualTo(1.0);
        assertThat(SoakReport.percentile(List.of(42.0), 1)).isEqualTo(42.0);
        assertThat(SoakReport.percentile(List.of(), 50)).isNull();
        assertThatThrownBy(() -> SoakReport.percentile(List.of(1.0), 0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> SoakReport.percentile(List.of(1.0), 101)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void documentedRefusalsAreNotErrors()
    {
        assertThat(Outcome.of(DollyException.conflict("busy"))).isEqualTo(new Outcome(true, "HTTP 409 CONFLICT", "busy"));
        assertThat(Outcome.of(new DollyException(ErrorCode.QUOTA_EXCEEDED, "full")).refusal()).isTrue();
        assertThat(Outcome.of(DollyException.notFound("gone")).kind()).isEqualTo("HTTP 404 NOT_FOUND");

        assertThat(Outcome.of(new DollyException(ErrorCode.INTERNAL_ERROR, "bug"))).isEqualTo(new Outcome(false, "HTTP 500 INTERNAL_ERROR", "bug"));
        assertThat(Outcome.of(DollyException.storageFailed("disk")).refusal()).isFalse();
        // no answer at all: the client's own code, never a refusal
        assertThat(Outcome.of(new DollyException(ErrorCode.DAEMON_UNREACHABLE, "silent")).refusal()).isFalse();
        assertThat(Outcome.of(new WrongData("rows [1,2], not [1]"))).isEqualTo(new Outcome(false, "wrong data", "rows [1,2], not [1]"));
        assertThat(Outcome.of(new SQLException("password authentication failed", "28P01"))).isEqualTo(
                new Outcome(false, "SQL 28P01", "password authentication failed"));
        assertThat(Outcome.of(new IllegalStateException())).isEqualTo(new Outcome(false, "IllegalStateException", ""));
    }

    @Test
    void operationSummaryCountsEveryAttempt()
    {
        OperationLog log = new OperationLog();
        for (int millis = 1; millis <= 200; millis++) {
            log.succeeded(SoakOperation.SAVE, 0, millis * 1_000_000L);
        }
        log.failed(SoakOperation.SAVE, Outcome.of(DollyException.conflict("being deleted")));
        log.failed(SoakOperation.SAVE, Outcome.of(DollyException.conflict("being deleted again")));
        log.failed(SoakOperation.SAVE, Outcome.of(DollyException.storageFailed("snapshot failed")));

        OperationSummary save = OperationSummary.of(SoakOperation.SAVE, log);

        assertThat(save).isEqualTo(new OperationSummary("save", 203, 200, 100.0, 198.0, 200.0, Map.of("HTTP 409 CONFLICT", 2),
                Map.of("HTTP 500 STORAGE_FAILED", 1)));
        assertThat(save.refusalCount()).isEqualTo(2);
        assertThat(save.errorCount()).isEqualTo(1);
        assertThat(log.examples()).containsEntry("save: HTTP 409 CONFLICT", List.of("being deleted", "being deleted again"));
        assertThat(OperationSummary.of(SoakOperation.LOAD, log)).isEqualTo(new OperationSummary("load", 0, 0, null, null, null, Map.of(), Map.of()));
    }

    @Test
    void daemonBackWhereItStarted()
    {
        // Jetty's pool kept 14 more request threads: not judged; memory a little higher, within the tolerance
        ResourceSample end = sample(40, 74, 26, (200L << 20) + (63L << 20), 0, 0, 0, 0, 0, 0);

        List<ResourceVerdict> verdicts = SoakReport.verdicts(START, end);

        assertThat(verdicts).allMatch(ResourceVerdict::back);
        assertThat(verdicts).contains(new ResourceVerdict("HTTP request threads (Jetty's pool)", 12, 26, null, true));
        assertThat(verdicts).contains(new ResourceVerdict("threads outside the HTTP pool", 48, 48, 48L, true));
        assertThat(SoakReport.settled(START, end)).isTrue();
        assertThat(SoakReport.passed(List.of(), List.of(), verdicts, List.of())).isTrue();
    }

    @Test
    void leaksAreNotBack()
    {
        assertThat(notBack(sample(41, 60, 12, 200L << 20, 0, 0, 0, 0, 0, 0))).containsExactly("open files outside the class path");
        assertThat(notBack(sample(40, 61, 12, 200L << 20, 0, 0, 0, 0, 0, 0))).containsExactly("threads outside the HTTP pool");
        assertThat(notBack(sample(40, 60, 12, (200L << 20) + (65L << 20), 0, 0, 0, 0, 0, 0))).containsExactly("resident memory (bytes)");
        assertThat(notBack(sample(40, 60, 12, 200L << 20, 1, 2, 1, 3, 1, 1))).containsExactly("mounts below the daemon's file system", "engine processes",
                "container volumes", "revision volumes", "run directories", "cgroups");
        // fewer than at the start is back
        assertThat(notBack(sample(39, 50, 2, 100L << 20, 0, 0, 0, 0, 0, 0))).isEmpty();

        ResourceSample leaking = sample(43, 60, 12, 400L << 20, 0, 0, 0, 0, 0, 0);
        // memory is what settling does not wait for: only a collection lowers it
        assertThat(SoakReport.settled(START, sample(40, 60, 12, 400L << 20, 0, 0, 0, 0, 0, 0))).isTrue();
        assertThat(SoakReport.settled(START, leaking)).isFalse();
        assertThat(SoakReport.passed(List.of(), List.of(), SoakReport.verdicts(START, leaking), List.of())).isFalse();
    }

    @Test
    void errorsUnexpectedExitCodesAndLeftoversFail()
    {
        List<ResourceVerdict> back = SoakReport.verdicts(START, START);
        OperationSummary refused = new OperationSummary("create", 10, 9, 1.0, 2.0, 2.0, Map.of("HTTP 403 QUOTA_EXCEEDED", 1), Map.of());
        OperationSummary failed = new OperationSummary("load", 10, 9, 1.0, 2.0, 2.0, Map.of(), Map.of("HTTP 500 ENGINE_FAILED", 1));
        CliCommandSummary expected = new CliCommandSummary("./dolly delete data-image x", 1, 3, 0.5, Map.of(1, 3), null);
        CliCommandSummary unexpected = new CliCommandSummary("./dolly delete data-image x", 1, 3, 0.5, Map.of(0, 1, 1, 2), "exit code 0: deleted");

        assertThat(SoakReport.passed(List.of(refused), List.of(expected), back, List.of())).isTrue();
        assertThat(SoakReport.passed(List.of(refused, failed), List.of(expected), back, List.of())).isFalse();
        assertThat(SoakReport.passed(List.of(refused), List.of(unexpected), back, List.of())).isFalse();
        assertThat(SoakReport.passed(List.of(refused), List.of(expected), back, List.of("soak-3-17"))).isFalse();
    }

    @Test
    void markdownSaysWhatFailed()
    {
        ResourceSample end = sample(41, 60, 12, 200L << 20, 0, 0, 0, 0, 0, 0);
        List<ResourceVerdict> verdicts = SoakReport.verdicts(START, end);
        List<OperationSummary> operations = List.of(new OperationSummary("create", 10, 9, 120.0, 900.0, 950.0, Map.of("HTTP 409 CONFLICT", 1), Map.of()));
        SoakReport report = new SoakReport("2026-11-30T21:00:00Z", new Machine(2, 8L << 30, "a CPU", "6.1", "Temurin 25", "ext2/ext3"), "1.50 1.20 1.00",
                "0.1.0", StorageDriver.BTRFS, "btrfs", 20, 600, "the Chinook sample", SoakClient.CYCLE, 9, operations, operations, Map.of(), List.of(), START,
                end, 5, List.of(START, end), verdicts, List.of(), SoakReport.passed(operations, List.of(), verdicts, List.of()), 700);

        String markdown = SoakReportWriter.markdown(report);

        assertThat(markdown).startsWith("# Soak: 20 clients for 10 minutes against one daemon (btrfs)")
                .contains("**Verdict: FAILED** — 0 errors, 1 refusals, 0 CLI commands with an unexpected exit code, 0 containers left over, "
                        + "1 resources not back where they started.")
                .contains("| create | 10 | 9 | 120 ms | 900 ms | 950 ms | 1 × HTTP 409 CONFLICT | 0 |")
                .contains("| open files outside the class path | 38 | 39 | ≤ 38 | **not back** |");
    }

    @Test
    void optionsOfTheCommand()
    {
        CommandLine commandLine = SoakBenchmark.commandLine();
        commandLine.parseArgs("--project-root", "/somewhere", "--driver", "overlay", "--clients", "4", "--minutes", "2", "--cli-pause-seconds", "0");
        SoakOptions options = commandLine.<SoakBenchmark>getCommand().options();

        assertThat(options).isEqualTo(new SoakOptions(StorageDriver.OVERLAY, 4, 120, 70, 10, 180, 0, 20L << 30, Path.of("/var/tmp"),
                Path.of("bench/results/soak").toAbsolutePath(), Path.of("/somewhere")));
        assertThat(options.cliClient()).isFalse();

        CommandLine bad = SoakBenchmark.commandLine();
        bad.parseArgs("--clients", "0");
        assertThatThrownBy(() -> bad.<SoakBenchmark>getCommand().options()).hasMessage("--clients must be at least 1, not 0");
        assertThatThrownBy(() -> SoakBenchmark.commandLine().parseArgs("--driver", "zfs")).hasMessageContaining("zfs");
    }

    private static List<String> notBack(ResourceSample end)
    {
        return SoakReport.verdicts(START, end).stream().filter(verdict -> !verdict.back()).map(ResourceVerdict::resource).toList();
    }

    private static ResourceSample sample(int openFiles, int threads, int httpThreads, long rssBytes, int mounts, int engineProcesses, int containerVolumes,
            int revisionVolumes, int runDirectories, int cgroups)
    {
        // two of the open files are jars of the class path
        return new ResourceSample(0, openFiles, openFiles - 2, threads, httpThreads, rssBytes, mounts, engineProcesses, containerVolumes, revisionVolumes,
                runDirectories, cgroups, 0, 1.0, null, null);
    }
}
