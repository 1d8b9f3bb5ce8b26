package dev.dolly.bench;

import dev.dolly.api.CreateContainerRequest;
import dev.dolly.api.DataContainer;
import dev.dolly.api.DataImage;
import dev.dolly.api.UpdateImageRequest;
import dev.dolly.api.client.DollyClient;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;

/**
 * Creation of a container from an image's warm pool against creation without one, on btrfs: for each image (Chinook
 * and a generated 1 GB pgbench-like image by default), the API call ({@code POST /api/v1/containers}, from request
 * to the container's details) and the whole {@code ./dolly create data-container} command (JVM start included), with
 * a pool of {@code --pool} and without. Before each timed creation the pool is full again and the last container
 * deleted (untimed), so each creation from the pool takes a waiting container. Results: {@code README.md} and
 * {@code pool.json} in the output directory. Needs root (a loop-mounted btrfs); removes everything it made.
 */
@Command(name = "bench/run-pool-benchmark", sortOptions = false, usageHelpWidth = 150,
        description = "Measures container creation from a warm pool against creation without one (API and whole CLI command) on btrfs. Needs root. See bench/README.md.")
public final class PoolBenchmark
        implements Callable<Integer>
{
    private static final Duration REFILL_TIMEOUT = Duration.ofMinutes(2);

    @SuppressWarnings("UnusedVariable") // picocli sets it and answers --help itself
    @Option(names = {"-h", "--help"}, usageHelp = true, description = "Shows this help.")
    private boolean help;

    @Option(names = "--sizes", split = ",", paramLabel = "SIZE", defaultValue = "chinook,1g",
            description = "Images: chinook (the sample database), 100m, 1g, 5g (pgbench-like). Default: ${DEFAULT-VALUE}.")
    private List<ImageSize> sizes;

    @Option(names = "--runs", paramLabel = "N", defaultValue = "30", description = "API creations per image, with and without a pool. Default: ${DEFAULT-VALUE}.")
    private int runs;

    @Option(names = "--cli-runs", paramLabel = "N", defaultValue = "10", description = "Whole CLI commands per image, with and without a pool. Default: ${DEFAULT-VALUE}.")
    private int cliRuns;

    @Option(names = "--pool", paramLabel = "N", defaultValue = "2", description = "The pool's size. Default: ${DEFAULT-VALUE}.")
    private int pool;

    @Option(names = "--filesystem-size", paramLabel = "SIZE", defaultValue = "12G", converter = CloneBenchmark.ByteSizeConverter.class,
            description = "Size of the sparse loop btrfs file system. Default: ${DEFAULT-VALUE}.")
    private long filesystemBytes;

    @Option(names = "--work-directory", paramLabel = "DIRECTORY", defaultValue = "/var/tmp", description = "Where the file system goes. Default: ${DEFAULT-VALUE}.")
    private Path workDirectory;

    @Option(names = "--output", paramLabel = "DIRECTORY", defaultValue = "bench/results/pool", description = "Where README.md and pool.json go. Default: ${DEFAULT-VALUE}.")
    private Path output;

    @Option(names = "--project-root", hidden = true, defaultValue = "${sys:dolly.bench.root:-.}")
    private Path projectRoot;

    public static void main(String[] arguments)
    {
        System.exit(new CommandLine(new PoolBenchmark())
                .registerConverter(ImageSize.class, CloneBenchmark.converter(ImageSize::fromId))
                .setParameterExceptionHandler(CloneBenchmark::usageError)
                .execute(arguments));
    }

    /** One image's figures, in seconds. */
    record ImageResult(String image, Long imageBytes, Timings apiWithPool, Timings apiWithoutPool, Timings cliWithPool, Timings cliWithoutPool) {}

    @Override
    public Integer call()
            throws Exception
    {
        if (!"root".equals(System.getProperty("user.name"))) {
            System.err.println("Error: the benchmark makes a loop-mounted btrfs file system: run it as root");
            return 2;
        }
        Path root = projectRoot.toAbsolutePath().normalize();
        Path base = Files.createTempDirectory(workDirectory, "dolly-pool-bench-");
        // the engine accounts must reach the daemon's home below it
        Files.setPosixFilePermissions(base, PosixFilePermissions.fromString("rwx--x--x"));
        String loadAtStart = Files.readString(Path.of("/proc/loadavg"), StandardCharsets.UTF_8).strip();
        List<ImageResult> results = new ArrayList<>();
        DriverSession[] opened = new DriverSession[1];
        Thread cleanUp = new Thread(() -> {
            if (opened[0] != null) {
                opened[0].close();
            }
        }, "pool-bench-cleanup");
        Runtime.getRuntime().addShutdownHook(cleanUp);
        try {
            DriverSession session = DriverSession.open(StorageDriver.BTRFS, filesystemBytes, root,
                    Map.of("DOLLY_QUOTA_CONTAINERS", "unlimited", "DOLLY_QUOTA_IMAGES", "unlimited"), base, value -> opened[0] = value);
            ImagePreparation preparation = new ImagePreparation(base);
            for (ImageSize size : sizes) {
                DataImage image = preparation.prepare(session, ImageSpec.of(Engine.POSTGRESQL, size, root)).image();
                results.add(measure(session, image, root));
                session.deleteImage(image.name());
            }
        }
        finally {
            if (opened[0] != null) {
                opened[0].close();
            }
            Runtime.getRuntime().removeShutdownHook(cleanUp);
            Commands.run(List.of("rm", "-rf", base.toString()));
        }
        write(results, loadAtStart);
        return 0;
    }

    private ImageResult measure(DriverSession session, DataImage image, Path root)
            throws IOException, InterruptedException
    {
        DollyClient client = session.client();
        client.updateImage(image.name(), pool(pool));
        awaitPool(client, image.name(), pool);
        Timings apiWithPool = api(client, image.name(), true);
        Timings cliWithPool = cli(session, client, image.name(), root, true);
        client.updateImage(image.name(), pool(0));
        awaitPool(client, image.name(), 0);
        Timings apiWithoutPool = api(client, image.name(), false);
        Timings cliWithoutPool = cli(session, client, image.name(), root, false);
        Log.log(String.format(Locale.ROOT, "[%s] API: %s with a pool, %s without; CLI: %s with a pool, %s without", image.name(), apiWithPool.summary(),
                apiWithoutPool.summary(), cliWithPool.summary(), cliWithoutPool.summary()));
        return new ImageResult(image.name(), image.sizeBytes(), apiWithPool, apiWithoutPool, cliWithPool, cliWithoutPool);
    }

    private Timings api(DollyClient client, String image, boolean pooled)
            throws InterruptedException
    {
        List<Double> seconds = new ArrayList<>();
        for (int run = 0; run < runs; run++) {
            if (pooled) {
                awaitPool(client, image, pool);
            }
            long started = System.nanoTime();
            DataContainer container = client.createContainer(new CreateContainerRequest(image, null, null));
            seconds.add(Timings.seconds(started, System.nanoTime()));
            client.deleteContainer(container.name());
        }
        return new Timings(seconds);
    }

    private Timings cli(DriverSession session, DollyClient client, String image, Path root, boolean pooled)
            throws IOException, InterruptedException
    {
        Path dolly = root.resolve("dolly");
        Map<String, String> environment = Map.of("DOLLY_HOME", session.daemon().home().toString());
        // builds the CLI if needed and writes its class-data sharing archive, untimed
        Commands.run(List.of(dolly.toString(), "get", "data-containers", "-q"), environment);
        List<Double> seconds = new ArrayList<>();
        for (int run = 0; run < cliRuns; run++) {
            if (pooled) {
                awaitPool(client, image, pool);
            }
            ProcessBuilder builder = new ProcessBuilder(dolly.toString(), "create", "data-container", "-i", image, "-q").redirectErrorStream(true);
            builder.environment().putAll(environment);
            long started = System.nanoTime();
            Process process = builder.start();
            String name = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
            if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
                throw new IllegalStateException("dolly create data-container failed: " + name);
            }
            seconds.add(Timings.seconds(started, System.nanoTime()));
            client.deleteContainer(name);
        }
        return new Timings(seconds);
    }

    private static UpdateImageRequest pool(int size)
    {
        return new UpdateImageRequest(null, null, null, null, null, null, size);
    }

    /** Waits, untimed, until the image's pool holds {@code ready} ready containers (and no more). */
    private static void awaitPool(DollyClient client, String image, int ready)
            throws InterruptedException
    {
        long deadline = System.nanoTime() + REFILL_TIMEOUT.toNanos();
        while (true) {
            DataImage current = client.getImage(image);
            int readyNow = current.pool() == null ? 0 : current.pool().ready();
            if (readyNow == ready && client.listContainers().isEmpty()) {
                return;
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("The pool of " + image + " has " + readyNow + " ready containers after " + REFILL_TIMEOUT.toMinutes()
                        + " minutes, not " + ready);
            }
            Thread.sleep(20);
        }
    }

    private void write(List<ImageResult> results, String loadAtStart)
            throws IOException
    {
        Path directory = Files.createDirectories(output.toAbsolutePath());
        Map<String, Object> json = Map.of("pool", pool, "runs", runs, "cliRuns", cliRuns, "loadAverageAtStart", loadAtStart,
                "cpus", Runtime.getRuntime().availableProcessors(), "images", results.stream().map(result -> Map.of(
                        "image", result.image(),
                        "imageBytes", result.imageBytes() == null ? -1 : result.imageBytes(),
                        "apiWithPool", stats(result.apiWithPool()),
                        "apiWithoutPool", stats(result.apiWithoutPool()),
                        "cliWithPool", stats(result.cliWithPool()),
                        "cliWithoutPool", stats(result.cliWithoutPool()))).toList());
        Files.writeString(directory.resolve("pool.json"), dev.dolly.api.Json.json().writerWithDefaultPrettyPrinter().writeValueAsString(json) + "\n");
        StringBuilder markdown = new StringBuilder("""
                # Creating a container from a warm pool

                `bench/run-pool-benchmark`: on btrfs, a container created through the API (`POST /api/v1/containers`, request to
                details) and with the whole `./dolly create data-container -i IMAGE -q` command (JVM start included), from a pool
                of %d and without a pool. Before each timed creation the pool is full again and the previous container is deleted
                (untimed). Times in milliseconds.

                | image | size | API with pool: median | p95 | API without pool: median | p95 | CLI with pool: median | p95 | CLI without pool: median | p95 |
                |---|---|---|---|---|---|---|---|---|---|
                """.formatted(pool));
        for (ImageResult result : results) {
            markdown.append(String.format(Locale.ROOT, "| %s | %s | %s | %s | %s | %s | %s | %s | %s | %s |%n", result.image(),
                    result.imageBytes() == null ? "" : (result.imageBytes() >> 20) + " MB",
                    milliseconds(percentile(result.apiWithPool(), 50)), milliseconds(percentile(result.apiWithPool(), 95)),
                    milliseconds(percentile(result.apiWithoutPool(), 50)), milliseconds(percentile(result.apiWithoutPool(), 95)),
                    milliseconds(percentile(result.cliWithPool(), 50)), milliseconds(percentile(result.cliWithPool(), 95)),
                    milliseconds(percentile(result.cliWithoutPool(), 50)), milliseconds(percentile(result.cliWithoutPool(), 95))));
        }
        markdown.append(String.format(Locale.ROOT, "%n%d API creations and %d CLI commands per image and case. Load average at the start: %s. %d CPUs.%n",
                runs, cliRuns, loadAtStart, Runtime.getRuntime().availableProcessors()));
        Files.writeString(directory.resolve("README.md"), markdown);
        Log.log("Results in " + directory.resolve("README.md"));
        System.out.print(markdown);
    }

    private static Map<String, Object> stats(Timings timings)
    {
        return Map.of("runs", timings.runs(), "medianSeconds", percentile(timings, 50), "p95Seconds", percentile(timings, 95));
    }

    /** The nearest-rank percentile. */
    static double percentile(Timings timings, int percent)
    {
        List<Double> sorted = timings.runs().stream().sorted().toList();
        int rank = (int) Math.ceil(percent / 100.0 * sorted.size());
        return sorted.get(Math.max(0, rank - 1));
    }

    private static String milliseconds(double seconds)
    {
        return String.format(Locale.ROOT, "%.0f", seconds * 1000);
    }
}
