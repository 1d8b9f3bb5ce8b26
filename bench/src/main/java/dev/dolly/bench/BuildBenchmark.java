package dev.dolly.bench;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

import java.nio.file.Path;
import java.util.concurrent.Callable;

/**
 * How much more than a plain restore does a Dolly image cost: the whole build of an image from a custom-format dump
 * against {@code pg_restore -j2} of the same dump, alternating ({@link BuildBenchmarkRun}). Results go to
 * {@code build.md} and {@code build.json} in the results directory.
 * <p>
 * Exit codes: 0 when the results are written, 1 when the benchmark failed, 2 for bad options.
 */
@Command(name = "bench/run-build-benchmark", sortOptions = false, usageHelpWidth = 150,
        description = {
                "Measures the whole build of a Dolly image from a pg_dump -Fc dump against pg_restore -j2 of the same dump into a running "
                        + "PostgreSQL 15, alternating, and writes build.md and build.json. Needs root. See bench/README.md.",
                ""})
public final class BuildBenchmark
        implements Callable<Integer>
{
    private static final int FAILED = 1;

    @Spec
    private CommandSpec spec;

    @SuppressWarnings("UnusedVariable") // picocli sets it and answers --help itself
    @Option(names = {"-h", "--help"}, usageHelp = true, description = "Shows this help.")
    private boolean help;

    @Option(names = "--scale", paramLabel = "N", defaultValue = "65",
            description = "pgbench scale of the database: 100,000 accounts, about 15 MB, per unit (65: about 1 GB). Default: ${DEFAULT-VALUE}.")
    private int scale;

    @Option(names = "--runs", paramLabel = "N", defaultValue = "3", description = "Builds and restores, alternating. Default: ${DEFAULT-VALUE}.")
    private int runs;

    @Option(names = "--home-parent", paramLabel = "DIRECTORY", defaultValue = "/var/tmp",
            description = "Where the daemon's temporary DOLLY_HOME goes: its file system, and the storage driver chosen there, are the ones measured. "
                    + "Default: ${DEFAULT-VALUE}.")
    private Path homeParent;

    @Option(names = "--results", paramLabel = "DIRECTORY", description = "Where build.md and build.json are written. Default: bench/results of the project.")
    private Path results;

    @Option(names = "--pg-dump", paramLabel = "PROGRAM", defaultValue = "pg_dump", description = "pg_dump of PostgreSQL 15. Default: found on PATH.")
    private String pgDump;

    @Option(names = "--pg-restore", paramLabel = "PROGRAM", defaultValue = "pg_restore", description = "pg_restore of PostgreSQL 15. Default: found on PATH.")
    private String pgRestore;

    // bench/run-build-benchmark passes the repository: the daemon's jar and bench/results are found there
    @Option(names = "--project-root", hidden = true, defaultValue = "${sys:dolly.bench.root:-.}")
    private Path projectRoot;

    public static void main(String[] arguments)
    {
        System.exit(commandLine().execute(arguments));
    }

    static CommandLine commandLine()
    {
        return new CommandLine(new BuildBenchmark())
                .setParameterExceptionHandler(CloneBenchmark::usageError);
    }

    @Override
    public Integer call()
    {
        BuildBenchmarkOptions options = options();
        try {
            new BuildBenchmarkRun(options).run();
            return 0;
        }
        catch (Exception e) {
            System.err.println("Error: the benchmark failed: " + e);
            e.printStackTrace(System.err);
            return FAILED;
        }
    }

    /** The options as given, checked, with the paths made absolute. */
    BuildBenchmarkOptions options()
    {
        atLeast("--scale", scale);
        atLeast("--runs", runs);
        Path root = projectRoot.toAbsolutePath().normalize();
        return new BuildBenchmarkOptions(root, scale, runs, homeParent.toAbsolutePath(), results == null ? root.resolve("bench/results") : results.toAbsolutePath(),
                pgDump, pgRestore);
    }

    private void atLeast(String option, int value)
    {
        if (value < 1) {
            throw new ParameterException(spec.commandLine(), option + " must be at least 1, not " + value);
        }
    }
}
