package dev.dolly.bench;

import dev.dolly.api.DataContainer;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/** Connections to containers over JDBC, each new, as a client that has just been given the container would make it. */
final class Queries
{
    private Queries() {}

    /** Connects to the container's database, runs the query, and returns the first column of its first row as text. */
    static String firstText(DataContainer container, String query)
            throws SQLException
    {
        return firstColumn(container.jdbcUrl(), container, query, result -> result.getString(1));
    }

    /** Connects to the container's database, runs the query, and returns the first column of its first row as a number. */
    static long firstNumber(DataContainer container, String query)
            throws SQLException
    {
        return firstNumber(container.jdbcUrl(), container, query);
    }

    /** Connects to the URL with the container's user, runs the query, and returns the first column of its first row as a number. */
    static long firstNumber(String jdbcUrl, DataContainer container, String query)
            throws SQLException
    {
        return firstColumn(jdbcUrl, container, query, result -> result.getLong(1));
    }

    private static <T> T firstColumn(String jdbcUrl, DataContainer container, String query, Column<T> column)
            throws SQLException
    {
        try (Connection connection = DriverManager.getConnection(jdbcUrl, container.user(), container.password());
                Statement statement = connection.createStatement();
                ResultSet result = statement.executeQuery(query)) {
            if (!result.next()) {
                throw new IllegalStateException("'" + query + "' answered no row");
            }
            return column.read(result);
        }
    }

    /** Commits the statement over a connection of its own. */
    static void execute(DataContainer container, String sql)
            throws SQLException
    {
        try (Connection connection = DriverManager.getConnection(container.jdbcUrl(), container.user(), container.password());
                Statement statement = connection.createStatement()) {
            statement.executeUpdate(sql);
        }
    }

    /** A connection to another database of a PostgreSQL container's server, in auto-commit mode. */
    static Connection connectPostgresql(DataContainer container, String database)
            throws SQLException
    {
        Connection connection = DriverManager.getConnection(postgresqlUrl(container, database), container.user(), container.password());
        connection.setAutoCommit(true);
        return connection;
    }

    static String postgresqlUrl(DataContainer container, String database)
    {
        String host = container.host().contains(":") ? "[" + container.host() + "]" : container.host();
        return "jdbc:postgresql://" + host + ":" + container.port() + "/" + database;
    }

    static String quoteIdentifier(String identifier)
    {
        return "\"" + identifier.replace("\"", "\"\"") + "\"";
    }

    private interface Column<T>
    {
        T read(ResultSet result)
                throws SQLException;
    }
}
