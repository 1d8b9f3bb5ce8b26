package dev.dolly.bench;

import dev.dolly.api.DataImage;
import dev.dolly.bench.BaselineMeasurement.BaselineReport;
import dev.dolly.bench.BaselineMeasurement.BaselineResult;
import dev.dolly.bench.CliMeasurement.CliReport;
import dev.dolly.bench.CliMeasurement.NotMeasured;
import dev.dolly.bench.CloneReport.DriverClones;
import dev.dolly.bench.CloneTiming.ImageCloneResult;
import dev.dolly.bench.DensityMeasurement.DensityResult;
import dev.dolly.bench.ImagePreparation.PreparedImage;
import dev.dolly.bench.RevisionBenchmark.RevisionResult;
import dev.dolly.bench.RevisionsReport.DriverRevisions;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;

import static java.util.Objects.requireNonNull;

/**
 * One run: for each driver in turn, a {@link DriverSession} (file system, daemon), the images
 * ({@link ImagePreparation}), then the phases the options ask for, then the session closed; at the end, the reports.
 * Everything it made is removed by {@link #cleanUp}, which a shutdown hook calls too (Ctrl-C).
 */
final class BenchmarkRun
{
    private final BenchmarkOptions options;
    private final Path base;
    private final Path work;
    private final AtomicBoolean cleanedUp = new AtomicBoolean();
    private volatile DriverSession current;

    BenchmarkRun(BenchmarkOptions options)
            throws IOException
    {
        this.options = requireNonNull(options, "options is null");
        Files.createDirectories(options.workDirectory());
        // engines may run as another user (the daemon runs them as 'dolly' when it is root): they must be able to
        // traverse to DOLLY_HOME, but nobody else needs to read what is in here
        this.base = Files.createTempDirectory(options.workDirectory(), "dolly-bench-");
        Files.setPosixFilePermissions(base, PosixFilePermissions.fromString("rwx--x--x"));
        this.work = Files.createDirectory(base.resolve("work"));
    }

    void run()
            throws Exception
    {
        long started = System.nanoTime();
        Instant date = Instant.now();
        String loadAtStart = Files.readString(Path.of("/proc/loadavg")).strip();
        Log.log("Load average: " + loadAtStart);

        List<ImageSpec> specs = options.sizes().stream().map(size -> ImageSpec.of(options.engine(), size, options.projectRoot())).toList();
        boolean clonePhase = options.measures(Phase.CLONE);
        ImagePreparation preparation = new ImagePreparation(work);
        CloneTiming cloneTiming = new CloneTiming(options.runs());
        BaselineMeasurement baselineMeasurement = new BaselineMeasurement(options, work);
        CliMeasurement cliMeasurement = new CliMeasurement(options.projectRoot(), options.cliRuns(), work);
        DensityMeasurement densityMeasurement = new DensityMeasurement(options.densityContainers(), options.idleSeconds());
        RevisionBenchmark revisionBenchmark = new RevisionBenchmark(options.runs());

        Map<String, Long> databaseSizes = new LinkedHashMap<>();
        List<DriverClones> clones = new ArrayList<>();
        StorageDriver baselineDriver = null;
        String baselineFilesystem = null;
        Map<String, BaselineResult> baselines = new LinkedHashMap<>();
        CliReport cli = NotMeasured.NOT_APPLICABLE;
        List<DensityResult> density = new ArrayList<>();
        List<DriverRevisions> revisions = new ArrayList<>();
        String version = null;

        for (StorageDriver driver : options.drivers()) {
            DriverSession session = DriverSession.open(driver, options, base, opened -> current = opened);
            try {
                version = session.info().version();
                boolean servesBaselines = clonePhase && options.postgresql() && driver == options.baselineDriver();
                DataImage emptyImage = null;
                if (servesBaselines) {
                    emptyImage = preparation.build(session, ImageSpec.empty());
                    baselineDriver = driver;
                    baselineFilesystem = Commands.filesystemType(session.daemon().home());
                }
                List<ImageCloneResult> images = new ArrayList<>();
                Map<String, DataImage> built = new HashMap<>();
                for (ImageSpec spec : specs) {
                    PreparedImage prepared = preparation.prepare(session, spec);
                    built.put(spec.key(), prepared.image());
                    if (!clonePhase) {
                        continue;
                    }
                    CloneTiming.Measurement measurement = cloneTiming.measure(session, prepared);
                    databaseSizes.putIfAbsent(spec.key(), measurement.result().databaseSizeBytes());
                    images.add(measurement.result());
                    if (servesBaselines) {
                        baselines.put(spec.key(), baselineMeasurement.measure(session, spec, prepared.image(), emptyImage, measurement.database()));
                    }
                }
                clones.add(new DriverClones(driver, session.storageDriverReason(), Commands.filesystemType(session.daemon().home()), images));

                DataImage densityImage = built.get(BenchmarkOptions.DENSITY_SIZE.id());
                if (clonePhase && driver == BenchmarkOptions.CLI_DRIVER && options.cliRuns() > 0 && densityImage != null) {
                    cli = cliMeasurement.measure(session, densityImage);
                }
                if (options.densityDrivers().contains(driver) && densityImage != null) {
                    density.add(densityMeasurement.measure(session, densityImage, databaseSizes.get(BenchmarkOptions.DENSITY_SIZE.id())));
                }
                if (options.measures(Phase.REVISIONS)) {
                    List<RevisionResult> results = new ArrayList<>();
                    for (ImageSize size : options.sizes()) {
                        if (!size.pgbenchLike()) {
                            Log.log("[" + driver + "] Revisions: " + size + " is not a pgbench-like image, skipped");
                            continue;
                        }
                        results.add(revisionBenchmark.measure(session, built.get(size.id()), size));
                    }
                    revisions.add(new DriverRevisions(driver, results));
                }
            }
            finally {
                session.close();
                current = null;
            }
        }

        ReportHeader header = new ReportHeader(DateTimeFormatter.ISO_INSTANT.format(date.truncatedTo(ChronoUnit.SECONDS)),
                Machine.describe(options.workDirectory()), loadAtStart, version, Timings.seconds(started, System.nanoTime()));
        Files.createDirectories(options.output());
        String revisionsMarkdown = null;
        if (revisions.stream().anyMatch(driver -> !driver.sizes().isEmpty())) {
            revisionsMarkdown = new RevisionReportWriter(options).write(RevisionsReport.of(options, header, revisions));
        }
        String cloneMarkdown = null;
        if (clonePhase) {
            String pgRestoreVersion = options.postgresql() ? Commands.output(List.of(options.pgRestore(), "--version")).strip() : null;
            CloneReport report = CloneReport.of(options, header, pgRestoreVersion, databaseSizes, clones,
                    new BaselineReport(baselineDriver, baselineFilesystem, baselines), cli);
            cloneMarkdown = new CloneReportWriter(options).write(report);
        }
        if (!density.isEmpty()) {
            new DensityReportWriter(options).write(DensityReport.of(options, header, density));
        }
        for (String markdown : new String[] {cloneMarkdown, revisionsMarkdown}) {
            if (markdown != null) {
                System.out.println();
                System.out.println(markdown);
            }
        }
        Log.log("Total " + header.totalSeconds() + " s.");
    }

    /** Closes the open session (containers, images, daemon, file system) and deletes the temporary directory. */
    void cleanUp()
    {
        if (!cleanedUp.compareAndSet(false, true)) {
            return;
        }
        DriverSession session = current;
        if (session != null) {
            session.close();
        }
        try {
            if (Files.readString(Path.of("/proc/self/mountinfo")).contains(" " + base + "/")) {
                System.err.println("Warning: something is still mounted below " + base + ": not deleting it");
                return;
            }
            deleteRecursively(base);
        }
        catch (IOException | UncheckedIOException e) {
            System.err.println("Warning: could not delete " + base + ": " + e.getMessage());
        }
    }

    private static void deleteRecursively(Path root)
            throws IOException
    {
        if (!Files.exists(root)) {
            return;
        }
        Files.walkFileTree(root, new SimpleFileVisitor<>()
        {
            @Override
            public FileVisitResult preVisitDirectory(Path directory, BasicFileAttributes attributes)
            {
                directory.toFile().setWritable(true, true);
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attributes)
                    throws IOException
            {
                Files.delete(file);
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult postVisitDirectory(Path directory, IOException exception)
                    throws IOException
            {
                if (exception != null) {
                    throw exception;
                }
                Files.delete(directory);
                return FileVisitResult.CONTINUE;
            }
        });
    }
}
