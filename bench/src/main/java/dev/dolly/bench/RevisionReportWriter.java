package dev.dolly.bench;

import dev.dolly.api.Json;
import dev.dolly.bench.RevisionBenchmark.DaemonSteps;
import dev.dolly.bench.RevisionBenchmark.Operation;
import dev.dolly.bench.RevisionBenchmark.RevisionResult;
import dev.dolly.bench.RevisionBenchmark.StepMillis;
import dev.dolly.bench.RevisionsReport.DriverRevisions;
import dev.dolly.bench.RevisionsReport.OperationRatio;
import dev.dolly.bench.RevisionsReport.RevisionTarget;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import static dev.dolly.bench.Markdown.megabytes;
import static dev.dolly.bench.Markdown.table;
import static java.util.Objects.requireNonNull;

/** Writes {@code revisions.json}, {@code revisions.md} and {@code revisions.png} ({@code revisions-mariadb.*} for MariaDB). */
final class RevisionReportWriter
{
    private final BenchmarkOptions options;

    RevisionReportWriter(BenchmarkOptions options)
    {
        this.options = requireNonNull(options, "options is null");
    }

    /** Writes the three files; answers the Markdown. */
    String write(RevisionsReport report)
            throws IOException
    {
        String fileName = options.resultFileName("revisions");
        Path output = options.output();
        Files.createDirectories(output);
        Files.writeString(output.resolve(fileName + ".json"), Json.json().writerWithDefaultPrettyPrinter().writeValueAsString(report) + "\n");
        String markdown = markdown(report);
        Files.writeString(output.resolve(fileName + ".md"), markdown);
        ResultCharts.revisions(report).write(output.resolve(fileName + ".png"));
        Log.log("Results: " + output.resolve(fileName + ".json") + ", .md, .png");
        return markdown;
    }

    String markdown(RevisionsReport report)
    {
        String fileName = options.resultFileName("revisions");
        int runs = report.runs();
        StringBuilder text = new StringBuilder();
        text.append("# Revisions: save, load and reset, per storage driver and image size\n\n");
        text.append("Measured ").append(report.date()).append(" by `bench/run-clone-benchmark --phases revisions` (see `bench/README.md`); ")
                .append("load average at the start: ").append(report.loadAverageAtStart()).append(".\n\n");
        List<List<String>> rows = new ArrayList<>();
        for (DriverRevisions driver : report.drivers()) {
            for (RevisionResult result : driver.sizes()) {
                List<String> row = new ArrayList<>(List.of(driver.driver().id(), result.size().id(), megabytes(result.databaseSizeBytes())));
                for (Operation operation : Operation.values()) {
                    row.add(result.timings(operation).api().summary());
                }
                for (Operation operation : Operation.values()) {
                    row.add(result.timings(operation).toFirstQuery().summary());
                }
                rows.add(row);
            }
        }
        text.append(table(List.of("driver", "size", options.engine().databaseSizeColumn(), "save", "load rev.1", "reset", "save → first query",
                "load → first query", "reset → first query"), rows)).append("\n\n");
        text.append("Median of ").append(runs).append(" runs per operation, in seconds, with the fastest and slowest run in parentheses. ")
                .append("**save**, **load rev.1**, **reset**: the API call (`POST …/revisions`, `POST …/load`, `POST …/reset`) until its answer; the ")
                .append("daemon answers once the server has started again and accepts connections. **→ first query**: the same, until a new ")
                .append("connection's first query has answered; that query (`").append(RevisionBenchmark.stateQuery(options.engine()))
                .append("`) checked every time that the ")
                .append("container held the rows it should (after a save: the rows committed before it; after a load of rev.1 or a reset: rev.1's, ")
                .append("without the row written since).\n\n");
        text.append("Per driver and image: one container; one row committed; one untimed cycle (save → `rev.1`, load `rev.1`, reset, ")
                .append("recorded as `warmUp` in `").append(fileName).append(".json`); then ").append(runs)
                .append(" times: commit a row, **save** (→ `rev.N`), write a ")
                .append("row that is not saved, **load rev.1**, delete `rev.N` (untimed, so that the `copy` driver does not fill its file system); ")
                .append("then ").append(runs).append(" **resets** (to `rev.1`), each after a row that is not saved.\n\n");

        text.append("## 5 GB ÷ 1 GB\n\n");
        List<List<String>> ratioRows = new ArrayList<>();
        for (DriverRevisions driver : report.drivers()) {
            Map<String, OperationRatio> driverRatios = report.ratios5gTo1g().get(driver.driver().id());
            if (driverRatios == null || driverRatios.isEmpty()) {
                continue;
            }
            List<String> row = new ArrayList<>(List.of(driver.driver().id()));
            for (Operation operation : Operation.values()) {
                OperationRatio ratio = driverRatios.get(operation.id());
                row.add(String.format(Locale.ROOT, "%.2f× (%.2f×)", ratio.api(), ratio.toFirstQuery()));
            }
            ratioRows.add(row);
        }
        if (ratioRows.isEmpty()) {
            text.append("Not measured (needs the sizes 1g and 5g).\n\n");
        }
        else {
            text.append(table(List.of("driver", "save", "load rev.1", "reset"), ratioRows)).append("\n\n");
            text.append("Ratio of the medians at 5 GB and at 1 GB: API call (until the first query in parentheses). Near 1: the time does not ")
                    .append("depend on the size.\n\n");
        }

        text.append("## Targets\n\n");
        List<List<String>> targetRows = new ArrayList<>();
        for (RevisionTarget target : report.targets()) {
            targetRows.add(List.of(target.target(), format(target.measuredApi()), Markdown.met(target.metApi()), format(target.measuredToFirstQuery()),
                    Markdown.met(target.metToFirstQuery())));
        }
        text.append(targetRows.isEmpty() ? "No target applies to the drivers and sizes measured." : table(List.of("target", "API call", "",
                "until the first query", ""), targetRows)).append("\n\n");

        text.append("## Where the time goes\n\n");
        List<List<String>> stepRows = new ArrayList<>();
        for (DriverRevisions driver : report.drivers()) {
            for (RevisionResult result : driver.sizes()) {
                for (Operation operation : Operation.values()) {
                    DaemonSteps steps = result.daemonLog().get(operation.id());
                    if (steps == null) {
                        continue;
                    }
                    stepRows.add(List.of(driver.driver().id(), result.size().id(), operation.id(), millis(steps.stopMillis()), millis(steps.middle()),
                            millis(steps.startMillis()), millis(steps.totalMillis()),
                            String.format(Locale.ROOT, "%.0f ms", result.timings(operation).api().median() * 1000)));
                }
            }
        }
        text.append(table(List.of("driver", "size", "operation", "stop", "snapshot (save) / clone (load, reset)", "start", "daemon total",
                "API call"), stepRows)).append("\n\n");
        text.append("Medians of the daemon's own timings, from its log lines (`saved as rev.N in … ms (stop …, snapshot …, start …)`, ")
                .append("`load rev.1 in … ms (stop …, clone …, start …)`), timed runs only. A load and a reset also delete the container's volume ")
                .append("before the clone, counted in \"clone\". The API call adds HTTP, the catalog and, for a save, measuring the revision's size, ")
                .append("which the daemon does after the server has started.\n\n");

        text.append("## Revision sizes\n\n");
        List<List<String>> sizeRows = new ArrayList<>();
        for (DriverRevisions driver : report.drivers()) {
            for (RevisionResult result : driver.sizes()) {
                List<String> reported = result.savedRevisions().stream().map(revision -> megabytes(revision.sizeBytes())).toList();
                sizeRows.add(List.of(driver.driver().id(), result.size().id(), megabytes(result.imageSizeBytes()), String.join(", ", reported)));
            }
        }
        text.append(table(List.of("driver", "size", "image (data directory)", "size of each saved revision, as the API reports it (rev.1 first)"),
                sizeRows)).append("\n\n");
        text.append("`sizeBytes` of the `Revision` each save answered. What the figure means depends on the driver: the size of the ")
                .append("data directory's files with `copy` and `reflink` (reflinked blocks shared with the image are counted), all the bytes the ")
                .append("sealed revision refers to with `btrfs` (`btrfs filesystem du`, shared ones included), the files of the layer of changes ")
                .append("with `overlay`. None of them is the disk space the revision adds, except with `copy`.\n\n");

        Machine machine = report.machine();
        text.append("Machine: ").append(machine.nproc()).append(" CPUs (").append(machine.cpu()).append("), ")
                .append(machine.memoryGibibytes()).append(" GiB RAM, Linux ")
                .append(machine.kernel()).append(", ").append(machine.java()).append(". Each driver had its own loop-mounted file system ")
                .append("and daemon (`btrfs` on btrfs, `reflink` on XFS, `overlay` and `copy` on ext4).\n");
        text.append("Total run time: ").append(report.totalSeconds()).append(" s (file systems, daemons, image builds included).\n\n");
        text.append("![save, load and reset per driver and size](").append(fileName).append(".png)\n");
        return text.toString();
    }

    private static String millis(StepMillis steps)
    {
        return steps == null ? "?" : steps.median() + " ms";
    }

    private static String format(double value)
    {
        return String.format(Locale.ROOT, "%.3f", value);
    }
}
