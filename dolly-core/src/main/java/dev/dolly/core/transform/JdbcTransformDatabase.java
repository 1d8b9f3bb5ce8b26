package dev.dolly.core.transform;

import dev.dolly.api.DollyException;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BiPredicate;
import java.util.function.Consumer;
import java.util.function.Predicate;
import java.util.function.UnaryOperator;

import static java.util.Objects.requireNonNull;

/**
 * What every engine's {@link TransformDatabase} does the same over JDBC: two connections (one that reads and changes the
 * data, one that loads mappings while the first streams originals out, and streams out what the leak check reads while
 * the first runs statements), running statements with their errors told as
 * the transform's, filling a mapping batch by batch, and closing. A subclass holds only its dialect: the statements and
 * how originals are streamed out and pairs loaded in.
 */
public abstract class JdbcTransformDatabase
        implements TransformDatabase
{
    private static final int MAX_STATEMENT_IN_MESSAGE = 300;
    /** Rows checked together by {@link #anyInBatches}: enough to share among the cores, few enough to stop soon after a find. */
    private static final int CHECK_BATCH = 4_096;

    private final Connection connection;
    private final Connection otherConnection;
    private List<Table> tables;

    protected JdbcTransformDatabase(Connection connection, Connection otherConnection)
    {
        this.connection = requireNonNull(connection, "connection is null");
        this.otherConnection = requireNonNull(otherConnection, "otherConnection is null");
    }

    /** The connection that reads and changes the data. */
    protected final Connection connection()
    {
        return connection;
    }

    /**
     * The other connection: it loads the pairs of a mapping while {@link #connection} streams the originals out, and
     * streams out what the leak check reads ({@link #readOriginals}, {@link #anyValue}) while {@link #connection} runs
     * statements for another thread.
     */
    protected final Connection otherConnection()
    {
        return otherConnection;
    }

    @Override
    public final List<Table> tables()
    {
        tables = List.copyOf(readTables());
        return tables;
    }

    /** The user tables, with their columns, read from the catalogs. */
    protected abstract List<Table> readTables();

    /** The tables {@link #tables} read last, read now if it has not run. */
    protected final List<Table> knownTables()
    {
        return tables == null ? tables() : tables;
    }

    @Override
    public final void markRowsToRemove(Table table, String condition)
    {
        try {
            execute(markRowsToRemoveStatement(table, condition));
        }
        catch (DollyException e) {
            throw DollyException.badInput("transform.keep." + table.displayName() + ": the condition " + condition + " does not work: " + e.getMessage());
        }
    }

    /** The statement that records the rows of the table that do not meet the condition. */
    protected abstract String markRowsToRemoveStatement(Table table, String condition);

    /**
     * Fills a mapping: reads the originals, and for each batch of {@code batchSize} of them (and the last, shorter one)
     * computes their fakes and hands both to {@code pairs}; returns how many originals there were.
     */
    protected static long fillInBatches(OriginalReader originals, int batchSize, UnaryOperator<List<String>> fakes, PairWriter pairs)
            throws SQLException
    {
        long count = 0;
        List<String> batch = new ArrayList<>(batchSize);
        String original;
        while ((original = originals.next()) != null) {
            batch.add(original);
            if (batch.size() == batchSize) {
                pairs.write(batch, fakes.apply(batch));
                count += batch.size();
                batch.clear();
            }
        }
        if (!batch.isEmpty()) {
            pairs.write(batch, fakes.apply(batch));
            count += batch.size();
        }
        return count;
    }

    /**
     * Whether a non-null value of the rows {@code rows} reads (the values of {@code columns}, in their order) meets
     * {@code test}: the rows are read in batches, each batch checked on every core (the test is called from several
     * threads at once), and reading stops after the first batch that holds one.
     */
    protected static boolean anyInBatches(RowReader rows, List<Column> columns, BiPredicate<Column, String> test)
            throws SQLException
    {
        Predicate<String[]> anyValue = row -> {
            for (int index = 0; index < row.length; index++) {
                if (row[index] != null && test.test(columns.get(index), row[index])) {
                    return true;
                }
            }
            return false;
        };
        List<String[]> batch = new ArrayList<>(CHECK_BATCH);
        String[] row;
        while ((row = rows.next()) != null) {
            batch.add(row);
            if (batch.size() == CHECK_BATCH) {
                if (batch.parallelStream().anyMatch(anyValue)) {
                    return true;
                }
                batch.clear();
            }
        }
        return batch.parallelStream().anyMatch(anyValue);
    }

    /** The next row streamed out of the database, its values as text ({@code null} for NULL); {@code null} after the last. */
    @FunctionalInterface
    protected interface RowReader
    {
        String[] next()
                throws SQLException;
    }

    /** The next distinct original streamed out of the database, {@code null} after the last. */
    @FunctionalInterface
    protected interface OriginalReader
    {
        String next()
                throws SQLException;
    }

    /** Loads a batch of originals with their fakes (same order) into a mapping. */
    @FunctionalInterface
    protected interface PairWriter
    {
        void write(List<String> originals, List<String> fakes)
                throws SQLException;
    }

    /**
     * Runs {@code work} on both connections at once, each from a thread of its own, and returns when both are done; a
     * failure of either is thrown.
     */
    protected final void onBothConnections(Consumer<Connection> work)
    {
        ImageTransform.alongside(() -> work.accept(otherConnection), () -> work.accept(connection));
    }

    /** Sets new fakes with {@code sql}, whose first parameter is the fake and second the original, in one batch. */
    protected final void replaceFakes(String sql, Map<String, String> fakes)
    {
        try (PreparedStatement statement = connection.prepareStatement(sql)) {
            for (Map.Entry<String, String> entry : fakes.entrySet()) {
                statement.setString(1, entry.getValue());
                statement.setString(2, entry.getKey());
                statement.addBatch();
            }
            statement.executeBatch();
        }
        catch (SQLException e) {
            throw failed("draw fakes again", e);
        }
    }

    /** The first column of every row of a query; {@code what} says in an error what could not be done. */
    protected final List<String> queryStrings(String sql, String what)
    {
        List<String> values = new ArrayList<>();
        try (Statement statement = connection.createStatement(); ResultSet rows = statement.executeQuery(sql)) {
            while (rows.next()) {
                values.add(rows.getString(1));
            }
        }
        catch (SQLException e) {
            throw failed(what, e);
        }
        return values;
    }

    /** Sets the parameters of a prepared statement. */
    @FunctionalInterface
    protected interface Parameters
    {
        void set(PreparedStatement statement)
                throws SQLException;
    }

    /** The first column of every row of a query with parameters; {@code what} says in an error what could not be done. */
    protected final List<String> queryStrings(String sql, Parameters parameters, String what)
    {
        List<String> values = new ArrayList<>();
        try (PreparedStatement statement = connection.prepareStatement(sql)) {
            parameters.set(statement);
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    values.add(rows.getString(1));
                }
            }
        }
        catch (SQLException e) {
            throw failed(what, e);
        }
        return values;
    }

    /**
     * Of the originals whose fakes were just drawn again, those whose fake another original has that was not drawn
     * again, or was and is smaller (in {@link String#compareTo} order, fixed whatever the engine): {@code sharingSql},
     * with {@code parameters}, returns the original and fake of every original whose fake one of them has.
     */
    protected final List<String> repeatingAmong(Collection<String> drawn, String sharingSql, Parameters parameters)
    {
        Set<String> drawnAgain = new HashSet<>(drawn);
        Map<String, List<String>> originalsByFake = new HashMap<>();
        try (PreparedStatement statement = connection.prepareStatement(sharingSql)) {
            parameters.set(statement);
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    originalsByFake.computeIfAbsent(rows.getString(2), fake -> new ArrayList<>()).add(rows.getString(1));
                }
            }
        }
        catch (SQLException e) {
            throw failed("check the fakes", e);
        }
        List<String> repeating = new ArrayList<>();
        for (List<String> sharing : originalsByFake.values()) {
            for (String original : sharing) {
                if (drawnAgain.contains(original) && sharing.stream()
                        .anyMatch(other -> !other.equals(original) && (!drawnAgain.contains(other) || other.compareTo(original) < 0))) {
                    repeating.add(original);
                }
            }
        }
        return repeating;
    }

    /** The number a query of one row and one column returns. */
    protected final long queryLong(String sql)
    {
        try (Statement statement = connection.createStatement(); ResultSet rows = statement.executeQuery(sql)) {
            rows.next();
            return rows.getLong(1);
        }
        catch (SQLException e) {
            throw failed("run " + abbreviate(sql), e);
        }
    }

    protected final void execute(String sql)
    {
        execute(connection, sql);
    }

    protected static void execute(Connection connection, String sql)
    {
        try (Statement statement = connection.createStatement()) {
            statement.execute(sql);
        }
        catch (SQLException e) {
            throw failed("run " + abbreviate(sql), e);
        }
    }

    /** Runs a statement that changes rows; returns how many. */
    protected final long update(String sql)
    {
        try (Statement statement = connection.createStatement()) {
            return statement.executeLargeUpdate(sql);
        }
        catch (SQLException e) {
            throw failed("run " + abbreviate(sql), e);
        }
    }

    /**
     * Ends a transaction the other connection may have left open ({@link #holdSnapshot}: its locks on the work tables
     * would keep them from being dropped), runs {@link #dropWorkTables} and closes both connections, even if dropping
     * fails.
     */
    @Override
    public final void close()
    {
        try {
            if (!otherConnection.getAutoCommit()) {
                otherConnection.rollback();
            }
        }
        catch (SQLException e) {
            // closing the connection ends its transaction too
            try {
                otherConnection.close();
            }
            catch (SQLException closing) {
                // the server stops next anyway
            }
        }
        try {
            dropWorkTables();
        }
        finally {
            try {
                connection.close();
                otherConnection.close();
            }
            catch (SQLException e) {
                // the server stops next anyway
            }
        }
    }

    /** Drops the work tables and restores what the constructor changed in the session. */
    protected abstract void dropWorkTables();

    /** The condition that a child row ({@code c}) and a parent row ({@code p}) have the same key. */
    protected static String sameKey(ForeignKey foreignKey, UnaryOperator<String> quote)
    {
        StringBuilder sql = new StringBuilder();
        for (int index = 0; index < foreignKey.childColumns().size(); index++) {
            if (index > 0) {
                sql.append(" AND ");
            }
            sql.append("p.").append(quote.apply(foreignKey.parentColumns().get(index))).append(" = c.").append(quote.apply(foreignKey.childColumns().get(index)));
        }
        return sql.toString();
    }

    protected static DollyException failed(String what, SQLException e)
    {
        return DollyException.badInput("The transform could not " + what + ": " + e.getMessage());
    }

    private static String abbreviate(String sql)
    {
        return sql.length() > MAX_STATEMENT_IN_MESSAGE ? sql.substring(0, MAX_STATEMENT_IN_MESSAGE) + "…" : sql;
    }
}
