package dev.dolly.bench;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

/**
 * What shrinking and masking cost in an image build: for each size, a generated PostgreSQL database of customers,
 * orders and events, dumped, then built in pairs, plain and with a transform that keeps a subset and masks the personal
 * columns ({@link TransformBenchmarkRun}). Results go to {@code README.md} and {@code transform.json} in the results
 * directory.
 * <p>
 * Exit codes: 0 when the results are written, 1 when the benchmark failed, 2 for bad options.
 */
@Command(name = "bench/run-transform-benchmark", sortOptions = false, usageHelpWidth = 150,
        description = {
                "Measures restore, transform and seal of a Dolly image built from a generated PostgreSQL 15 database (customers, orders, events) with and "
                        + "without a transform (subset and masking), and the daemon's heap while it builds. Needs root. See bench/README.md.",
                ""})
public final class TransformBenchmark
        implements Callable<Integer>
{
    private static final int FAILED = 1;
    private static final long MEGABYTE = 1_000_000L;

    @Spec
    private CommandSpec spec;

    @SuppressWarnings("UnusedVariable") // picocli sets it and answers --help itself
    @Option(names = {"-h", "--help"}, usageHelp = true, description = "Shows this help.")
    private boolean help;

    @Option(names = "--size", paramLabel = "SIZE[,SIZE…]", split = ",", defaultValue = "100m,1g",
            description = "Sizes of the generated database, as 100m or 1g, measured in this order: the daemon's heap during the builds of each is compared. "
                    + "Default: ${DEFAULT-VALUE}.")
    private List<String> sizes;

    @Option(names = "--runs", paramLabel = "N", defaultValue = "3",
            description = "Pairs of builds (plain and masked) per size, which of the two comes first alternating: the results give each pair's ratios and "
                    + "their medians. Default: ${DEFAULT-VALUE}.")
    private int runs;

    @Option(names = "--home-parent", paramLabel = "DIRECTORY", defaultValue = "/var/tmp",
            description = "Where the daemon's temporary DOLLY_HOME goes: its file system, and the storage driver chosen there, are the ones measured. "
                    + "Default: ${DEFAULT-VALUE}.")
    private Path homeParent;

    @Option(names = "--results", paramLabel = "DIRECTORY", description = "Where README.md and transform.json are written. Default: bench/results/transform of the project.")
    private Path results;

    @Option(names = "--pg-dump", paramLabel = "PROGRAM", defaultValue = "pg_dump", description = "pg_dump of PostgreSQL 15. Default: found on PATH.")
    private String pgDump;

    // bench/run-transform-benchmark passes the repository: the daemon's jar and bench/results are found there
    @Option(names = "--project-root", hidden = true, defaultValue = "${sys:dolly.bench.root:-.}")
    private Path projectRoot;

    public static void main(String[] arguments)
    {
        System.exit(commandLine().execute(arguments));
    }

    static CommandLine commandLine()
    {
        return new CommandLine(new TransformBenchmark())
                .setParameterExceptionHandler(CloneBenchmark::usageError);
    }

    @Override
    public Integer call()
    {
        TransformBenchmarkRun.Options options = options();
        try {
            new TransformBenchmarkRun(options).run();
            return 0;
        }
        catch (Exception e) {
            System.err.println("Error: the benchmark failed: " + e);
            e.printStackTrace(System.err);
            return FAILED;
        }
    }

    /** The options as given, checked, with the paths made absolute. */
    TransformBenchmarkRun.Options options()
    {
        List<Long> bytes = new ArrayList<>();
        for (String size : sizes) {
            bytes.add(parseSize(size));
        }
        if (runs < 1) {
            throw new ParameterException(spec.commandLine(), "--runs must be at least 1, not " + runs);
        }
        Path root = projectRoot.toAbsolutePath().normalize();
        return new TransformBenchmarkRun.Options(root, bytes, runs, homeParent.toAbsolutePath(),
                results == null ? root.resolve("bench/results/transform") : results.toAbsolutePath(), pgDump);
    }

    private long parseSize(String size)
    {
        String text = size.strip().toLowerCase(Locale.ROOT);
        long unit = text.endsWith("g") ? 1000 * MEGABYTE : text.endsWith("m") ? MEGABYTE : 0;
        try {
            long value = unit == 0 ? 0 : Long.parseLong(text.substring(0, text.length() - 1));
            if ((unit == MEGABYTE && value >= 10) || (unit > MEGABYTE && value >= 1)) {
                return value * unit;
            }
        }
        catch (NumberFormatException e) {
            // told below
        }
        throw new ParameterException(spec.commandLine(), "--size takes sizes such as 100m or 1g (at least 10m), not '" + size + "'");
    }
}
