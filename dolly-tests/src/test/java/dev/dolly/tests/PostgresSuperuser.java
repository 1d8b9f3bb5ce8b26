package dev.dolly.tests;

import dev.dolly.api.DataContainer;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

import static java.util.Objects.requireNonNull;

/**
 * The superuser of a PostgreSQL container, over JDBC, doing what any developer with that password can do: read, list
 * and write server files ({@code pg_read_file}, {@code pg_ls_dir}, {@code COPY … TO}) and run programs as the server's
 * account ({@code COPY … FROM PROGRAM}). Each call reports what happened rather than throwing, so that an attack and
 * its positive control read alike.
 */
final class PostgresSuperuser
        implements AutoCloseable
{
    private static final String EXIT_MARKER = "dolly-exit-status=";

    private final Connection connection;

    PostgresSuperuser(DataContainer container)
            throws SQLException
    {
        requireNonNull(container, "container is null");
        this.connection = DriverManager.getConnection(container.jdbcUrl(), container.user(), container.password());
        try (Statement statement = connection.createStatement()) {
            statement.execute("CREATE TEMPORARY TABLE dolly_shell_output (line_number serial, line text)");
        }
    }

    /** The whole file, through {@code pg_read_file}. */
    Attempt readFile(String path)
    {
        return query("SELECT pg_read_file(" + literal(path) + ")");
    }

    /** The first bytes of a file, through {@code pg_read_binary_file}: any file, text or not. */
    Attempt readBinaryFile(String path)
    {
        return query("SELECT length(pg_read_binary_file(" + literal(path) + ", 0, 64))");
    }

    /** The names in a directory, one a line in name order, through {@code pg_ls_dir}. */
    Attempt listDirectory(String path)
    {
        return query("SELECT coalesce(string_agg(name, E'\\n' ORDER BY name), '') FROM pg_ls_dir(" + literal(path) + ") AS name");
    }

    /** Writes one line to a file (created, or emptied first), through {@code COPY … TO}. */
    Attempt writeFile(String path, String line)
    {
        return execute("COPY (SELECT " + literal(line) + ") TO " + literal(path));
    }

    /** Runs a statement; its error, if any, is the result. */
    Attempt execute(String sql)
    {
        try (Statement statement = connection.createStatement()) {
            statement.execute(sql);
            return new Attempt(true, "");
        }
        catch (SQLException e) {
            return new Attempt(false, e.getMessage());
        }
    }

    /** A query of one value; its error, if any, is the result. */
    Attempt query(String sql)
    {
        try (Statement statement = connection.createStatement(); ResultSet resultSet = statement.executeQuery(sql)) {
            resultSet.next();
            return new Attempt(true, String.valueOf(resultSet.getString(1)));
        }
        catch (SQLException e) {
            return new Attempt(false, e.getMessage());
        }
    }

    /** The value of a setting of the running server, as {@code SHOW} gives it. */
    String show(String setting)
    {
        Attempt shown = query("SHOW " + setting);
        if (!shown.succeeded()) {
            throw new AssertionError("SHOW " + setting + " failed: " + shown.result());
        }
        return shown.result();
    }

    /**
     * Runs {@code command} with {@code sh -c} as the server's account, in the server's working directory, through
     * {@code COPY … FROM PROGRAM}, with its standard error merged into its output.
     */
    ShellResult shell(String command)
            throws SQLException
    {
        // the echo ends a last line the output left open; an output that ended its last line gets an empty one, dropped below
        String program = "{ " + command + "\n} 2>&1; status=$?; echo; echo \"" + EXIT_MARKER + "$status\"";
        try (Statement statement = connection.createStatement()) {
            statement.execute("TRUNCATE dolly_shell_output");
            // CSV with a delimiter and a quote that never occur, so that no byte of the output is interpreted
            statement.execute("COPY dolly_shell_output (line) FROM PROGRAM " + literal(program) + " WITH (FORMAT csv, DELIMITER E'\\x01', QUOTE E'\\x02')");
            List<String> lines = new ArrayList<>();
            try (ResultSet resultSet = statement.executeQuery("SELECT coalesce(line, '') FROM dolly_shell_output ORDER BY line_number")) {
                while (resultSet.next()) {
                    lines.add(resultSet.getString(1));
                }
            }
            String last = lines.isEmpty() ? "" : lines.removeLast();
            if (!last.startsWith(EXIT_MARKER)) {
                throw new AssertionError("The program did not finish: " + command + "\n" + String.join("\n", lines) + "\n" + last);
            }
            if (!lines.isEmpty() && lines.getLast().isEmpty()) {
                lines.removeLast();
            }
            return new ShellResult(Integer.parseInt(last.substring(EXIT_MARKER.length())), String.join("\n", lines));
        }
    }

    /** The same command must succeed: a positive control, or a step of an attack that the test needs done. */
    String succeed(String command)
            throws SQLException
    {
        ShellResult result = shell(command);
        if (result.exitCode() != 0) {
            throw new AssertionError("'" + command + "' exited " + result.exitCode() + ": " + result.output());
        }
        return result.output();
    }

    static String literal(String value)
    {
        return "'" + value.replace("'", "''") + "'";
    }

    @Override
    public void close()
            throws SQLException
    {
        connection.close();
    }

    /** What a statement did: its result, or the error message it failed with. */
    record Attempt(boolean succeeded, String result) {}

    record ShellResult(int exitCode, String output) {}
}
