package dev.dolly.bench;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;
import picocli.CommandLine.TypeConversionException;
import picocli.CommandLine.UnmatchedArgumentException;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.function.Function;

/**
 * "Time from request to first query answered" on every storage driver and for images of growing size, whole
 * process: for each driver the benchmark makes a loop-mounted file system of the kind the driver needs, starts a
 * real daemon in its own JVM with {@code DOLLY_HOME} on it, builds the images there ({@link ImagePreparation}), and
 * measures
 * <ol>
 * <li>a Dolly clone: POST /containers, connect with the returned details, first row of a query on the data
 * ({@link CloneTiming});</li>
 * <li>once per size, whatever the driver: {@code CREATE DATABASE} plus {@code pg_restore -j2} of a custom-format
 * dump into a running server, then the same query; and {@code CREATE DATABASE … TEMPLATE} inside one server
 * ({@link BaselineMeasurement});</li>
 * <li>with the btrfs daemon, the whole {@code ./dolly create data-container} command, JVM start included
 * ({@link CliMeasurement});</li>
 * <li>density: the disk space and memory each of many idle containers of one image takes
 * ({@link DensityMeasurement});</li>
 * <li>with {@code --phases revisions}: save, load and reset of a container ({@link RevisionBenchmark}).</li>
 * </ol>
 * Results go to {@code clone-cow.json}, {@code clone.md}, {@code clone.png} ({@link CloneReportWriter}),
 * {@code density.json}, {@code density.md} ({@link DensityReportWriter}) and {@code revisions.*}
 * ({@link RevisionReportWriter}) in the output directory. Everything the benchmark creates (daemons, containers,
 * images, file systems, temporary files) is removed at the end, also on failure ({@link BenchmarkRun}).
 * <p>
 * Exit codes: 0 when the results are written, 1 when the benchmark failed, 2 for bad options or a machine that
 * cannot run it.
 */
@Command(name = "bench/run-clone-benchmark", sortOptions = false, usageHelpWidth = 150,
        description = {
                "Measures the time from request to first query answered: a Dolly clone per storage driver and image size against "
                        + "pg_restore -j2 and CREATE DATABASE ... TEMPLATE; the whole CLI command; the density of idle containers; "
                        + "save, load and reset of a container (--phases revisions). Needs root. See bench/README.md.",
                ""})
public final class CloneBenchmark
        implements Callable<Integer>
{
    private static final int FAILED = 1;
    private static final int BAD_INPUT = 2;

    @Spec
    private CommandSpec spec;

    @SuppressWarnings("UnusedVariable") // picocli sets it and answers --help itself
    @Option(names = {"-h", "--help"}, usageHelp = true, description = "Shows this help.")
    private boolean help;

    @Option(names = "--phases", split = ",", paramLabel = "PHASE", defaultValue = "clone,density",
            description = "What to measure: clone (clones, the baselines, the CLI), density, revisions (save, load, reset). Default: ${DEFAULT-VALUE}.")
    private List<Phase> phases;

    @Option(names = "--drivers", split = ",", paramLabel = "DRIVER", defaultValue = "btrfs,reflink,overlay,copy",
            description = "Storage drivers: btrfs (on btrfs), reflink (on XFS reflink=1), overlay (on ext4), copy (on ext4). Default: ${DEFAULT-VALUE}.")
    private List<StorageDriver> drivers;

    @Option(names = "--sizes", split = ",", paramLabel = "SIZE", defaultValue = "100m,1g,5g",
            description = "Images: 100m, 1g, 5g (pgbench-like at scale 6, 65, 330), chinook (the sample database). Default: ${DEFAULT-VALUE}.")
    private List<ImageSize> sizes;

    @Option(names = "--runs", paramLabel = "N", defaultValue = "5",
            description = "Dolly clones, and saves, loads and resets, per driver and image (5 or more for numbers worth quoting). Default: ${DEFAULT-VALUE}.")
    private int runs;

    @Option(names = "--baseline-runs", paramLabel = "N", defaultValue = "3",
            description = "pg_restore and CREATE DATABASE TEMPLATE runs per image. Default: ${DEFAULT-VALUE}.")
    private int baselineRuns;

    @Option(names = "--cli-runs", paramLabel = "N", defaultValue = "10",
            description = "Runs of the whole ./dolly command (btrfs driver, 1g image); 0 to skip. Default: ${DEFAULT-VALUE}.")
    private int cliRuns;

    @Option(names = "--density-drivers", paramLabel = "DRIVER[,DRIVER...]|none",
            description = "Drivers whose disk and memory per container are measured (1g image). Default: btrfs, reflink and overlay among --drivers.")
    private String densityDrivers;

    @Option(names = "--density-containers", paramLabel = "N", defaultValue = "20",
            description = "Containers created for the density measurement. Default: ${DEFAULT-VALUE}.")
    private int densityContainers;

    @Option(names = "--idle-seconds", paramLabel = "SECONDS", defaultValue = "10",
            description = "Idle time before the memory of the containers is read. Default: ${DEFAULT-VALUE}.")
    private int idleSeconds;

    @Option(names = "--filesystem-size", paramLabel = "SIZE", defaultValue = "30G", converter = ByteSizeConverter.class,
            description = "Size of each sparse loop file system, one at a time (the copy driver needs about 4 x the largest image + 2G). "
                    + "Default: ${DEFAULT-VALUE}.")
    private long filesystemBytes;

    @Option(names = "--work-directory", paramLabel = "DIRECTORY", defaultValue = "/var/tmp",
            description = "Where the file systems and dumps go (not /tmp: it is often small or in memory). Default: ${DEFAULT-VALUE}.")
    private Path workDirectory;

    @Option(names = "--output", paramLabel = "DIRECTORY", defaultValue = "bench/results",
            description = "Where clone-cow.json, clone.md, clone.png, density.json, density.md and revisions.* are written. Default: ${DEFAULT-VALUE}.")
    private Path output;

    @Option(names = "--pg-dump", paramLabel = "PROGRAM", defaultValue = "pg_dump", description = "pg_dump of PostgreSQL 15. Default: found on PATH.")
    private String pgDump;

    @Option(names = "--pg-restore", paramLabel = "PROGRAM", defaultValue = "pg_restore", description = "pg_restore of PostgreSQL 15. Default: found on PATH.")
    private String pgRestore;

    @Option(names = "--engine", paramLabel = "ENGINE", defaultValue = "postgresql",
            description = "postgresql, or mariadb: the same images and measurements on MariaDB 11.4, without the baselines, the CLI and density; "
                    + "results in clone-mariadb.* and revisions-mariadb.*. Default: ${DEFAULT-VALUE}.")
    private Engine engine;

    // bench/run-clone-benchmark passes the repository: the daemon's jar, ./dolly and examples/ are found there
    @Option(names = "--project-root", hidden = true, defaultValue = "${sys:dolly.bench.root:-.}")
    private Path projectRoot;

    public static void main(String[] arguments)
    {
        System.exit(commandLine().execute(arguments));
    }

    static CommandLine commandLine()
    {
        return new CommandLine(new CloneBenchmark())
                .registerConverter(Phase.class, converter(Phase::fromId))
                .registerConverter(StorageDriver.class, converter(StorageDriver::fromId))
                .registerConverter(ImageSize.class, converter(ImageSize::fromId))
                .registerConverter(Engine.class, converter(Engine::fromId))
                .setParameterExceptionHandler(CloneBenchmark::usageError);
    }

    @Override
    public Integer call()
    {
        BenchmarkOptions options = options();
        try {
            MachineRequirements.check(options);
        }
        catch (IllegalStateException | IOException e) {
            System.err.println("Error: " + e.getMessage());
            return BAD_INPUT;
        }
        try {
            BenchmarkRun run = new BenchmarkRun(options);
            Runtime.getRuntime().addShutdownHook(new Thread(run::cleanUp, "bench-cleanup"));
            try {
                run.run();
            }
            finally {
                run.cleanUp();
            }
            return 0;
        }
        catch (Exception e) {
            System.err.println("Error: the benchmark failed: " + e);
            e.printStackTrace(System.err);
            return FAILED;
        }
    }

    /** The options as given, checked, without duplicates, and completed with what depends on others. */
    BenchmarkOptions options()
    {
        atLeast("--runs", runs, 1);
        atLeast("--baseline-runs", baselineRuns, 1);
        atLeast("--cli-runs", cliRuns, 0);
        atLeast("--density-containers", densityContainers, 1);
        atLeast("--idle-seconds", idleSeconds, 0);
        if (filesystemBytes <= 0) {
            throw new ParameterException(spec.commandLine(), "--filesystem-size must be more than 0");
        }
        List<StorageDriver> measuredDrivers = distinct(drivers);
        List<StorageDriver> densityMeasured;
        if (!phases.contains(Phase.DENSITY) || engine == Engine.MARIADB) {
            // density reads PostgreSQL's postmaster.pid
            densityMeasured = List.of();
        }
        else if (densityDrivers == null) {
            densityMeasured = measuredDrivers.stream().filter(StorageDriver::copyOnWrite).toList();
        }
        else if (densityDrivers.isEmpty() || densityDrivers.equals("none")) {
            densityMeasured = List.of();
        }
        else {
            densityMeasured = distinct(List.of(densityDrivers.split(",")).stream().map(id -> {
                try {
                    return StorageDriver.fromId(id);
                }
                catch (IllegalArgumentException e) {
                    throw new ParameterException(spec.commandLine(), "--density-drivers: " + e.getMessage());
                }
            }).toList());
            for (StorageDriver driver : densityMeasured) {
                if (!measuredDrivers.contains(driver)) {
                    throw new ParameterException(spec.commandLine(), "--density-drivers names " + driver + ", which --drivers does not");
                }
            }
        }
        return new BenchmarkOptions(distinct(phases), measuredDrivers, distinct(sizes), runs, baselineRuns,
                // the CLI timing does not depend on the engine: measured with PostgreSQL only
                engine == Engine.MARIADB ? 0 : cliRuns,
                densityMeasured, densityContainers, idleSeconds, filesystemBytes, workDirectory.toAbsolutePath(), output.toAbsolutePath(),
                projectRoot.toAbsolutePath().normalize(), pgDump, pgRestore, engine);
    }

    private void atLeast(String option, int value, int minimum)
    {
        if (value < minimum) {
            throw new ParameterException(spec.commandLine(), option + " must be at least " + minimum + ", not " + value);
        }
    }

    private static <T> List<T> distinct(List<T> values)
    {
        return List.copyOf(new LinkedHashSet<>(values));
    }

    static <T> ITypeConverter<T> converter(Function<String, T> fromId)
    {
        return value -> {
            try {
                return fromId.apply(value);
            }
            catch (IllegalArgumentException e) {
                throw new TypeConversionException(e.getMessage());
            }
        };
    }

    static int usageError(ParameterException exception, String[] arguments)
    {
        PrintWriter err = exception.getCommandLine().getErr();
        err.println("Error: " + exception.getMessage());
        UnmatchedArgumentException.printSuggestions(exception, err);
        err.println("Run '" + exception.getCommandLine().getCommandSpec().qualifiedName() + " --help' for the options.");
        err.flush();
        return BAD_INPUT;
    }

    /** {@code 30G}, {@code 512M}, {@code 1T} or a number of bytes. */
    static final class ByteSizeConverter
            implements ITypeConverter<Long>
    {
        @Override
        public Long convert(String text)
        {
            String upper = text.strip().toUpperCase(Locale.ROOT);
            long unit = switch (upper.isEmpty() ? ' ' : upper.charAt(upper.length() - 1)) {
                case 'G' -> 1L << 30;
                case 'M' -> 1L << 20;
                case 'T' -> 1L << 40;
                default -> 1;
            };
            String number = unit == 1 ? upper : upper.substring(0, upper.length() - 1);
            try {
                return Math.multiplyExact(Long.parseLong(number), unit);
            }
            catch (NumberFormatException | ArithmeticException e) {
                throw new TypeConversionException("'" + text + "' is not a size: give a number of bytes, or one followed by M, G or T (30G)");
            }
        }
    }
}
