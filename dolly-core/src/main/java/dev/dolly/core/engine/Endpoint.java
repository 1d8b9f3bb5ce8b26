package dev.dolly.core.engine;

import static java.util.Objects.requireNonNull;

/** Where and as whom to connect to a running engine. */
public record Endpoint(String host, int port, String user, String password, String database)
{
    public Endpoint
    {
        requireNonNull(host, "host is null");
        requireNonNull(user, "user is null");
        requireNonNull(password, "password is null");
        requireNonNull(database, "database is null");
    }

    public Endpoint withDatabase(String otherDatabase)
    {
        return new Endpoint(host, port, user, password, otherDatabase);
    }
}
