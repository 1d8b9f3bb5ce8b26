package dev.dolly.bench;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;
import picocli.CommandLine.TypeConversionException;

import java.nio.file.Path;
import java.util.concurrent.Callable;

/**
 * The soak: many clients creating, saving, loading and deleting containers against one daemon for minutes, whole
 * process ({@link SoakRun}): a real daemon on a loop-mounted file system, clients through its HTTP API, each a user of
 * its own, and the real CLI alongside. Counts operations, refusals and errors, times each operation, and reads the
 * daemon's open files, threads, resident memory and mounts at the start, during the run and at the end. Results go to
 * {@code soak.json} and {@code soak.md}.
 * <p>
 * Exit codes: 0 when the results are written and the soak passed, 1 when it failed (the results are written when it
 * got that far), 2 for bad options or a machine that cannot run it.
 */
@Command(name = "bench/run-soak-benchmark", sortOptions = false, usageHelpWidth = 150,
        description = {
                "Runs clients that create, save, load and delete containers against one daemon for minutes, with the real CLI alongside; counts "
                        + "operations, refusals and errors, times them, and checks that the daemon's open files, threads, memory and mounts come back "
                        + "to where they started. Needs root. See bench/README.md.",
                ""})
public final class SoakBenchmark
        implements Callable<Integer>
{
    private static final int FAILED = 1;
    private static final int BAD_INPUT = 2;

    @Spec
    private CommandSpec spec;

    @SuppressWarnings("UnusedVariable") // picocli sets it and answers --help itself
    @Option(names = {"-h", "--help"}, usageHelp = true, description = "Shows this help.")
    private boolean help;

    @Option(names = "--driver", paramLabel = "DRIVER", defaultValue = "btrfs",
            description = "Storage driver: btrfs (on btrfs), reflink (on XFS reflink=1), overlay (on ext4), copy (on ext4). Default: ${DEFAULT-VALUE}.")
    private StorageDriver driver;

    @Option(names = "--clients", paramLabel = "N", defaultValue = "20", description = "API clients at once, each a user of its own. Default: ${DEFAULT-VALUE}.")
    private int clients;

    @Option(names = "--minutes", paramLabel = "N", defaultValue = "10", description = "How long the clients start new cycles. Default: ${DEFAULT-VALUE}.")
    private int minutes;

    @Option(names = "--sample-seconds", paramLabel = "SECONDS", defaultValue = "10",
            description = "How often the daemon's resources are read during the run. Default: ${DEFAULT-VALUE}.")
    private int sampleSeconds;

    @Option(names = "--quiet-seconds", paramLabel = "SECONDS", defaultValue = "70",
            description = "How long the daemon is left alone after the warm-up before the start is read. Default: ${DEFAULT-VALUE}.")
    private int quietSeconds;

    @Option(names = "--settle-seconds", paramLabel = "SECONDS", defaultValue = "180",
            description = "How long, at most, the daemon is given after the clients stop to come back to the start. Default: ${DEFAULT-VALUE}.")
    private int settleSeconds;

    @Option(names = "--cli-pause-seconds", paramLabel = "SECONDS", defaultValue = "20",
            description = "Pause between two sequences of the CLI client; 0: no CLI client. Default: ${DEFAULT-VALUE}.")
    private int cliPauseSeconds;

    @Option(names = "--filesystem-size", paramLabel = "SIZE", defaultValue = "20G", converter = CloneBenchmark.ByteSizeConverter.class,
            description = "Size of the sparse loop file system. Default: ${DEFAULT-VALUE}.")
    private long filesystemBytes;

    @Option(names = "--work-directory", paramLabel = "DIRECTORY", defaultValue = "/var/tmp",
            description = "Where the file system goes (not /tmp: it is often small or in memory). Default: ${DEFAULT-VALUE}.")
    private Path workDirectory;

    @Option(names = "--output", paramLabel = "DIRECTORY", defaultValue = "bench/results/soak",
            description = "Where soak.json and soak.md are written. Default: ${DEFAULT-VALUE}.")
    private Path output;

    // bench/run-soak-benchmark passes the repository: the daemon's jar, ./dolly and examples/ are found there
    @Option(names = "--project-root", hidden = true, defaultValue = "${sys:dolly.bench.root:-.}")
    private Path projectRoot;

    public static void main(String[] arguments)
    {
        System.exit(commandLine().execute(arguments));
    }

    static CommandLine commandLine()
    {
        ITypeConverter<StorageDriver> drivers = value -> {
            try {
                return StorageDriver.fromId(value);
            }
            catch (IllegalArgumentException e) {
                throw new TypeConversionException(e.getMessage());
            }
        };
        return new CommandLine(new SoakBenchmark())
                .registerConverter(StorageDriver.class, drivers)
                .setParameterExceptionHandler(CloneBenchmark::usageError);
    }

    @Override
    public Integer call()
    {
        SoakOptions options = options();
        try {
            checkMachine(options);
        }
        catch (IllegalStateException e) {
            System.err.println("Error: " + e.getMessage());
            return BAD_INPUT;
        }
        try {
            SoakRun run = new SoakRun(options);
            Runtime.getRuntime().addShutdownHook(new Thread(run::cleanUp, "soak-cleanup"));
            SoakReport report;
            try {
                report = run.run();
            }
            finally {
                run.cleanUp();
            }
            if (!report.passed()) {
                System.err.println("Error: the soak failed: see " + options.output().resolve("soak.md"));
                return FAILED;
            }
            return 0;
        }
        catch (Exception e) {
            System.err.println("Error: the benchmark failed: " + e);
            e.printStackTrace(System.err);
            return FAILED;
        }
    }

    /** The options as given, checked, with the paths made absolute. */
    SoakOptions options()
    {
        atLeast("--clients", clients, 1);
        atLeast("--minutes", minutes, 1);
        atLeast("--sample-seconds", sampleSeconds, 1);
        atLeast("--quiet-seconds", quietSeconds, 0);
        atLeast("--settle-seconds", settleSeconds, 0);
        atLeast("--cli-pause-seconds", cliPauseSeconds, 0);
        if (filesystemBytes <= 0) {
            throw new ParameterException(spec.commandLine(), "--filesystem-size must be more than 0");
        }
        return new SoakOptions(driver, clients, minutes * 60, quietSeconds, sampleSeconds, settleSeconds, cliPauseSeconds, filesystemBytes,
                workDirectory.toAbsolutePath(), output.toAbsolutePath(), projectRoot.toAbsolutePath().normalize());
    }

    private void atLeast(String option, int value, int minimum)
    {
        if (value < minimum) {
            throw new ParameterException(spec.commandLine(), option + " must be at least " + minimum + ", not " + value);
        }
    }

    /** Root (loop mounts), the driver's file system tools. */
    private static void checkMachine(SoakOptions options)
    {
        if (!"root".equals(System.getProperty("user.name"))) {
            throw new IllegalStateException("the benchmark makes a loop-mounted file system: run it as root");
        }
        for (String tool : options.driver().tools()) {
            if (!Commands.isInstalled(tool)) {
                throw new IllegalStateException(tool + " is not installed (Debian/Ubuntu: apt-get install btrfs-progs xfsprogs e2fsprogs)");
            }
        }
    }
}
