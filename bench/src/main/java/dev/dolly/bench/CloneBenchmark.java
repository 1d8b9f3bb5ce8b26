package dev.dolly.bench;

import dev.dolly.api.CreateContainerRequest;
import dev.dolly.api.CreateImageRequest;
import dev.dolly.api.DataContainer;
import dev.dolly.api.DataImage;
import dev.dolly.api.Json;
import dev.dolly.api.ResourceStatus;
import dev.dolly.api.ServerInfo;
import dev.dolly.api.client.DollyClient;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * "Time from request to first query answered", whole process: a real daemon in its own JVM, real PostgreSQL
 * servers. For each image it measures
 * <ol>
 * <li>a Dolly clone: POST /containers, connect with the returned details, first row of a query on the data;</li>
 * <li>the usual alternative: {@code CREATE DATABASE} plus {@code pg_restore -j2} of a custom-format dump into a
 * running server, then the same query;</li>
 * <li>{@code CREATE DATABASE … TEMPLATE} inside one server, then the same query.</li>
 * </ol>
 * Results go to {@code clone-<driver>.json} and {@code clone-<driver>.md} in the output directory. Everything the
 * benchmark creates (daemon, containers, images, temporary files) is removed at the end, also on failure.
 */
public final class CloneBenchmark
{
    private static final Duration BUILD_TIMEOUT = Duration.ofMinutes(60);
    private static final String EMPTY_IMAGE = "bench-empty";
    private static final String RESTORED_DATABASE = "restored";
    private static final String TEMPLATE_COPY_DATABASE = "template_copy";
    private static final int RESTORE_JOBS = 2;

    /** What one image holds, and the query that proves its data is there. */
    private record ImageSpec(String key, String imageName, String description, String yaml, List<Path> files, String probeQuery) {}

    private record Options(List<String> sizes, int runs, int baselineRuns, Path output, Path projectRoot, String pgDump, String pgRestore)
    {
        static Options parse(String[] arguments)
        {
            List<String> sizes = List.of("chinook", "1g");
            int runs = 5;
            int baselineRuns = 3;
            Path output = Path.of("bench/results");
            Path projectRoot = Path.of(System.getProperty("dolly.bench.root", "")).toAbsolutePath();
            String pgDump = "pg_dump";
            String pgRestore = "pg_restore";
            for (int i = 0; i < arguments.length; i++) {
                String argument = arguments[i];
                switch (argument) {
                    case "--sizes" -> sizes = List.of(value(arguments, ++i, argument).split(","));
                    case "--runs" -> runs = Integer.parseInt(value(arguments, ++i, argument));
                    case "--baseline-runs" -> baselineRuns = Integer.parseInt(value(arguments, ++i, argument));
                    case "--output" -> output = Path.of(value(arguments, ++i, argument));
                    case "--project-root" -> projectRoot = Path.of(value(arguments, ++i, argument)).toAbsolutePath();
                    case "--pg-dump" -> pgDump = value(arguments, ++i, argument);
                    case "--pg-restore" -> pgRestore = value(arguments, ++i, argument);
                    case "-h", "--help" -> {
                        System.out.println("""
                                Usage: run-clone-benchmark [--sizes chinook,1g] [--runs 5] [--baseline-runs 3] [--output bench/results]
                                                           [--pg-dump pg_dump] [--pg-restore pg_restore]
                                  --sizes          images to measure: chinook (the sample database), 1g (pgbench-like, about 1 GB)
                                  --runs           Dolly clones per image (at least 1; 5 or more for numbers worth quoting)
                                  --baseline-runs  pg_restore and CREATE DATABASE TEMPLATE runs per image
                                  --output         where clone-<driver>.json and clone-<driver>.md are written
                                  --pg-dump, --pg-restore  client programs of PostgreSQL 15 (default: found on PATH)""");
                        System.exit(0);
                    }
                    default -> throw new IllegalArgumentException("Unknown option " + argument + " (try --help)");
                }
            }
            for (String size : sizes) {
                if (!size.equals("chinook") && !size.equals("1g")) {
                    throw new IllegalArgumentException("Unknown size '" + size + "': use chinook, 1g or both (chinook,1g)");
                }
            }
            if (runs < 1 || baselineRuns < 1) {
                throw new IllegalArgumentException("--runs and --baseline-runs must be at least 1");
            }
            return new Options(List.copyOf(new LinkedHashSet<>(sizes)), runs, baselineRuns, output.toAbsolutePath(), projectRoot, pgDump, pgRestore);
        }

        private static String value(String[] arguments, int index, String option)
        {
            if (index >= arguments.length) {
                throw new IllegalArgumentException(option + " needs a value");
            }
            return arguments[index];
        }
    }

    private final Options options;
    private final Path base;
    private final Path work;
    private final BenchDaemon daemon;
    private final Set<String> containers = new LinkedHashSet<>();
    private final Set<String> images = new LinkedHashSet<>();
    private final AtomicBoolean cleanedUp = new AtomicBoolean();
    private DollyClient client;
    private int containerCounter;

    private CloneBenchmark(Options options)
            throws IOException
    {
        this.options = options;
        // engines may run as another user (the daemon runs them as 'dolly' when it is root): they must be able to
        // traverse to DOLLY_HOME, but nobody else needs to read what is in here
        this.base = Files.createTempDirectory("dolly-bench-");
        Files.setPosixFilePermissions(base, PosixFilePermissions.fromString("rwx--x--x"));
        this.work = Files.createDirectory(base.resolve("work"));
        Map<String, String> environment = Map.of(
                "DOLLY_LISTEN", "127.0.0.1:0",
                // kept between runs: PostgreSQL 15 is fetched from Maven Central once
                "DOLLY_DOWNLOAD_CACHE", Path.of(System.getProperty("java.io.tmpdir"), "dolly-bench-download-cache").toString());
        this.daemon = new BenchDaemon(options.projectRoot(), base.resolve("home"), base.resolve("daemon.log"), environment);
    }

    public static void main(String[] arguments)
    {
        Options options;
        try {
            options = Options.parse(arguments);
        }
        catch (IllegalArgumentException e) {
            System.err.println("Error: " + e.getMessage());
            System.exit(2);
            return;
        }
        try {
            CloneBenchmark benchmark = new CloneBenchmark(options);
            Thread cleanupOnInterrupt = new Thread(benchmark::cleanUp, "bench-cleanup");
            Runtime.getRuntime().addShutdownHook(cleanupOnInterrupt);
            try {
                benchmark.run();
            }
            finally {
                benchmark.cleanUp();
            }
        }
        catch (Exception e) {
            System.err.println("Error: the benchmark failed: " + e);
            e.printStackTrace(System.err);
            System.exit(1);
        }
    }

    private void run()
            throws Exception
    {
        long started = System.nanoTime();
        Instant date = Instant.now();
        log("Starting a daemon with DOLLY_HOME " + daemon.home());
        daemon.start();
        client = daemon.client();
        ServerInfo info = client.info();
        log("Storage driver: " + info.storageDriver() + " (" + info.storageDriverReason() + ")");

        List<ImageSpec> specs = new ArrayList<>();
        for (String size : options.sizes()) {
            specs.add(size.equals("chinook") ? chinook() : pgbench1g());
        }
        ImageSpec empty = new ImageSpec("empty", EMPTY_IMAGE, "empty PostgreSQL 15: the target of pg_restore", """
                name: %s
                sourceType: empty
                engine: postgresql
                version: 15
                lifetime: 0
                """.formatted(EMPTY_IMAGE), List.of(), "select 1");
        DataImage emptyImage = build(empty);

        List<Map<String, Object>> imageResults = new ArrayList<>();
        List<String[]> tableRows = new ArrayList<>();
        for (ImageSpec spec : specs) {
            long buildStarted = System.nanoTime();
            DataImage image = build(spec);
            double buildSeconds = Timings.round((System.nanoTime() - buildStarted) / 1e9);
            log("Image " + spec.imageName() + " is ready in " + buildSeconds + " s: " + image.sizeBytes() + " bytes on disk");

            // the dump for the pg_restore baseline, and the database's own size, from one container (not timed)
            Path dump = work.resolve(spec.key() + ".dump");
            long databaseSize;
            String database;
            DataContainer source = createContainer(image.name());
            try {
                database = source.database();
                databaseSize = queryLong(source, database, "select pg_database_size(current_database())");
                log("Database " + database + ": pg_database_size " + databaseSize + " bytes; dumping it with pg_dump -Fc");
                long dumpStarted = System.nanoTime();
                run(List.of(options.pgDump(), "-Fc", "-h", source.host(), "-p", String.valueOf(source.port()), "-U", source.user(),
                        "-d", database, "-f", dump.toString()), source.password());
                log("Dump: " + Files.size(dump) + " bytes in " + Timings.round((System.nanoTime() - dumpStarted) / 1e9) + " s");
            }
            finally {
                deleteContainer(source.name());
            }

            Timings clone = new Timings();
            Timings cloneApi = new Timings();
            for (int run = 1; run <= options.runs(); run++) {
                String name = nextContainerName(spec.key());
                long t0 = System.nanoTime();
                DataContainer container = client.createContainer(new CreateContainerRequest(image.name(), name, null));
                containers.add(container.name());
                long created = System.nanoTime();
                long answer = firstAnswer(container.jdbcUrl(), container, spec.probeQuery());
                long t1 = System.nanoTime();
                clone.add(t0, t1);
                cloneApi.add(t0, created);
                log(String.format(Locale.ROOT, "  dolly clone %d/%d: %.3f s (API %.3f s), answer %d", run, options.runs(),
                        (t1 - t0) / 1e9, (created - t0) / 1e9, answer));
                deleteContainer(container.name());
            }

            Timings restore = new Timings();
            for (int run = 1; run <= options.baselineRuns(); run++) {
                DataContainer target = createContainer(emptyImage.name());
                try {
                    long t0 = System.nanoTime();
                    try (Connection connection = connect(target, target.database());
                            Statement statement = connection.createStatement()) {
                        statement.execute("CREATE DATABASE " + RESTORED_DATABASE);
                    }
                    run(List.of(options.pgRestore(), "-j", String.valueOf(RESTORE_JOBS), "--no-owner", "-h", target.host(), "-p",
                            String.valueOf(target.port()), "-U", target.user(), "-d", RESTORED_DATABASE, dump.toString()), target.password());
                    long answer = firstAnswer(jdbcUrl(target, RESTORED_DATABASE), target, spec.probeQuery());
                    long t1 = System.nanoTime();
                    restore.add(t0, t1);
                    log(String.format(Locale.ROOT, "  pg_restore -j%d %d/%d: %.3f s, answer %d", RESTORE_JOBS, run, options.baselineRuns(),
                            (t1 - t0) / 1e9, answer));
                }
                finally {
                    deleteContainer(target.name());
                }
            }

            Timings template = new Timings();
            DataContainer server = createContainer(image.name());
            try (Connection maintenance = connect(server, "postgres");
                    Statement statement = maintenance.createStatement()) {
                for (int run = 1; run <= options.baselineRuns(); run++) {
                    long t0 = System.nanoTime();
                    statement.execute("CREATE DATABASE " + TEMPLATE_COPY_DATABASE + " TEMPLATE " + quoteIdentifier(database));
                    long answer = firstAnswer(jdbcUrl(server, TEMPLATE_COPY_DATABASE), server, spec.probeQuery());
                    long t1 = System.nanoTime();
                    template.add(t0, t1);
                    log(String.format(Locale.ROOT, "  create database template %d/%d: %.3f s, answer %d", run, options.baselineRuns(),
                            (t1 - t0) / 1e9, answer));
                    statement.execute("DROP DATABASE " + TEMPLATE_COPY_DATABASE + " WITH (FORCE)");
                }
            }
            finally {
                deleteContainer(server.name());
            }
            deleteImage(image.name());
            Files.deleteIfExists(dump);

            double restoreRatio = Timings.round(restore.median() / clone.median());
            double templateRatio = Timings.round(template.median() / clone.median());
            Map<String, Object> result = new LinkedHashMap<>();
            result.put("name", spec.key());
            result.put("description", spec.description());
            result.put("engineVersion", image.engineVersion());
            result.put("database", database);
            result.put("probeQuery", spec.probeQuery());
            result.put("imageSizeBytes", image.sizeBytes());
            result.put("databaseSizeBytes", databaseSize);
            result.put("imageBuildSeconds", buildSeconds);
            result.put("dumpFormat", "custom (pg_dump -Fc)");
            result.put("dollyClone", clone.toJson());
            result.put("dollyCloneApiOnly", cloneApi.toJson());
            result.put("pgRestoreJobs" + RESTORE_JOBS, restore.toJson());
            result.put("createDatabaseTemplate", template.toJson());
            result.put("ratioPgRestoreToDolly", restoreRatio);
            result.put("ratioTemplateToDolly", templateRatio);
            imageResults.add(result);
            tableRows.add(new String[] {
                    spec.key(),
                    megabytes(image.sizeBytes()),
                    megabytes(databaseSize),
                    clone.summary(),
                    restore.summary(),
                    template.summary(),
                    String.format(Locale.ROOT, "%.1f×", restoreRatio),
            });
        }
        deleteImage(emptyImage.name());

        double totalSeconds = Timings.round((System.nanoTime() - started) / 1e9);
        Map<String, Object> machine = machine();
        Map<String, Object> report = new LinkedHashMap<>();
        report.put("benchmark", "time from request to first query answered");
        report.put("date", DateTimeFormatter.ISO_INSTANT.format(date.truncatedTo(java.time.temporal.ChronoUnit.SECONDS)));
        report.put("machine", machine);
        report.put("dollyVersion", info.version());
        report.put("storageDriver", info.storageDriver());
        report.put("storageDriverReason", info.storageDriverReason());
        report.put("pgRestoreVersion", output(List.of(options.pgRestore(), "--version")).strip());
        report.put("cloneRuns", options.runs());
        report.put("baselineRuns", options.baselineRuns());
        report.put("totalSeconds", totalSeconds);
        report.put("images", imageResults);

        String table = table(tableRows);
        String markdown = markdown(report, machine, info, table);
        Files.createDirectories(options.output());
        Path json = options.output().resolve("clone-" + info.storageDriver() + ".json");
        Path md = options.output().resolve("clone-" + info.storageDriver() + ".md");
        Files.writeString(json, Json.json().writerWithDefaultPrettyPrinter().writeValueAsString(report) + "\n");
        Files.writeString(md, markdown);
        System.out.println();
        System.out.println(table);
        System.out.println();
        log("Total " + totalSeconds + " s. Results: " + json + ", " + md);
    }

    // --- images --------------------------------------------------------------------------------------------------

    private ImageSpec chinook()
            throws IOException
    {
        Path sql = options.projectRoot().resolve("examples/chinook/Chinook_PostgreSql.sql");
        if (!Files.isRegularFile(sql)) {
            throw new IllegalStateException("The Chinook sample is missing: " + sql);
        }
        return new ImageSpec("chinook", "bench-chinook", "the Chinook sample (examples/chinook), a plain SQL backup", """
                name: bench-chinook
                sourceType: backup
                engine: postgresql
                version: 15
                backup:
                  folder: ./
                  file: Chinook_PostgreSql.sql
                lifetime: 0
                """, List.of(sql), "select count(*) from track");
    }

    /**
     * pgbench's tables at scale 65 (6.5 million accounts), generated by the post-script: about 1 GB, as
     * {@code pgbench -i -s 65} would create it.
     */
    private static ImageSpec pgbench1g()
    {
        int scale = 65;
        return new ImageSpec("1g", "bench-1g", "pgbench-like tables at scale " + scale + ", generated with generate_series", """
                name: bench-1g
                sourceType: empty
                engine: postgresql
                version: 15
                initialDatabaseName: bench
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
                """.formatted(scale), List.of(), "select count(*) from pgbench_branches");
    }

    private DataImage build(ImageSpec spec)
            throws IOException, InterruptedException
    {
        Path directory = Files.createDirectory(work.resolve("image-" + spec.key()));
        for (Path file : spec.files()) {
            Files.copy(file, directory.resolve(file.getFileName()));
        }
        Path definition = directory.resolve("image.yaml");
        Files.writeString(definition, spec.yaml());
        log("Building image " + spec.imageName() + ": " + spec.description());
        DataImage image = client.createImage(new CreateImageRequest(spec.yaml(), directory.toString(), null, List.of(), List.of(), null));
        images.add(image.name());
        Instant deadline = Instant.now().plus(BUILD_TIMEOUT);
        String lastProgress = null;
        while (image.status() == ResourceStatus.PENDING) {
            if (Instant.now().isAfter(deadline)) {
                throw new IllegalStateException("Image " + spec.imageName() + " was not built within " + BUILD_TIMEOUT.toMinutes() + " minutes");
            }
            Thread.sleep(500);
            image = client.getImage(String.valueOf(image.id()));
            if (image.progress() != null && !image.progress().equals(lastProgress)) {
                lastProgress = image.progress();
                log("  " + lastProgress);
            }
        }
        if (image.status() != ResourceStatus.READY) {
            throw new IllegalStateException("Image " + spec.imageName() + " is " + image.status() + ": " + image.statusMessage());
        }
        return image;
    }

    // --- containers and queries ----------------------------------------------------------------------------------

    private String nextContainerName(String key)
    {
        return "bench-" + key + "-" + (++containerCounter);
    }

    private DataContainer createContainer(String image)
    {
        DataContainer container = client.createContainer(new CreateContainerRequest(image, nextContainerName("helper"), null));
        containers.add(container.name());
        return container;
    }

    private void deleteContainer(String name)
    {
        client.deleteContainer(name);
        containers.remove(name);
    }

    private void deleteImage(String name)
    {
        client.deleteImage(name);
        images.remove(name);
    }

    /** Connects, runs the query, and returns the first column of its first row. */
    private static long firstAnswer(String jdbcUrl, DataContainer container, String query)
            throws SQLException
    {
        try (Connection connection = DriverManager.getConnection(jdbcUrl, container.user(), container.password());
                Statement statement = connection.createStatement();
                ResultSet result = statement.executeQuery(query)) {
            if (!result.next()) {
                throw new IllegalStateException("'" + query + "' answered no row");
            }
            return result.getLong(1);
        }
    }

    private static long queryLong(DataContainer container, String database, String query)
            throws SQLException
    {
        return firstAnswer(jdbcUrl(container, database), container, query);
    }

    private static Connection connect(DataContainer container, String database)
            throws SQLException
    {
        Connection connection = DriverManager.getConnection(jdbcUrl(container, database), container.user(), container.password());
        connection.setAutoCommit(true);
        return connection;
    }

    private static String jdbcUrl(DataContainer container, String database)
    {
        String host = container.host().contains(":") ? "[" + container.host() + "]" : container.host();
        return "jdbc:postgresql://" + host + ":" + container.port() + "/" + database;
    }

    private static String quoteIdentifier(String identifier)
    {
        return "\"" + identifier.replace("\"", "\"\"") + "\"";
    }

    // --- processes and the machine -------------------------------------------------------------------------------

    /** Runs a PostgreSQL client program; fails with its output when it does not exit with 0. */
    private void run(List<String> command, String password)
            throws IOException, InterruptedException
    {
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().put("PGPASSWORD", password);
        builder.environment().put("PGCONNECT_TIMEOUT", "10");
        Path output = Files.createTempFile(work, "process-", ".log");
        builder.redirectOutput(output.toFile());
        Process process = builder.start();
        if (!process.waitFor(60, TimeUnit.MINUTES)) {
            process.destroyForcibly().waitFor();
            throw new IllegalStateException(command.getFirst() + " did not finish within 60 minutes");
        }
        String text = Files.readString(output);
        Files.delete(output);
        if (process.exitValue() != 0) {
            throw new IllegalStateException(String.join(" ", command) + " exited with " + process.exitValue() + ":\n" + text);
        }
    }

    private static String output(List<String> command)
    {
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            String text = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            process.waitFor(30, TimeUnit.SECONDS);
            return text;
        }
        catch (IOException e) {
            return "unknown (" + e.getMessage() + ")";
        }
        catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "unknown";
        }
    }

    private Map<String, Object> machine()
            throws IOException
    {
        Map<String, Object> machine = new LinkedHashMap<>();
        machine.put("nproc", Runtime.getRuntime().availableProcessors());
        long memoryKilobytes = 0;
        for (String line : Files.readAllLines(Path.of("/proc/meminfo"))) {
            if (line.startsWith("MemTotal:")) {
                memoryKilobytes = Long.parseLong(line.replaceAll("[^0-9]", ""));
            }
        }
        machine.put("memoryBytes", memoryKilobytes * 1024);
        String cpu = "unknown";
        for (String line : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
            if (line.startsWith("model name")) {
                cpu = line.substring(line.indexOf(':') + 1).strip();
                break;
            }
        }
        machine.put("cpu", cpu);
        machine.put("kernel", System.getProperty("os.version"));
        machine.put("dollyHomeFilesystem", output(List.of("stat", "-f", "-c", "%T", daemon.home().toString())).strip());
        machine.put("java", System.getProperty("java.vendor") + " " + System.getProperty("java.version"));
        return machine;
    }

    // --- output --------------------------------------------------------------------------------------------------

    private static final String[] HEADER = {
            "image", "image size", "pg_database_size", "Dolly clone", "pg_restore -j2", "CREATE DATABASE … TEMPLATE", "pg_restore ÷ Dolly"};

    private static String table(List<String[]> rows)
    {
        StringBuilder text = new StringBuilder();
        text.append("| ").append(String.join(" | ", HEADER)).append(" |\n");
        text.append("|").append("---|".repeat(HEADER.length)).append("\n");
        for (String[] row : rows) {
            text.append("| ").append(String.join(" | ", row)).append(" |\n");
        }
        return text.toString().strip();
    }

    @SuppressWarnings("unchecked")
    private String markdown(Map<String, Object> report, Map<String, Object> machine, ServerInfo info, String table)
    {
        StringBuilder text = new StringBuilder();
        text.append("# Time from request to first query answered\n\n");
        text.append("Storage driver `").append(info.storageDriver()).append("`, measured ").append(report.get("date"))
                .append(" by `bench/run-clone-benchmark` (see `bench/README.md`).\n\n");
        text.append(table).append("\n\n");
        text.append("Median of ").append(options.runs()).append(" Dolly clones and of ").append(options.baselineRuns())
                .append(" runs of each baseline, in seconds, with the fastest and slowest run in parentheses. ")
                .append("Sizes in MiB: the image's data directory and the database itself. ")
                .append("pg_restore ÷ Dolly is the ratio of the medians: above 1, a Dolly clone answers sooner. ")
                .append("The machine is noisy: compare ratios within this run rather than absolute seconds across runs.\n\n");
        for (Map<String, Object> image : (List<Map<String, Object>>) report.get("images")) {
            text.append("- `").append(image.get("name")).append("`: ").append(image.get("description"))
                    .append("; PostgreSQL ").append(image.get("engineVersion"))
                    .append("; first query `").append(image.get("probeQuery")).append("`")
                    .append("; image built in ").append(image.get("imageBuildSeconds")).append(" s")
                    .append("; the Dolly clone's API call alone took ")
                    .append(((Map<String, Object>) image.get("dollyCloneApiOnly")).get("medianSeconds")).append(" s (median).\n");
        }
        text.append("\nMachine: ").append(machine.get("nproc")).append(" CPUs (").append(machine.get("cpu")).append("), ")
                .append(String.format(Locale.ROOT, "%.1f", ((Number) machine.get("memoryBytes")).doubleValue() / (1L << 30))).append(" GiB RAM, ")
                .append("DOLLY_HOME on ").append(machine.get("dollyHomeFilesystem")).append(", Linux ").append(machine.get("kernel"))
                .append(", ").append(machine.get("java")).append(", ").append(report.get("pgRestoreVersion")).append(".\n");
        text.append("Total run time: ").append(report.get("totalSeconds")).append(" s.\n");
        return text.toString();
    }

    private static String megabytes(Long bytes)
    {
        return bytes == null ? "?" : String.format(Locale.ROOT, "%.1f MiB", bytes / (double) (1L << 20));
    }

    private static void log(String message)
    {
        System.out.println("[" + DateTimeFormatter.ofPattern("HH:mm:ss").withZone(ZoneOffset.UTC).format(Instant.now()) + "] " + message);
        System.out.flush();
    }

    // --- clean-up ------------------------------------------------------------------------------------------------

    /** Removes every container and image, stops the daemon (SIGTERM) and deletes the temporary directory. */
    private void cleanUp()
    {
        if (!cleanedUp.compareAndSet(false, true)) {
            return;
        }
        if (client != null && daemon.isRunning()) {
            for (String container : List.copyOf(containers)) {
                try {
                    client.deleteContainer(container);
                }
                catch (RuntimeException e) {
                    System.err.println("Warning: could not delete container " + container + ": " + e.getMessage());
                }
            }
            for (String image : List.copyOf(images)) {
                try {
                    client.deleteImage(image);
                }
                catch (RuntimeException e) {
                    System.err.println("Warning: could not delete image " + image + ": " + e.getMessage());
                }
            }
        }
        try {
            daemon.stop();
        }
        catch (InterruptedException | RuntimeException e) {
            System.err.println("Warning: " + e.getMessage());
        }
        try {
            if (Files.exists(daemon.log()) && Files.size(daemon.log()) > 0 && !isClean(Files.readString(daemon.log()))) {
                System.err.println("Daemon log (warnings and errors):");
                for (String line : Files.readAllLines(daemon.log())) {
                    if (isWarning(line)) {
                        System.err.println("  " + line);
                    }
                }
            }
            deleteRecursively(base);
        }
        catch (IOException | UncheckedIOException e) {
            System.err.println("Warning: could not delete " + base + ": " + e.getMessage());
        }
    }

    private static boolean isClean(String log)
    {
        return log.lines().noneMatch(CloneBenchmark::isWarning);
    }

    /** The daemon's own warnings and errors, not the JVM's notes about native access. */
    private static boolean isWarning(String line)
    {
        return line.matches(".*\\b(WARN|ERROR)\\b.*");
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
                    throws IOException
            {
                // sealed images are read-only; make directories writable so that their entries can go
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
