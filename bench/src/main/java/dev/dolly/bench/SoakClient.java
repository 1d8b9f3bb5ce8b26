package dev.dolly.bench;

import dev.dolly.api.CreateContainerRequest;
import dev.dolly.api.DataContainer;
import dev.dolly.api.Revision;
import dev.dolly.api.client.DollyClient;
import dev.dolly.bench.OperationLog.Outcome;
import dev.dolly.bench.OperationLog.WrongData;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.CopyOnWriteArrayList;

import static java.util.Objects.requireNonNull;

/**
 * One client of the soak: a user of its own, with its own token, that runs {@link #CYCLE} over and over through the
 * HTTP API the CLI uses, and checks over JDBC, with the container's own password, that each step left the data it
 * should. Every call is timed into an {@link OperationLog}; a failed step ends the cycle, and the container is deleted
 * all the same.
 */
final class SoakClient
{
    static final String CYCLE = "create; create a table and commit a row (1); save (rev.1); commit a row (2); load rev.1 and check that the table "
            + "holds [1]; commit a row (3); save (rev.2); load rev.0 (the image) and check that the table is gone, connecting with the container's own "
            + "password; delete";

    private static final String TABLE = "soak_rows";

    private final int number;
    private final DollyClient client;
    private final String image;
    private final List<String> leftovers;
    private int cycles;

    /**
     * @param client the API client with this client's own token
     * @param leftovers where the names of containers that could not be deleted go
     */
    SoakClient(int number, DollyClient client, String image, CopyOnWriteArrayList<String> leftovers)
    {
        this.number = number;
        this.client = requireNonNull(client, "client is null");
        this.image = requireNonNull(image, "image is null");
        this.leftovers = requireNonNull(leftovers, "leftovers is null");
    }

    /** Runs cycles until the deadline ({@link System#nanoTime()}) has passed; the cycle under way is finished. */
    int runUntil(long deadlineNanos, OperationLog log)
    {
        int finished = 0;
        while (System.nanoTime() < deadlineNanos && !Thread.currentThread().isInterrupted()) {
            if (cycle(log)) {
                finished++;
            }
        }
        return finished;
    }

    /** One cycle; answers whether every step of it succeeded. */
    boolean cycle(OperationLog log)
    {
        cycles++;
        String name = "soak-" + number + "-" + cycles;
        DataContainer container;
        try {
            container = timed(log, SoakOperation.CREATE, () -> client.createContainer(new CreateContainerRequest(image, name, null)));
        }
        catch (StepFailed e) {
            return false;
        }
        boolean succeeded = false;
        try {
            timed(log, SoakOperation.QUERY, () -> execute(container, "create table " + TABLE + " (n int); insert into " + TABLE + " values (1)"));
            expectRevision(timed(log, SoakOperation.SAVE, () -> client.saveRevision(name)), "rev.1", log);
            timed(log, SoakOperation.QUERY, () -> execute(container, "insert into " + TABLE + " values (2)"));
            timed(log, SoakOperation.LOAD, () -> client.loadRevision(name, "rev.1"));
            expectRows(container, "1", "after loading rev.1", log);
            timed(log, SoakOperation.QUERY, () -> execute(container, "insert into " + TABLE + " values (3)"));
            expectRevision(timed(log, SoakOperation.SAVE, () -> client.saveRevision(name)), "rev.2", log);
            timed(log, SoakOperation.LOAD, () -> client.loadRevision(name, "rev.0"));
            // the image has no such table; the connection uses the container's password, which a load of rev.0 sets again
            expectRows(container, "", "after loading rev.0", log);
            succeeded = true;
        }
        catch (StepFailed e) {
            // counted; the container goes all the same
        }
        try {
            timed(log, SoakOperation.DELETE, () -> client.deleteContainer(name));
        }
        catch (StepFailed e) {
            leftovers.add(name);
            return false;
        }
        return succeeded;
    }

    private void expectRevision(Revision revision, String expected, OperationLog log)
            throws StepFailed
    {
        if (!revision.name().equals(expected)) {
            fail(log, SoakOperation.SAVE, new WrongData("A save of " + revision.container() + " made " + revision.name() + ", not " + expected));
        }
    }

    private void expectRows(DataContainer container, String expected, String when, OperationLog log)
            throws StepFailed
    {
        String rows = timed(log, SoakOperation.QUERY, () -> rows(container));
        if (!rows.equals(expected)) {
            fail(log, SoakOperation.QUERY, new WrongData(container.name() + " " + when + " holds the rows [" + rows + "] of " + TABLE + ", not [" + expected + "]"));
        }
    }

    private static void fail(OperationLog log, SoakOperation operation, Exception exception)
            throws StepFailed
    {
        log.failed(operation, Outcome.of(exception));
        throw new StepFailed();
    }

    private static <T> T timed(OperationLog log, SoakOperation operation, Step<T> step)
            throws StepFailed
    {
        long started = System.nanoTime();
        T result;
        try {
            result = step.run();
        }
        catch (Exception e) {
            log.failed(operation, Outcome.of(e));
            throw new StepFailed();
        }
        log.succeeded(operation, started, System.nanoTime());
        return result;
    }

    private static Void execute(DataContainer container, String sql)
            throws SQLException
    {
        try (Connection connection = connect(container);
                Statement statement = connection.createStatement()) {
            statement.execute(sql);
        }
        return null;
    }

    /** The table's rows as {@code 1,2}; empty when the table does not exist. */
    private static String rows(DataContainer container)
            throws SQLException
    {
        try (Connection connection = connect(container);
                Statement statement = connection.createStatement()) {
            try (ResultSet exists = statement.executeQuery("select to_regclass('" + TABLE + "') is not null")) {
                exists.next();
                if (!exists.getBoolean(1)) {
                    return "";
                }
            }
            try (ResultSet result = statement.executeQuery("select coalesce(string_agg(n::text, ',' order by n), '') from " + TABLE)) {
                result.next();
                return result.getString(1);
            }
        }
    }

    private static Connection connect(DataContainer container)
            throws SQLException
    {
        Properties properties = new Properties();
        properties.setProperty("user", container.user());
        properties.setProperty("password", container.password());
        // a server that does not answer is an error of the run, not a client that waits for ever
        properties.setProperty("connectTimeout", "60");
        properties.setProperty("socketTimeout", "300");
        return DriverManager.getConnection(container.jdbcUrl(), properties);
    }

    private interface Step<T>
    {
        T run()
                throws Exception;
    }

    /** A step failed and was counted: the cycle ends. */
    private static final class StepFailed
            extends Exception
    {
        StepFailed()
        {
            super(null, null, false, false);
        }
    }
}
