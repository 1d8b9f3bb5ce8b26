package dev.dolly.bench;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import dev.dolly.api.DataContainer;
import dev.dolly.api.DataImage;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import static java.util.Objects.requireNonNull;

/**
 * The two ways of copying a database without Dolly, once per image, on the daemon of one driver:
 * <ul>
 * <li>{@code CREATE DATABASE} and {@code pg_restore -j2} of a {@code pg_dump -Fc} dump into a server that is already
 * running (a container of an empty image, started before the clock starts), until the first row of the probe
 * query;</li>
 * <li>{@code CREATE DATABASE … TEMPLATE} inside a server that holds the database (a Dolly container), until the first
 * row of the probe query on the copy, which is dropped between runs.</li>
 * </ul>
 */
final class BaselineMeasurement
{
    static final int RESTORE_JOBS = 2;
    private static final String RESTORED_DATABASE = "restored";
    private static final String TEMPLATE_COPY_DATABASE = "template_copy";

    private final BenchmarkOptions options;
    private final Path work;

    /** @param work where the dumps go, one at a time */
    BaselineMeasurement(BenchmarkOptions options, Path work)
    {
        this.options = requireNonNull(options, "options is null");
        this.work = requireNonNull(work, "work is null");
    }

    /**
     * @param image the image, whose containers hold {@code database}
     * @param emptyImage an empty PostgreSQL 15 of the same daemon ({@link ImageSpec#empty()})
     */
    BaselineResult measure(DriverSession session, ImageSpec spec, DataImage image, DataImage emptyImage, String database)
            throws IOException, InterruptedException, SQLException
    {
        Path dump = work.resolve(spec.key() + ".dump");
        double dumpSeconds;
        DataContainer source = session.createContainer(image.name(), "helper");
        try {
            Log.log("  Dumping " + database + " with pg_dump -Fc");
            long dumpStarted = System.nanoTime();
            runClient(List.of(options.pgDump(), "-Fc", "-h", source.host(), "-p", String.valueOf(source.port()), "-U", source.user(),
                    "-d", database, "-f", dump.toString()), source.password());
            dumpSeconds = Timings.seconds(dumpStarted, System.nanoTime());
            Log.log("  Dump: " + Files.size(dump) + " bytes in " + dumpSeconds + " s");
        }
        finally {
            session.deleteContainer(source.name());
        }
        long dumpBytes = Files.size(dump);
        Timings restore;
        try {
            restore = restore(session, spec, emptyImage, dump);
        }
        finally {
            Files.deleteIfExists(dump);
        }
        Timings template = template(session, spec, image, database);
        return new BaselineResult("custom (pg_dump -Fc)", dumpBytes, dumpSeconds, restore, template);
    }

    private Timings restore(DriverSession session, ImageSpec spec, DataImage emptyImage, Path dump)
            throws IOException, InterruptedException, SQLException
    {
        List<Double> seconds = new ArrayList<>();
        for (int run = 1; run <= options.baselineRuns(); run++) {
            DataContainer target = session.createContainer(emptyImage.name(), "helper");
            try {
                long t0 = System.nanoTime();
                try (Connection connection = Queries.connectPostgresql(target, target.database());
                        Statement statement = connection.createStatement()) {
                    statement.execute("CREATE DATABASE " + RESTORED_DATABASE);
                }
                runClient(List.of(options.pgRestore(), "-j", String.valueOf(RESTORE_JOBS), "--no-owner", "-h", target.host(), "-p",
                        String.valueOf(target.port()), "-U", target.user(), "-d", RESTORED_DATABASE, dump.toString()), target.password());
                long answer = Queries.firstNumber(Queries.postgresqlUrl(target, RESTORED_DATABASE), target, spec.probeQuery());
                long t1 = System.nanoTime();
                seconds.add(Timings.seconds(t0, t1));
                Log.log(String.format(Locale.ROOT, "  pg_restore -j%d of %s %d/%d: %.3f s, answer %d", RESTORE_JOBS, spec.key(), run, options.baselineRuns(),
                        (t1 - t0) / 1e9, answer));
            }
            finally {
                session.deleteContainer(target.name());
            }
        }
        return new Timings(seconds);
    }

    private Timings template(DriverSession session, ImageSpec spec, DataImage image, String database)
            throws SQLException
    {
        List<Double> seconds = new ArrayList<>();
        DataContainer server = session.createContainer(image.name(), "helper");
        try (Connection maintenance = Queries.connectPostgresql(server, "postgres");
                Statement statement = maintenance.createStatement()) {
            for (int run = 1; run <= options.baselineRuns(); run++) {
                long t0 = System.nanoTime();
                statement.execute("CREATE DATABASE " + TEMPLATE_COPY_DATABASE + " TEMPLATE " + Queries.quoteIdentifier(database));
                long answer = Queries.firstNumber(Queries.postgresqlUrl(server, TEMPLATE_COPY_DATABASE), server, spec.probeQuery());
                long t1 = System.nanoTime();
                seconds.add(Timings.seconds(t0, t1));
                Log.log(String.format(Locale.ROOT, "  create database template of %s %d/%d: %.3f s, answer %d", spec.key(), run, options.baselineRuns(),
                        (t1 - t0) / 1e9, answer));
                statement.execute("DROP DATABASE " + TEMPLATE_COPY_DATABASE + " WITH (FORCE)");
            }
        }
        finally {
            session.deleteContainer(server.name());
        }
        return new Timings(seconds);
    }

    /** Runs a PostgreSQL client program; fails with its output when it does not exit with 0. */
    private static void runClient(List<String> command, String password)
            throws IOException, InterruptedException
    {
        Commands.run(command, Map.of("PGPASSWORD", password, "PGCONNECT_TIMEOUT", "10"));
    }

    /**
     * The baselines of one image, as {@code baselines.sizes.<size>} of {@code clone-cow.json}.
     *
     * @param pgRestore {@code pg_restore -j2}, from {@code CREATE DATABASE} until the first query answered
     * @param createDatabaseTemplate {@code CREATE DATABASE … TEMPLATE} until the first query answered
     */
    record BaselineResult(
            String dumpFormat,
            long dumpBytes,
            double dumpSeconds,
            @JsonProperty("pgRestoreJobs" + RESTORE_JOBS) Timings pgRestore,
            Timings createDatabaseTemplate) {}

    /**
     * The baselines of every image, as {@code baselines} of {@code clone-cow.json}: which daemon served them (none
     * for MariaDB) and what they measured per size.
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record BaselineReport(StorageDriver storageDriver, String filesystem, Map<String, BaselineResult> sizes) {}
}
