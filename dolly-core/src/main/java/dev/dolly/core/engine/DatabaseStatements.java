package dev.dolly.core.engine;

/**
 * Whether the SQL of a load creates or drops a database by its name, as {@code CREATE DATABASE chinook} and {@code
 * DROP DATABASE IF EXISTS chinook} do (the Chinook scripts, {@code pg_dump -C}, {@code mysqldump --databases}). A
 * script that does so for the initial database expects to run from elsewhere, as psql run from {@code postgres} or
 * the mysql client run without a database would.
 */
public record DatabaseStatements(boolean creates, boolean drops)
{
    public static final DatabaseStatements NONE = new DatabaseStatements(false, false);

    public DatabaseStatements or(DatabaseStatements other)
    {
        return new DatabaseStatements(creates || other.creates, drops || other.drops);
    }

    public boolean any()
    {
        return creates || drops;
    }
}
