package dev.dolly.core.catalog;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import org.flywaydb.core.Flyway;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.argument.AbstractArgumentFactory;
import org.jdbi.v3.core.argument.Argument;
import org.jdbi.v3.core.config.ConfigRegistry;
import org.jdbi.v3.core.generic.GenericType;
import org.jdbi.v3.core.mapper.reflect.ConstructorMapper;
import org.sqlite.SQLiteConfig;
import org.sqlite.SQLiteDataSource;

import java.nio.file.Path;
import java.sql.Types;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Set;

import static java.util.Objects.requireNonNull;

/**
 * Everything the daemon knows, in one SQLite file ({@code DOLLY_HOME/catalog.db}), with one store per aggregate:
 * {@link #images()} (images, their tags and teams), {@link #containers()} (containers and their revisions) and
 * {@link #users()} (users, teams, memberships and access tokens). The schema is versioned with Flyway migrations in
 * {@code db/migration}.
 * <p>
 * Rows become the catalog's records through JDBI's {@link ConstructorMapper}, registered here once, and records are
 * bound by their accessors ({@code bindMethods}): timestamps are fixed-width UTC text, so that they compare
 * correctly as text in SQL, and lists are the values a {@code group_concat} subquery joined with line breaks.
 * <p>
 * Its connections stay open in a small pool ({@link #CONNECTIONS}): opening a SQLite connection and setting its
 * pragmas costs a millisecond or more, and closing the last one checkpoints the write-ahead log and removes it (an
 * fsync), which cost a request tens of milliseconds when every statement had a connection of its own.
 */
public final class Catalog
        implements AutoCloseable
{
    /** At most this many statements at once; writers wait for each other anyway (one SQLite write lock). */
    private static final int CONNECTIONS = 8;

    // Fixed-width UTC timestamps, so that they compare correctly as text in SQL.
    private static final DateTimeFormatter TIMESTAMP = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);

    private final ImageCatalog images;
    private final ContainerCatalog containers;
    private final UserCatalog users;
    private final RouteCatalog routes;
    private final ScheduleCatalog schedules;
    private final Jdbi jdbi;
    private final HikariDataSource connections;

    private Catalog(Jdbi jdbi, HikariDataSource connections)
    {
        this.jdbi = jdbi;
        this.connections = connections;
        this.images = new ImageCatalog(jdbi);
        this.containers = new ContainerCatalog(jdbi);
        this.users = new UserCatalog(jdbi);
        this.routes = new RouteCatalog(jdbi);
        this.schedules = new ScheduleCatalog(jdbi);
    }

    /** Opens the catalog file, creating it or bringing its schema up to date. */
    public static Catalog open(Path file)
    {
        requireNonNull(file, "file is null");
        SQLiteConfig config = new SQLiteConfig();
        config.enforceForeignKeys(true);
        config.setJournalMode(SQLiteConfig.JournalMode.WAL);
        config.setSynchronous(SQLiteConfig.SynchronousMode.NORMAL);
        config.setBusyTimeout(10_000);
        // Take the write lock when a transaction begins, so that concurrent writers wait instead of failing.
        config.setTransactionMode(SQLiteConfig.TransactionMode.IMMEDIATE);
        SQLiteDataSource dataSource = new SQLiteDataSource(config);
        dataSource.setUrl("jdbc:sqlite:" + file);
        Flyway.configure()
                .dataSource(dataSource)
                .locations("classpath:db/migration")
                .load()
                .migrate();
        HikariConfig pool = new HikariConfig();
        pool.setDataSource(dataSource);
        pool.setPoolName("catalog");
        pool.setMaximumPoolSize(CONNECTIONS);
        // one stays open while the catalog is: the write-ahead log is not checkpointed and removed after every statement
        pool.setMinimumIdle(1);
        // a writer waits for SQLite's write lock (its busy timeout), not for a connection
        pool.setConnectionTimeout(30_000);
        // connections never go stale: no lifetime of their own
        pool.setMaxLifetime(0);
        HikariDataSource connections = new HikariDataSource(pool);
        return new Catalog(configure(Jdbi.create(connections)), connections);
    }

    /** Closes the catalog's connections. */
    @Override
    public void close()
    {
        connections.close();
    }

    /** Images, the tags they hold or wait for, and the teams they are shared with. */
    public ImageCatalog images()
    {
        return images;
    }

    /** Containers and their revisions. */
    public ContainerCatalog containers()
    {
        return containers;
    }

    /** Users, teams and their members, access tokens and sessions. */
    public UserCatalog users()
    {
        return users;
    }

    /** Routes: stable ports relayed to containers. */
    public RouteCatalog routes()
    {
        return routes;
    }

    /** Scheduled image builds and the containers that follow a tag. */
    public ScheduleCatalog schedules()
    {
        return schedules;
    }

    /** The engine account IDs that containers and images record: those are in use. */
    public Set<Integer> engineUidsInUse()
    {
        return Set.copyOf(jdbi.withHandle(handle -> handle.createQuery("""
                        SELECT engine_uid FROM containers WHERE engine_uid IS NOT NULL
                        UNION SELECT engine_uid FROM images WHERE engine_uid IS NOT NULL""")
                .mapTo(Integer.class)
                .list()));
    }

    private static Jdbi configure(Jdbi jdbi)
    {
        jdbi.registerArgument(new TimestampArgumentFactory());
        jdbi.registerColumnMapper(Instant.class, (row, column, context) -> instant(row.getString(column)));
        // Every list in the catalog's records is a group_concat of values joined with line breaks (tags, team and
        // user names hold none), sorted here; none for NULL.
        jdbi.registerColumnMapper(new GenericType<List<String>>() {}, (row, column, context) -> lines(row.getString(column)));
        for (Class<?> record : List.of(ImageRecord.class, ImageBuildStepRecord.class, ContainerRecord.class, RevisionRecord.class, RouteRecord.class, UserRecord.class, TeamRecord.class,
                TokenRecord.class, ScheduleRecord.class, FollowingRecord.class)) {
            jdbi.registerRowMapper(ConstructorMapper.factory(record));
        }
        return jdbi;
    }

    private static List<String> lines(String text)
    {
        return text == null ? List.of() : text.lines().sorted().toList();
    }

    private static Instant instant(String text)
    {
        return text == null ? null : Instant.parse(text);
    }

    /** Binds instants, of records and of single parameters, as fixed-width UTC text. */
    private static final class TimestampArgumentFactory
            extends AbstractArgumentFactory<Instant>
    {
        TimestampArgumentFactory()
        {
            super(Types.VARCHAR);
        }

        @Override
        protected Argument build(Instant value, ConfigRegistry config)
        {
            String text = TIMESTAMP.format(value);
            return (position, statement, context) -> statement.setString(position, text);
        }
    }
}
