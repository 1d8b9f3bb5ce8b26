package dev.dolly.junit;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * A real, isolated database for a test, from a Dolly data image: put it on a parameter or a field of type
 * {@link javax.sql.DataSource}, {@link String} (the JDBC URL, without credentials) or {@link DollyDatabaseInfo}, in a
 * class extended with {@link DollyExtension}.
 *
 * <p>Name exactly one source: an {@link #image()} of the daemon, a folder of Flyway {@link #migrations()}, or a
 * folder of SQL {@link #scripts()}. Parameters and fields of one test with the same annotation share one container.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.PARAMETER, ElementType.FIELD})
public @interface DollyDatabase
{
    /** A data image of the daemon: {@code chinook}, {@code chinook:sample} or a numeric ID. */
    String image() default "";

    /**
     * Flyway migrations, {@code classpath:db/migration} or a folder: they are run once on an empty PostgreSQL image,
     * and the result, Flyway's history table included, is kept as image {@code junit-<digest>} until a migration
     * changes. Needs Flyway (and its database module) on the test class path.
     */
    String migrations() default "";

    /**
     * A folder of {@code .sql} files, {@code classpath:db/testdata} or a path: an image of {@code sourceType: scripts}
     * is built from them once, as {@code junit-<digest>}, and kept until a file changes.
     */
    String scripts() default "";

    /** The engine of images built from {@link #migrations()} or {@link #scripts()}: {@code postgresql} or {@code mariadb}. */
    String engine() default "postgresql";

    /** One container per test method, or one per test class, reset after each of its tests by {@link #reset()}. */
    Scope scope() default Scope.METHOD;

    /** What happens to a {@link Scope#CLASS} container after each test. */
    Reset reset() default Reset.AFTER_EACH;

    /**
     * The container's lifetime ({@code 90m}, {@code 1h}): the extension deletes it when its test or class ends, and
     * the daemon deletes it after this long if the test JVM dies first.
     */
    String lifetime() default "1h";

    enum Scope
    {
        /** A container of its own for each test method (each invocation of a repeated or parameterized test). */
        METHOD,
        /** One container for the test class, created before its first test needs it and deleted after its last. */
        CLASS,
    }

    enum Reset
    {
        /** After each test, the container is brought back to its image (a load of {@code rev.0}). */
        AFTER_EACH,
        /** Tests see what the tests before them left. */
        NONE,
    }
}
