package dev.dolly.core.engine.postgresql;

import dev.dolly.core.engine.ProgressListener;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;

import static java.util.Objects.requireNonNull;

/**
 * Runs SQL scripts as psql would, without psql: pg_dump's plain format and common hand-written scripts.
 * PLACEHOLDER: being written.
 */
public final class PlainSqlLoader
{
    /** Opens a connection to a database of the server being loaded, as the superuser. */
    @FunctionalInterface
    public interface ConnectionFactory
    {
        Connection open(String database)
                throws SQLException;
    }

    private final ConnectionFactory connections;

    public PlainSqlLoader(ConnectionFactory connections)
    {
        this.connections = requireNonNull(connections, "connections is null");
    }

    /**
     * Runs a script file, starting in {@code database}; {@code \connect} switches databases as the script goes.
     *
     * @return the database the script ended in
     * @throws dev.dolly.api.DollyException OPERATION_FAILED naming the file, the line and the server's message
     */
    public String load(Path script, String database, ProgressListener progress)
    {
        throw new UnsupportedOperationException("not yet");
    }

    /** Runs SQL text (a pre- or post-script), named {@code sourceName} in error messages. */
    public String execute(String sql, String sourceName, String database, ProgressListener progress)
    {
        throw new UnsupportedOperationException("not yet");
    }
}
