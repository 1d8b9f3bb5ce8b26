package dev.dolly.bench;

import com.fasterxml.jackson.databind.SerializationFeature;
import dev.dolly.api.CreateContainerRequest;
import dev.dolly.api.DataContainer;
import dev.dolly.api.DataImage;
import dev.dolly.api.ImageBuildStep;
import dev.dolly.api.Json;
import dev.dolly.api.client.DollyClient;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import static dev.dolly.bench.BenchImages.await;
import static dev.dolly.bench.BenchImages.imageRequest;
import static dev.dolly.bench.BenchImages.stepsText;
import static dev.dolly.bench.Log.log;
import static java.util.Objects.requireNonNull;

/**
 * The measurement of {@link BuildBenchmark}: the whole build of a Dolly image from a custom-format dump, against
 * {@code pg_restore -j2} of the same dump into a fresh database of a running server, side by side in one run on one
 * daemon, so that their ratio holds on a machine other work makes noisy. Both use PostgreSQL 15 (the version of
 * Debian's client programs, which dump and restore): the build's server is the daemon's, the baseline's is a container
 * of an empty PostgreSQL 15 image, started before the clock starts, as in the clone benchmark. Runs alternate between
 * the two.
 *
 * <p>Writes {@code build.md} and {@code build.json} to the results directory, with the build's steps (the medians of
 * each step's time over the runs).
 */
final class BuildBenchmarkRun
{
    private static final String SOURCE_IMAGE = "build-bench-source";
    private static final String EMPTY_IMAGE = "build-bench-empty";
    private static final String BUILT_IMAGE = "build-bench";
    private static final String DATABASE = "bench";
    private static final String RESTORED_DATABASE = "restored";
    private static final String PROBE_QUERY = "select count(*) from pgbench_branches";
    private static final int RESTORE_JOBS = 2;
    private static final double TARGET_RATIO = 1.2;

    private final BuildBenchmarkOptions options;

    BuildBenchmarkRun(BuildBenchmarkOptions options)
    {
        this.options = requireNonNull(options, "options is null");
    }

    /** One build: its whole time (request until READY) and its steps. */
    record BuildRun(double seconds, List<ImageBuildStep> steps) {}

    record StepMedian(String step, double medianSeconds) {}

    record Report(
            String date,
            String dollyVersion,
            String postgresqlVersion,
            String storageDriver,
            String filesystem,
            int cpus,
            int scale,
            long databaseBytes,
            long dumpBytes,
            int runs,
            Timings dollyBuild,
            List<StepMedian> buildStepMedians,
            List<BuildRun> builds,
            Timings pgRestore,
            double ratio,
            double targetRatio,
            boolean targetMet) {}

    void run()
            throws Exception
    {
        Path work = Files.createTempDirectory(options.homeParent(), "dolly-build-bench-");
        Files.setPosixFilePermissions(work, java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x"));
        BenchDaemon daemon = new BenchDaemon(options.projectRoot(), work.resolve("home"), work.resolve("daemon.log"), Map.of());
        Path dumpDirectory = work.resolve("dump");
        Files.createDirectories(dumpDirectory);
        try {
            daemon.start();
            DollyClient client = daemon.client();
            var info = client.info();
            log("Daemon " + info.version() + ", storage driver " + info.storageDriver() + " in " + daemon.home());

            log("Generating the pgbench-like database at scale " + options.scale() + " and dumping it with pg_dump -Fc");
            DataImage source = await(client, client.createImage(imageRequest(sourceDefinition(options.scale()), dumpDirectory)));
            Path dump = dumpDirectory.resolve("pgbench.dump");
            long databaseBytes = BenchImages.dumpAndDelete(client, source, DATABASE, options.pgDump(), dump);
            log("Database " + databaseBytes / 1_000_000 + " MB, dump " + Files.size(dump) / 1_000_000 + " MB");
            DataImage empty = await(client, client.createImage(imageRequest("""
                    name: %s
                    sourceType: empty
                    engine: postgresql
                    version: 15
                    lifetime: 0
                    """.formatted(EMPTY_IMAGE), dumpDirectory)));

            List<BuildRun> builds = new ArrayList<>();
            List<Double> buildSeconds = new ArrayList<>();
            List<Double> restoreSeconds = new ArrayList<>();
            for (int run = 1; run <= options.runs(); run++) {
                sync(daemon.home());
                long start = System.nanoTime();
                DataImage built = await(client, client.createImage(imageRequest("""
                        name: %s
                        sourceType: backup
                        engine: postgresql
                        version: 15
                        initialDatabaseName: %s
                        backup:
                          folder: ./
                          file: pgbench.dump
                        lifetime: 0
                        """.formatted(BUILT_IMAGE, DATABASE), dumpDirectory)));
                long end = System.nanoTime();
                buildSeconds.add(Timings.seconds(start, end));
                builds.add(new BuildRun(Timings.seconds(start, end), built.buildSteps()));
                log(String.format(Locale.ROOT, "Dolly build %d/%d: %.2f s (%s)", run, options.runs(), (end - start) / 1e9, stepsText(built.buildSteps())));
                DataContainer check = client.createContainer(new CreateContainerRequest(built.name(), null, null));
                try {
                    firstAnswer(check, DATABASE, PROBE_QUERY);
                }
                finally {
                    client.deleteContainer(check.name());
                }
                client.deleteImage(String.valueOf(built.id()));

                DataContainer target = client.createContainer(new CreateContainerRequest(empty.name(), null, null));
                try {
                    sync(daemon.home());
                    start = System.nanoTime();
                    try (Connection connection = connect(target, "postgres");
                            Statement statement = connection.createStatement()) {
                        statement.execute("CREATE DATABASE " + RESTORED_DATABASE);
                    }
                    Commands.run(List.of(options.pgRestore(), "-j", String.valueOf(RESTORE_JOBS), "--no-owner", "-h", target.host(), "-p",
                            String.valueOf(target.port()), "-U", target.user(), "-d", RESTORED_DATABASE, dump.toString()), Map.of("PGPASSWORD", target.password()));
                    firstAnswer(target, RESTORED_DATABASE, PROBE_QUERY);
                    end = System.nanoTime();
                    restoreSeconds.add(Timings.seconds(start, end));
                    log(String.format(Locale.ROOT, "pg_restore -j%d %d/%d: %.2f s", RESTORE_JOBS, run, options.runs(), (end - start) / 1e9));
                }
                finally {
                    client.deleteContainer(target.name());
                }
            }
            client.deleteImage(empty.name());

            Timings buildTimings = new Timings(buildSeconds);
            Timings restoreTimings = new Timings(restoreSeconds);
            double ratio = Timings.round(buildTimings.median() / restoreTimings.median());
            Report report = new Report(Instant.now().toString(), info.version(), "15", info.storageDriver(), Commands.filesystemType(daemon.home()),
                    Runtime.getRuntime().availableProcessors(), options.scale(), databaseBytes, Files.size(dump), options.runs(), buildTimings,
                    stepMedians(builds), builds, restoreTimings, ratio, TARGET_RATIO, ratio <= TARGET_RATIO);
            write(report, buildTimings, restoreTimings);
            log(String.format(Locale.ROOT, "Build %s, pg_restore -j%d %s: %.2f×", buildTimings.summary(), RESTORE_JOBS, restoreTimings.summary(), ratio));
        }
        finally {
            daemon.stop();
            Commands.run(List.of("rm", "-rf", work.toString()));
        }
    }

    private static String sourceDefinition(int scale)
    {
        return """
                name: %2$s
                sourceType: empty
                engine: postgresql
                version: 15
                initialDatabaseName: %3$s
                lifetime: 0
                postScript: |
                  CREATE TABLE pgbench_branches (bid int NOT NULL, bbalance int, filler char(88)) WITH (fillfactor = 100);
                  CREATE TABLE pgbench_tellers (tid int NOT NULL, bid int, tbalance int, filler char(84)) WITH (fillfactor = 100);
                  CREATE TABLE pgbench_accounts (aid int NOT NULL, bid int, abalance int, filler char(84)) WITH (fillfactor = 100);
                  CREATE TABLE pgbench_history (tid int, bid int, aid int, delta int, mtime timestamp, filler char(22));
                  INSERT INTO pgbench_branches (bid, bbalance) SELECT b, 0 FROM generate_series(1, %1$d) AS b;
                  INSERT INTO pgbench_tellers (tid, bid, tbalance) SELECT t, (t - 1) / 10 + 1, 0 FROM generate_series(1, %1$d * 10) AS t;
                  INSERT INTO pgbench_accounts (aid, bid, abalance, filler) SELECT a, (a - 1) / 100000 + 1, 0, '' FROM generate_series(1, %1$d * 100000) AS a;
                  ALTER TABLE pgbench_branches ADD PRIMARY KEY (bid);
                  ALTER TABLE pgbench_tellers ADD PRIMARY KEY (tid);
                  ALTER TABLE pgbench_accounts ADD PRIMARY KEY (aid);
                """.formatted(scale, SOURCE_IMAGE, DATABASE);
    }

    /** The median time of each step, in the order of the first run's steps. */
    private static List<StepMedian> stepMedians(List<BuildRun> builds)
    {
        Map<String, List<Double>> steps = new LinkedHashMap<>();
        for (BuildRun build : builds) {
            for (ImageBuildStep step : build.steps()) {
                steps.computeIfAbsent(step.step(), name -> new ArrayList<>()).add(step.milliseconds() / 1000.0);
            }
        }
        return steps.entrySet().stream().map(entry -> new StepMedian(entry.getKey(), new Timings(entry.getValue()).median())).toList();
    }

    private void write(Report report, Timings build, Timings restore)
            throws IOException
    {
        Files.createDirectories(options.resultsDirectory());
        Files.writeString(options.resultsDirectory().resolve("build.json"),
                Json.json().copy().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(report) + "\n");
        StringBuilder markdown = new StringBuilder();
        markdown.append("# Image build against pg_restore\n\n")
                .append("Written by `bench/run-build-benchmark` (`BuildBenchmark`) on ").append(report.date()).append(": Dolly ").append(report.dollyVersion())
                .append(", PostgreSQL ").append(report.postgresqlVersion()).append(" on both sides, storage driver `").append(report.storageDriver())
                .append("` on ").append(report.filesystem()).append(", ").append(report.cpus()).append(" CPUs.\n\n")
                .append(String.format(Locale.ROOT, "pgbench-like tables at scale %d (%d MB in the database), dumped with `pg_dump -Fc` (%d MB). ",
                        report.scale(), report.databaseBytes() / 1_000_000, report.dumpBytes() / 1_000_000))
                .append("The Dolly build is timed from `POST /api/v1/images` until the image is `READY` (install, initialise, start, restore, seal, ")
                .append("stop, flush: everything); `pg_restore -j2` from `CREATE DATABASE` on a running container of an empty PostgreSQL 15 image ")
                .append("until the first answer of `").append(PROBE_QUERY).append("` in the restored database. ")
                .append(report.runs()).append(" runs each, alternating; median (min–max).\n\n")
                .append("| | seconds |\n|---|---|\n")
                .append("| Dolly build | ").append(build.summary()).append(" |\n")
                .append("| `pg_restore -j2` | ").append(restore.summary()).append(" |\n")
                .append(String.format(Locale.ROOT, "| build ÷ restore | %.2f (target ≤ %.1f: %s) |%n%n", report.ratio(), report.targetRatio(),
                        report.targetMet() ? "met" : "not met"))
                .append("The build's steps (medians; `load` is the restore: schema, data through `COPY … FREEZE`, then indexes with `pg_restore -j2`):\n\n| step | seconds |\n|---|---|\n");
        for (StepMedian step : report.buildStepMedians()) {
            markdown.append(String.format(Locale.ROOT, "| %s | %.2f |%n", step.step(), step.medianSeconds()));
        }
        Files.writeString(options.resultsDirectory().resolve("build.md"), markdown.toString(), StandardCharsets.UTF_8);
        log("Wrote " + options.resultsDirectory().resolve("build.md") + " and build.json");
    }

    /** Writes out what earlier runs left dirty, so that one run does not pay for the last. */
    private static void sync(Path directory)
            throws IOException, InterruptedException
    {
        Commands.run(List.of("sync", "--file-system", directory.toString()));
    }

    private static long firstAnswer(DataContainer container, String database, String query)
            throws SQLException
    {
        return Queries.firstNumber(Queries.postgresqlUrl(container, database), container, query);
    }

    private static Connection connect(DataContainer container, String database)
            throws SQLException
    {
        return Queries.connectPostgresql(container, database);
    }
}
