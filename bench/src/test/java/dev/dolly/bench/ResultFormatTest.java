package dev.dolly.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.dolly.api.Json;
import dev.dolly.bench.BaselineMeasurement.BaselineReport;
import dev.dolly.bench.BaselineMeasurement.BaselineResult;
import dev.dolly.bench.CliMeasurement.CliReport;
import dev.dolly.bench.CliMeasurement.CliResult;
import dev.dolly.bench.CliMeasurement.HyperfineResult;
import dev.dolly.bench.CliMeasurement.NotMeasured;
import dev.dolly.bench.CloneReport.DriverClones;
import dev.dolly.bench.CloneReport.DriverRatios;
import dev.dolly.bench.CloneReport.Target;
import dev.dolly.bench.CloneTiming.ImageCloneResult;
import dev.dolly.bench.DensityMeasurement.DensityContainer;
import dev.dolly.bench.DensityMeasurement.DensityResult;
import dev.dolly.bench.DensityMeasurement.DensitySummary;
import dev.dolly.bench.RevisionBenchmark.DaemonSteps;
import dev.dolly.bench.RevisionBenchmark.OperationTimings;
import dev.dolly.bench.RevisionBenchmark.RevisionResult;
import dev.dolly.bench.RevisionBenchmark.RevisionSummary;
import dev.dolly.bench.RevisionBenchmark.StepMillis;
import dev.dolly.bench.RevisionBenchmark.WarmUp;
import dev.dolly.bench.RevisionsReport.DriverRevisions;
import dev.dolly.bench.RevisionsReport.OperationRatio;
import dev.dolly.bench.RevisionsReport.RevisionTarget;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/**
 * The result files written from the records have the shape of those published in {@code bench/results}: the same
 * keys in the same order at every level, and values of the same kinds; and the ratios, targets and tables computed
 * from known figures.
 */
class ResultFormatTest
{
    private static final Path PUBLISHED = Path.of("results");
    private static final ReportHeader HEADER = new ReportHeader("2026-01-02T03:04:05Z",
            new Machine(2, 8L << 30, "Some CPU", "6.1.0", "Eclipse Adoptium 21.0.5", "ext2/ext3"), "0.10 0.20 0.30 1/100 1", "0.1.0-SNAPSHOT", 123.456);

    @TempDir
    Path output;

    @Test
    void cloneReportOfPostgresql()
            throws IOException
    {
        JsonNode published = read(PUBLISHED.resolve("clone-cow.json"));
        BenchmarkOptions options = options(Engine.POSTGRESQL, drivers(published.get("drivers")), sizes(published.get("databaseSizeBytes")));
        CliResult cli = new CliResult(StorageDriver.BTRFS, "bench-1g", null, true, 40_000_000L, "hyperfine 1.15.0",
                new HyperfineResult("./dolly create data-container -i bench-1g -q", List.of(0.3, 0.35, 0.4), 0.35, 0.3, 0.4, 0.35),
                new HyperfineResult("./dolly get data-containers -q", List.of(0.2, 0.25, 0.3), 0.25, 0.2, 0.3, 0.25));
        CloneReport report = cloneReport(options, cli);

        String markdown = new CloneReportWriter(options).write(report);

        JsonNode written = read(output.resolve("clone-cow.json"));
        // clone-cow.json was measured before the engine was recorded; clone-mariadb.json has it
        assertThat(written.get("engine").asText()).isEqualTo("postgresql");
        ((ObjectNode) written).remove("engine");
        assertSameShape(published, written, "$");
        assertThat(Files.readAllBytes(output.resolve("clone.png"))).startsWith(0x89, 'P', 'N', 'G');

        assertThat(report.ratios().get("btrfs")).isEqualTo(new DriverRatios(60.0, 1.5, 2.0));
        assertThat(report.ratios().get("copy")).isEqualTo(new DriverRatios(60.0, 1.5, 2.0));
        assertThat(report.targets()).contains(
                new Target("btrfs: at 1 GB, pg_restore -j2 median ÷ clone median ≥ 60", 60.0, true),
                new Target("btrfs: clone median at 5 GB ÷ at 100 MB ≤ 1.2", 1.5, false),
                new Target("btrfs 100m: request → first query median ≤ 0.3 s", 0.2, true),
                new Target("btrfs 5g: POST /containers alone, median ≤ 0.3 s", 0.2, true),
                new Target("./dolly create data-container -q, whole command, median ≤ 0.6 s", 0.35, true));
        // copy's clones are copies: the targets of copy-on-write clones do not apply to it
        assertThat(report.targets()).noneMatch(target -> target.target().startsWith("copy"));

        assertThat(markdown)
                .startsWith("# Time from request to first query answered, per storage driver and image size\n\n"
                        + "Measured 2026-01-02T03:04:05Z by `bench/run-clone-benchmark`")
                .contains("| size | pg_database_size | btrfs | reflink | overlay | copy | pg_restore -j2 | CREATE DATABASE … TEMPLATE |")
                .contains("| 100m | 90.0 MiB | 0.20 s (0.10–0.30) | 0.20 s (0.10–0.30) | 0.20 s (0.10–0.30) | 0.20 s (0.10–0.30) | 12.00 s (10.00–14.00) "
                        + "| 3.00 s (2.00–4.00) |")
                .contains("| btrfs | 60.00× | 1.50× | 2.00× |")
                .contains("| `./dolly create data-container -i bench-1g -q` | 0.350 s | 0.300 s | 0.400 s | 3 |")
                .contains("| btrfs: clone median at 5 GB ÷ at 100 MB ≤ 1.2 | 1.5 | **not met** |")
                .contains("| copy | ext2/ext3 | 5g | 100.0 MiB | 90.0 MiB | 5.5 s |")
                .contains("- `1g`: `pg_dump -Fc` wrote 17.4 MiB in 1.5 s.")
                .contains("The baselines ran once per size, in a container of the `copy` daemon")
                .contains("Machine: 2 CPUs (Some CPU), 8.0 GiB RAM, Linux 6.1.0, Eclipse Adoptium 21.0.5, pg_restore (PostgreSQL) 15.18.\n")
                .endsWith("![request to first query, per driver and size](clone.png)\n");
    }

    @Test
    void cloneReportOfMariadb()
            throws IOException
    {
        JsonNode published = read(PUBLISHED.resolve("clone-mariadb.json"));
        BenchmarkOptions options = options(Engine.MARIADB, drivers(published.get("drivers")), sizes(published.get("databaseSizeBytes")));
        CloneReport report = cloneReport(options, NotMeasured.NOT_APPLICABLE);

        String markdown = new CloneReportWriter(options).write(report);

        assertSameShape(published, read(output.resolve("clone-mariadb.json")), "$");
        assertThat(output.resolve("clone-mariadb.md")).exists();
        assertThat(output.resolve("clone-mariadb.png")).exists();
        assertThat(report.ratios().get("overlay")).isEqualTo(new DriverRatios(null, 1.5, 2.0));
        assertThat(markdown)
                .startsWith("# Time from request to first query answered, per storage driver and image size: MariaDB\n")
                .contains("| size | data and indexes | btrfs | reflink | overlay | copy |\n")
                .contains("| driver | clone 5 GB ÷ 100 MB | API call alone 5 GB ÷ 100 MB |")
                .contains("## The whole CLI command\n\nNot measured (needs the btrfs driver, the 1g image and --cli-runs above 0).")
                .doesNotContain("pg_restore (PostgreSQL)")
                .endsWith("![request to first query, per driver and size](clone-mariadb.png)\n");
    }

    @Test
    void densityReport()
            throws IOException
    {
        JsonNode published = read(PUBLISHED.resolve("density.json"));
        List<StorageDriver> drivers = new ArrayList<>();
        published.get("drivers").forEach(driver -> drivers.add(StorageDriver.fromId(driver.get("storageDriver").asText())));
        BenchmarkOptions options = options(Engine.POSTGRESQL, drivers, List.of(ImageSize.PGBENCH_1G));
        long imageBytes = 1_000_000_000L;
        List<DensityResult> results = new ArrayList<>();
        for (StorageDriver driver : drivers) {
            List<DensityContainer> containers = List.of(
                    new DensityContainer("bench-density-1", 1_000_000, 1_000_000, 0.1, 7, 10_000_000, 30_000_000),
                    new DensityContainer("bench-density-2", 3_000_000, 2_000_000, 0.3, 7, 20_000_000, 40_000_000),
                    new DensityContainer("bench-density-3", 60_000_000, 2_000_000, 6.0, 7, 31_000_000, 50_000_000));
            results.add(new DensityResult(driver, "btrfs", "bench-1g", imageBytes, 900_000_000L, "statfs", "Pss", 5_000_000, 70_000_000, containers,
                    DensitySummary.of(containers, imageBytes)));
        }
        DensityReport report = DensityReport.of(options, HEADER, results);

        new DensityReportWriter(options).write(report);

        assertSameShape(published, read(output.resolve("density.json")), "$");
        assertThat(results.getFirst().summary())
                .isEqualTo(new DensitySummary(3_000_000, 60_000_000, 6.0, 0.3, 20_000_000, 31_000_000, 40_000_000, 50_000_000, false, false));
        assertThat(Files.readString(output.resolve("density.md")))
                .contains("| " + drivers.getFirst() + " | 953.7 MiB | 2.9 MiB (0.3 %) | 57.2 MiB (6.0 %) | 19.1 MiB | 29.6 MiB | 38.1 MiB | **not met** "
                        + "| **not met** |");
    }

    @Test
    void revisionsReportOfPostgresql()
            throws IOException
    {
        revisionsReport(Engine.POSTGRESQL, "revisions.json");
    }

    @Test
    void revisionsReportOfMariadb()
            throws IOException
    {
        revisionsReport(Engine.MARIADB, "revisions-mariadb.json");
    }

    private void revisionsReport(Engine engine, String file)
            throws IOException
    {
        JsonNode published = read(PUBLISHED.resolve(file));
        List<DriverRevisions> results = new ArrayList<>();
        List<StorageDriver> drivers = new ArrayList<>();
        List<ImageSize> sizes = new ArrayList<>();
        for (JsonNode driver : published.get("drivers")) {
            StorageDriver storageDriver = StorageDriver.fromId(driver.get("driver").asText());
            drivers.add(storageDriver);
            List<RevisionResult> measured = new ArrayList<>();
            for (JsonNode size : driver.get("sizes")) {
                ImageSize imageSize = ImageSize.fromId(size.get("size").asText());
                if (!sizes.contains(imageSize)) {
                    sizes.add(imageSize);
                }
                measured.add(revisionResult(imageSize));
            }
            results.add(new DriverRevisions(storageDriver, measured));
        }
        BenchmarkOptions options = options(engine, drivers, sizes);
        RevisionsReport report = RevisionsReport.of(options, HEADER, results);

        String markdown = new RevisionReportWriter(options).write(report);

        assertSameShape(published, read(output.resolve(file)), "$");
        String stem = file.replace(".json", "");
        assertThat(output.resolve(stem + ".png")).exists();
        assertThat(Files.readString(output.resolve(stem + ".md"))).isEqualTo(markdown);
        StorageDriver first = drivers.getFirst();
        assertThat(report.ratios5gTo1g().get(first.id()).get("save")).isEqualTo(new OperationRatio(1.1, 1.2));
        assertThat(report.targets()).contains(
                new RevisionTarget(first + ": save at 1 GB, median ≤ 0.5 s", 0.2, true, 0.3, true),
                new RevisionTarget(first + ": save median at 5 GB ÷ at 1 GB ≤ 1.2", 1.1, true, 1.2, true),
                new RevisionTarget(first + ": load at 1 GB, median ≤ 0.5 s", 0.4, true, 0.6, false));
        assertThat(markdown)
                .contains("| " + first + " | 1g | 0.9 MiB | 0.20 s (0.10–0.30) | 0.40 s (0.30–0.50) | 0.20 s (0.10–0.30) | 0.30 s (0.20–0.40) "
                        + "| 0.60 s (0.50–0.70) | 0.30 s (0.20–0.40) |")
                .contains("| " + first + " | 1.10× (1.20×) | 1.10× (1.20×) | 1.10× (1.20×) |")
                .contains("| " + first + " | 1g | save | 30 ms | 100 ms | 50 ms | 180 ms | 200 ms |")
                .contains("| " + first + " | 1g | load | 30 ms | 150 ms | 50 ms | 230 ms | 400 ms |")
                .contains("(`" + RevisionBenchmark.stateQuery(engine) + "`)")
                .endsWith("![save, load and reset per driver and size](" + stem + ".png)\n");
    }

    private CloneReport cloneReport(BenchmarkOptions options, CliReport cli)
    {
        Map<String, Long> databaseSizes = new LinkedHashMap<>();
        options.sizes().forEach(size -> databaseSizes.put(size.id(), 90L << 20));
        List<DriverClones> clones = new ArrayList<>();
        for (StorageDriver driver : options.drivers()) {
            List<ImageCloneResult> images = new ArrayList<>();
            for (ImageSize size : options.sizes()) {
                Timings clone = switch (size) {
                    case PGBENCH_5G -> timings(0.2, 0.3, 0.4);
                    case PGBENCH_1G -> timings(0.15, 0.2, 0.25);
                    default -> timings(0.1, 0.2, 0.3);
                };
                Timings api = size == ImageSize.PGBENCH_5G ? timings(0.1, 0.2, 0.3) : timings(0.05, 0.1, 0.15);
                images.add(new ImageCloneResult(size.id(), "pgbench-like tables", "15.19.0", "select count(*) from pgbench_branches", 100L << 20, 90L << 20,
                        5.5, 0.6, clone, api));
            }
            clones.add(new DriverClones(driver, "the reason", driver == StorageDriver.BTRFS ? "btrfs" : "ext2/ext3", images));
        }
        BaselineReport baselines;
        String pgRestoreVersion = null;
        if (options.postgresql()) {
            Map<String, BaselineResult> sizes = new LinkedHashMap<>();
            options.sizes().forEach(size -> sizes.put(size.id(), new BaselineResult("custom (pg_dump -Fc)", 18_289_760, 1.5, timings(10, 12, 14),
                    timings(2, 3, 4))));
            baselines = new BaselineReport(options.baselineDriver(), "ext2/ext3", sizes);
            pgRestoreVersion = "pg_restore (PostgreSQL) 15.18";
        }
        else {
            baselines = new BaselineReport(null, null, Map.of());
        }
        return CloneReport.of(options, HEADER, pgRestoreVersion, databaseSizes, clones, baselines, cli);
    }

    private static RevisionResult revisionResult(ImageSize size)
    {
        double factor = size == ImageSize.PGBENCH_5G ? 1.1 : 1;
        double queryFactor = size == ImageSize.PGBENCH_5G ? 1.2 : 1;
        OperationTimings save = new OperationTimings(timings(0.1 * factor, 0.2 * factor, 0.3 * factor),
                timings(0.2 * queryFactor, 0.3 * queryFactor, 0.4 * queryFactor));
        OperationTimings load = new OperationTimings(timings(0.3 * factor, 0.4 * factor, 0.5 * factor),
                timings(0.5 * queryFactor, 0.6 * queryFactor, 0.7 * queryFactor));
        StepMillis stop = new StepMillis(30, List.of(20L, 30L, 40L));
        StepMillis start = new StepMillis(50, List.of(40L, 50L, 60L));
        Map<String, DaemonSteps> daemonLog = new LinkedHashMap<>();
        daemonLog.put("save", new DaemonSteps(new StepMillis(180, List.of(170L, 180L, 190L)), stop, new StepMillis(100, List.of(90L, 100L, 110L)), null, start));
        daemonLog.put("load", new DaemonSteps(new StepMillis(230, List.of(220L, 230L, 240L)), stop, null, new StepMillis(150, List.of(140L, 150L, 160L)), start));
        daemonLog.put("reset", new DaemonSteps(new StepMillis(230, List.of(220L, 230L, 240L)), stop, null, new StepMillis(150, List.of(140L, 150L, 160L)), start));
        return new RevisionResult(size, "bench-" + size, 1L << 20, 900_000, save, load, save, new WarmUp(0.5, 0.6, 0.7, 0.8, 0.9, 1.0),
                List.of(new RevisionSummary("rev.1", "rev.0", 1000L, false), new RevisionSummary("rev.2", "rev.1", 2000L, false)),
                List.of(new RevisionSummary("rev.0", null, null, false), new RevisionSummary("rev.1", "rev.0", 1000L, true)), daemonLog);
    }

    private BenchmarkOptions options(Engine engine, List<StorageDriver> drivers, List<ImageSize> sizes)
    {
        return new BenchmarkOptions(List.of(Phase.CLONE, Phase.DENSITY, Phase.REVISIONS), drivers, sizes, 3, 3, 3, List.of(), 3, 10, 30L << 30,
                output.resolve("work"), output, Path.of("."), "pg_dump", "pg_restore", engine);
    }

    private static List<StorageDriver> drivers(JsonNode drivers)
    {
        List<StorageDriver> result = new ArrayList<>();
        drivers.forEach(driver -> result.add(StorageDriver.fromId(driver.get("driver").asText())));
        return result;
    }

    private static List<ImageSize> sizes(JsonNode sizes)
    {
        List<ImageSize> result = new ArrayList<>();
        sizes.fieldNames().forEachRemaining(size -> result.add(ImageSize.fromId(size)));
        return result;
    }

    private static Timings timings(double... seconds)
    {
        List<Double> runs = new ArrayList<>();
        for (double value : seconds) {
            runs.add(Timings.round(value));
        }
        return new Timings(runs);
    }

    private static JsonNode read(Path file)
            throws IOException
    {
        return Json.json().readTree(file.toFile());
    }

    /**
     * The same keys in the same order in every object, and values of the same kind (number, text, boolean); a null on
     * either side matches anything (a revision's parent is null for {@code rev.0} only). Every element of an array is
     * compared with the first published one.
     */
    private static void assertSameShape(JsonNode published, JsonNode written, String path)
    {
        if (published.isNull() || written.isNull()) {
            return;
        }
        if (published.isObject()) {
            assertThat(written.isObject()).as("%s is an object: %s", path, written).isTrue();
            assertThat(fieldNames(written)).as("the keys of %s", path).containsExactlyElementsOf(fieldNames(published));
            for (String name : fieldNames(published)) {
                assertSameShape(published.get(name), written.get(name), path + "." + name);
            }
        }
        else if (published.isArray()) {
            assertThat(written.isArray()).as("%s is an array: %s", path, written).isTrue();
            if (published.isEmpty()) {
                return;
            }
            assertThat(written.isEmpty()).as("%s is empty", path).isFalse();
            for (JsonNode element : written) {
                assertSameShape(published.get(0), element, path + "[]");
            }
        }
        else if (published.isNumber()) {
            assertThat(written.isNumber()).as("%s is a number: %s", path, written).isTrue();
        }
        else if (published.isTextual()) {
            assertThat(written.isTextual()).as("%s is text: %s", path, written).isTrue();
        }
        else if (published.isBoolean()) {
            assertThat(written.isBoolean()).as("%s is a boolean: %s", path, written).isTrue();
        }
        else {
            fail("%s: unexpected %s", path, published);
        }
    }

    private static List<String> fieldNames(JsonNode node)
    {
        List<String> names = new ArrayList<>();
        Iterator<String> iterator = node.fieldNames();
        iterator.forEachRemaining(names::add);
        return names;
    }
}
