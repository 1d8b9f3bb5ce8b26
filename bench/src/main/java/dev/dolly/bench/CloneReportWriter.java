package dev.dolly.bench;

import dev.dolly.api.Json;
import dev.dolly.bench.BaselineMeasurement.BaselineResult;
import dev.dolly.bench.CliMeasurement.CliResult;
import dev.dolly.bench.CliMeasurement.HyperfineResult;
import dev.dolly.bench.CloneReport.DriverClones;
import dev.dolly.bench.CloneReport.DriverRatios;
import dev.dolly.bench.CloneReport.Target;
import dev.dolly.bench.CloneTiming.ImageCloneResult;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

import static dev.dolly.bench.Markdown.megabytes;
import static dev.dolly.bench.Markdown.table;
import static java.util.Objects.requireNonNull;

/** Writes {@code clone-cow.json}, {@code clone.md} and {@code clone.png} ({@code clone-mariadb.*} for MariaDB). */
final class CloneReportWriter
{
    private final BenchmarkOptions options;

    CloneReportWriter(BenchmarkOptions options)
    {
        this.options = requireNonNull(options, "options is null");
    }

    /** Writes the three files; answers the Markdown. */
    String write(CloneReport report)
            throws IOException
    {
        Files.createDirectories(options.output());
        Path json = options.output().resolve(options.resultFileName("clone-cow") + ".json");
        Path markdownFile = options.output().resolve(options.resultFileName("clone") + ".md");
        Path png = options.output().resolve(options.resultFileName("clone") + ".png");
        Files.writeString(json, Json.json().writerWithDefaultPrettyPrinter().writeValueAsString(report) + "\n");
        String markdown = markdown(report);
        Files.writeString(markdownFile, markdown);
        ResultCharts.clones(options, report).write(png);
        Log.log("Results: " + json + ", " + markdownFile + ", " + png);
        return markdown;
    }

    String markdown(CloneReport report)
    {
        boolean postgresql = options.postgresql();
        StringBuilder text = new StringBuilder();
        text.append("# Time from request to first query answered, per storage driver and image size").append(postgresql ? "" : ": MariaDB")
                .append("\n\n");
        text.append("Measured ").append(report.date()).append(" by `bench/run-clone-benchmark` (see `bench/README.md`); load average at the start: ")
                .append(report.loadAverageAtStart()).append(".\n\n");
        List<String> header = new ArrayList<>(List.of("size", options.engine().databaseSizeColumn()));
        options.drivers().forEach(driver -> header.add(driver.id()));
        if (postgresql) {
            header.add("pg_restore -j2");
            header.add("CREATE DATABASE … TEMPLATE");
        }
        List<List<String>> rows = new ArrayList<>();
        for (ImageSize size : options.sizes()) {
            List<String> row = new ArrayList<>(List.of(size.id(), megabytes(report.databaseSizeBytes().get(size.id()))));
            for (StorageDriver driver : options.drivers()) {
                row.add(summary(report.image(driver, size).map(ImageCloneResult::dollyClone)));
            }
            if (postgresql) {
                Optional<BaselineResult> baseline = Optional.ofNullable(report.baselines().sizes().get(size.id()));
                row.add(summary(baseline.map(BaselineResult::pgRestore)));
                row.add(summary(baseline.map(BaselineResult::createDatabaseTemplate)));
            }
            rows.add(row);
        }
        text.append(table(header, rows)).append("\n\n");
        text.append("Request → first query answered: median of ").append(options.runs()).append(" Dolly clones per driver")
                .append(postgresql ? " and of " + options.baselineRuns() + " runs of each baseline" : "")
                .append(", in seconds, with the fastest and slowest run in parentheses; before them, one clone of each image ")
                .append("was made and deleted untimed (its time is `warmUpSeconds` in `").append(options.resultFileName("clone-cow"))
                .append(".json`), after `sync -f` had written the new image out. ");
        if (postgresql) {
            text.append("The baselines ran once per size, in a container of the `").append(options.baselineDriver())
                    .append("` daemon (a server that was already running, which favours them).");
        }
        text.append("\n\n");

        text.append("## The API call alone\n\n");
        List<List<String>> apiRows = new ArrayList<>();
        for (ImageSize size : options.sizes()) {
            List<String> row = new ArrayList<>(List.of(size.id()));
            for (StorageDriver driver : options.drivers()) {
                row.add(summary(report.image(driver, size).map(ImageCloneResult::dollyCloneApiOnly)));
            }
            apiRows.add(row);
        }
        List<String> apiHeader = new ArrayList<>(List.of("size"));
        options.drivers().forEach(driver -> apiHeader.add(driver.id()));
        text.append(table(apiHeader, apiRows)).append("\n\n");
        text.append("`POST /api/v1/containers` until its answer (the container's server is running and its password set), without connecting.\n\n");

        text.append("## Ratios\n\n");
        List<List<String>> ratioRows = new ArrayList<>();
        for (StorageDriver driver : options.drivers()) {
            DriverRatios ratios = report.ratios().get(driver.id());
            List<String> row = new ArrayList<>(List.of(driver.id()));
            if (postgresql) {
                row.add(ratio(ratios, DriverRatios::pgRestoreToDollyAt1g));
            }
            row.add(ratio(ratios, DriverRatios::cloneMedian5gTo100m));
            row.add(ratio(ratios, DriverRatios::apiOnlyMedian5gTo100m));
            ratioRows.add(row);
        }
        List<String> ratioHeader = new ArrayList<>(List.of("driver"));
        if (postgresql) {
            ratioHeader.add("pg_restore -j2 ÷ clone at 1 GB");
        }
        ratioHeader.addAll(List.of("clone 5 GB ÷ 100 MB", "API call alone 5 GB ÷ 100 MB"));
        text.append(table(ratioHeader, ratioRows)).append("\n\n");
        text.append("Ratios of medians. ").append(postgresql ? "pg_restore ÷ clone above 1: the Dolly clone answers sooner. " : "")
                .append("5 GB ÷ 100 MB near 1: the time does not depend on the image's size.\n\n");

        text.append("## The whole CLI command\n\n");
        if (!(report.cli() instanceof CliResult cli)) {
            text.append("Not measured (needs the btrfs driver, the 1g image and --cli-runs above 0).\n\n");
        }
        else if (!cli.measured()) {
            text.append("Not measured: ").append(cli.note()).append(".\n\n");
        }
        else {
            text.append(table(List.of("command", "median", "min", "max", "runs"), List.of(
                    commandRow(cli.createDataContainer()),
                    commandRow(cli.getDataContainers())))).append("\n\n");
            text.append("Separate processes timed by ").append(cli.tool()).append(" (2 warm-up runs), JVM start included, against the `")
                    .append(cli.storageDriver()).append("` daemon and its `").append(cli.image())
                    .append("` image; each created container was deleted before the next run, untimed; one container existed while `get` was timed.\n\n");
        }

        text.append("## Targets\n\n");
        List<List<String>> targetRows = new ArrayList<>();
        for (Target target : report.targets()) {
            targetRows.add(List.of(target.target(), String.valueOf(target.measured()), Markdown.met(target.met())));
        }
        text.append(table(List.of("target", "measured", ""), targetRows)).append("\n\n");

        text.append("## Sizes and builds\n\n");
        List<List<String>> sizeRows = new ArrayList<>();
        for (DriverClones driver : report.drivers()) {
            for (ImageCloneResult image : driver.images()) {
                sizeRows.add(List.of(driver.driver().id(), driver.dollyHomeFilesystem(), image.size(), megabytes(image.imageSizeBytes()),
                        megabytes(image.databaseSizeBytes()), image.imageBuildSeconds() + " s"));
            }
        }
        text.append(table(List.of("driver", "file system", "size", "image (data directory)", options.engine().databaseSizeColumn(), "image build"), sizeRows))
                .append("\n\n");
        for (Map.Entry<String, BaselineResult> baseline : report.baselines().sizes().entrySet()) {
            text.append("- `").append(baseline.getKey()).append("`: `pg_dump -Fc` wrote ").append(megabytes(baseline.getValue().dumpBytes()))
                    .append(" in ").append(baseline.getValue().dumpSeconds()).append(" s.\n");
        }
        text.append(postgresql
                        ? "\nImages: pgbench's four tables generated with `generate_series` at scale 6, 65 and 330 (`100m`, `1g`, `5g`), PostgreSQL 15; "
                        : "\nImages: pgbench's four tables (InnoDB) generated with `INSERT … SELECT` from the `seq_1_to_N` sequence engine at scale 6, 65 and "
                        + "330 (`100m`, `1g`, `5g`), `engine: mariadb` (MariaDB 11.4.5); no baselines (pg_restore and CREATE DATABASE … TEMPLATE are "
                        + "PostgreSQL's); ")
                .append("the first query is `select count(*) from pgbench_branches`. Each driver had its own sparse ")
                .append(options.filesystemBytes() >> 30).append(" GiB loop-mounted file system and its own daemon; the page cache was warm ")
                .append("(images had just been built).\n\n");
        Machine machine = report.machine();
        text.append("Machine: ").append(machine.nproc()).append(" CPUs (").append(machine.cpu()).append("), ")
                .append(machine.memoryGibibytes()).append(" GiB RAM, Linux ")
                .append(machine.kernel()).append(", ").append(machine.java())
                .append(postgresql ? ", " + report.pgRestoreVersion() : "").append(".\n");
        text.append("Total run time: ").append(report.totalSeconds()).append(" s.\n\n");
        text.append("![request to first query, per driver and size](").append(options.resultFileName("clone")).append(".png)\n");
        return text.toString();
    }

    private static List<String> commandRow(HyperfineResult command)
    {
        return List.of("`" + command.command() + "`", Markdown.seconds(command.medianSeconds()), Markdown.seconds(command.minSeconds()),
                Markdown.seconds(command.maxSeconds()), String.valueOf(command.runs().size()));
    }

    private static String summary(Optional<Timings> timings)
    {
        return timings.map(Timings::summary).orElse("not measured");
    }

    private static String ratio(DriverRatios ratios, Function<DriverRatios, Double> ratio)
    {
        return Markdown.ratio(ratios == null ? null : ratio.apply(ratios));
    }
}
