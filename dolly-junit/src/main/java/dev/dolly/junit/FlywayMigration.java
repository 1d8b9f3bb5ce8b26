package dev.dolly.junit;

import dev.dolly.api.DollyException;
import org.flywaydb.core.Flyway;

/** Runs a folder of Flyway migrations against a container. Loaded only for {@code migrations}, when Flyway is there. */
final class FlywayMigration
{
    private FlywayMigration() {}

    static boolean available(ClassLoader classLoader)
    {
        try {
            Class.forName("org.flywaydb.core.Flyway", false, classLoader);
            return true;
        }
        catch (ClassNotFoundException | LinkageError e) {
            return false;
        }
    }

    static void migrate(SqlFolder folder, DollyDatabaseInfo database, ClassLoader classLoader)
    {
        try {
            Flyway.configure(classLoader)
                    .dataSource(database.jdbcUrl(), database.user(), database.password())
                    .locations("filesystem:" + folder.directory())
                    .load()
                    .migrate();
        }
        catch (RuntimeException e) {
            throw DollyException.loadFailed("@DollyDatabase: Flyway's migrations of " + folder.location() + " failed: " + e.getMessage()
                    + ". (For PostgreSQL, Flyway needs org.flywaydb:flyway-database-postgresql on the test class path; for MariaDB, "
                    + "flyway-mysql.)", e);
        }
    }
}
