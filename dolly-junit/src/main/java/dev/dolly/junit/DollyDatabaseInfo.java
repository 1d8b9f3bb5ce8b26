package dev.dolly.junit;

import java.util.Locale;

import static java.util.Objects.requireNonNull;

/**
 * How to reach a test's database.
 *
 * @param engine {@code postgresql}, {@code mariadb} or {@code mysql}
 * @param container the data container's name, as {@code dolly get data-containers} shows it
 */
public record DollyDatabaseInfo(String engine, String container, String host, int port, String user, String password, String database)
{
    public DollyDatabaseInfo
    {
        requireNonNull(engine, "engine is null");
        requireNonNull(container, "container is null");
        requireNonNull(host, "host is null");
        requireNonNull(user, "user is null");
        requireNonNull(password, "password is null");
        requireNonNull(database, "database is null");
    }

    /** {@code jdbc:postgresql://HOST:PORT/DATABASE} or {@code jdbc:mariadb://HOST:PORT/DATABASE}, without credentials. */
    public String jdbcUrl()
    {
        String scheme = switch (engine.toLowerCase(Locale.ROOT)) {
            case "postgresql" -> "postgresql";
            case "mariadb", "mysql" -> "mariadb";
            default -> throw new IllegalStateException("No JDBC URL for engine " + engine);
        };
        return "jdbc:" + scheme + "://" + host + ":" + port + "/" + database;
    }

    @Override
    public String toString()
    {
        // the password stays out of test reports
        return "DollyDatabaseInfo[" + container + ": " + jdbcUrl() + " as " + user + "]";
    }
}
