package dev.dolly.junit;

import javax.sql.DataSource;

import java.io.PrintWriter;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.util.function.Supplier;
import java.util.logging.Logger;

import static java.util.Objects.requireNonNull;

/**
 * A data source without a pool: each {@link #getConnection()} opens a connection through {@link DriverManager}, to
 * where the container is now (a reset may move it), with the JDBC driver of the test class path.
 */
final class DriverManagerDataSource
        implements DataSource
{
    private final Supplier<DollyDatabaseInfo> database;
    private volatile int loginTimeoutSeconds;

    DriverManagerDataSource(Supplier<DollyDatabaseInfo> database)
    {
        this.database = requireNonNull(database, "database is null");
    }

    @Override
    public Connection getConnection()
            throws SQLException
    {
        DollyDatabaseInfo info = database.get();
        return getConnection(info.user(), info.password());
    }

    @Override
    public Connection getConnection(String username, String password)
            throws SQLException
    {
        String url = database.get().jdbcUrl();
        try {
            return DriverManager.getConnection(url, username, password);
        }
        catch (SQLException e) {
            if ("08001".equals(e.getSQLState()) && e.getMessage() != null && e.getMessage().startsWith("No suitable driver")) {
                throw new SQLException("No JDBC driver for " + url + " on the test class path: add org.postgresql:postgresql or "
                        + "org.mariadb.jdbc:mariadb-java-client as a test dependency.", e.getSQLState(), e);
            }
            throw e;
        }
    }

    @Override
    public PrintWriter getLogWriter()
    {
        return DriverManager.getLogWriter();
    }

    @Override
    public void setLogWriter(PrintWriter out)
    {
        DriverManager.setLogWriter(out);
    }

    @Override
    public void setLoginTimeout(int seconds)
    {
        loginTimeoutSeconds = seconds;
    }

    @Override
    public int getLoginTimeout()
    {
        return loginTimeoutSeconds;
    }

    @Override
    public Logger getParentLogger()
            throws SQLFeatureNotSupportedException
    {
        throw new SQLFeatureNotSupportedException("no java.util.logging here");
    }

    @Override
    public <T> T unwrap(Class<T> type)
            throws SQLException
    {
        if (type.isInstance(this)) {
            return type.cast(this);
        }
        throw new SQLException("Not a wrapper of " + type.getName());
    }

    @Override
    public boolean isWrapperFor(Class<?> type)
    {
        return type.isInstance(this);
    }

    @Override
    public String toString()
    {
        return "DataSource[" + database.get() + "]";
    }
}
