package dev.dolly.core.transform;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.BiPredicate;
import java.util.function.UnaryOperator;

/**
 * The engine-specific part of the transform stage, one implementation per engine: the SQL dialect for reading the
 * schema from the catalogs, removing rows set-based, loading a mapping of originals to fakes, and updating a table from
 * it in one statement. The subset and masking logic ({@link ImageTransform}) is shared.
 *
 * <p>Work tables (the rows to remove, the mappings) live in the database until
 * {@link #close}, which drops them.
 */
public interface TransformDatabase
        extends AutoCloseable, Cascade.Orphans
{
    /** The user tables, with their columns. */
    List<Table> tables();

    /** Every foreign key between user tables. */
    List<ForeignKey> foreignKeys();

    /**
     * Whether the foreign key's constraint is added after the transform and checks every row as it is (a backup
     * restored without its indexes and constraints, the constraint not {@code NOT VALID}), so that the transform need
     * not count its orphans itself.
     */
    default boolean checkedWhenAdded(ForeignKey foreignKey)
    {
        return false;
    }

    long countRows(Table table);

    /**
     * Records the rows that do not meet the condition (false or unknown), before anything is removed, so that every
     * condition sees the data as it was restored.
     */
    void markRowsToRemove(Table table, String condition);

    /** Removes the rows {@link #markRowsToRemove} recorded; returns how many. */
    long removeMarkedRows(Table table);

    /** Removes every row of the table. */
    long removeAllRows(Table table);

    /** Up to {@code limit} non-null values of a column, for telling whether it looks personal. */
    List<String> sampleValues(Table table, Column column, int limit);

    /**
     * Creates mapping {@code mapping} from the distinct non-null values of the columns (as text) to their fakes: the
     * originals are streamed out, {@code fakes} turns each batch of originals into fakes (same order), and the pairs
     * are loaded back in bulk. Returns how many distinct originals there are.
     */
    long createMapping(int mapping, List<ColumnReference> columns, UnaryOperator<List<String>> fakes);

    /**
     * Gathers the planner's statistics of these columns before they are read: a restore leaves none. Only these: the
     * statistics of a foreign key's column made PostgreSQL scan the 1 GB benchmark's events through an index in the
     * cascade, 3 s slower than without them. Nothing by default (MariaDB's InnoDB keeps statistics of its own).
     */
    default void analyze(List<ColumnReference> columns) {}

    /**
     * Streams the non-null values of the columns, as text, each at least once: distinct, as {@link #createMapping} reads
     * them, except that an engine may send a column whose values are mostly distinct as it is, repeats and all, where
     * making them distinct costs more than reading them. It runs on a connection of its own: one other method may run
     * at the same time, from another thread.
     */
    void readOriginals(List<ColumnReference> columns, Consumer<String> original);

    /**
     * Has the other connection see the rows as they are now, until {@link #releaseSnapshot}, while this connection
     * removes some: {@link #readOriginals} then reads in that snapshot, at the same time as the removal. Returns whether the engine can; by default it cannot, and the originals
     * are read before anything is removed.
     */
    default boolean holdSnapshot()
    {
        return false;
    }

    /** Ends what {@link #holdSnapshot} began. */
    default void releaseSnapshot() {}

    /**
     * Up to {@code limit} originals of a unique column's mapping whose fake must be drawn again: another original that
     * comes first (in an order the engine fixes, whatever the column's collation) has the same fake.
     */
    List<String> originalsToRedraw(int mapping, int limit);

    /**
     * Of these originals of a unique column's mapping (whose fakes were just drawn again), those whose fake another
     * original has that is not among them or comes first. An engine may look at the whole mapping instead, as
     * {@link #originalsToRedraw} does.
     */
    List<String> originalsToRedrawAmong(int mapping, List<String> originals);

    /** Sets new fakes for some originals of a mapping. */
    void replaceFakes(int mapping, Map<String, String> fakes);

    /** Whether two originals of a mapping have the same fake. */
    boolean hasRepeatedFakes(int mapping);

    /** Masks a table in one statement: each column gets the fake of its mapping, or NULL when it maps to none. */
    void applyMasks(Table table, Map<Column, Optional<Integer>> mappings);

    /** Whether {@link #compact} rewrites anything: not by default. */
    default boolean compacts()
    {
        return false;
    }

    /**
     * Rewrites the tables the subset and the masking left mostly dead rows in, so that they take only the room of the
     * rows they keep, and the checks and the seal read no more than that. Nothing by default.
     */
    default void compact() {}

    /**
     * Whether a non-null value of one of the columns, as text, meets {@code test}, which is given its column: the rows
     * are streamed out, every column at once (one scan of the table, where a scan per column read the 1 GB benchmark's
     * largest table three times), and the stream stops soon after the first value that does. The test may be called from
     * several threads at once. It runs on a connection of its own: one other method may run at the same time, from
     * another thread.
     */
    boolean anyValue(Table table, List<Column> columns, BiPredicate<Column, String> test);

    /** Drops the work tables. */
    @Override
    void close();

    record Table(String schema, String name, String displayName, List<Column> columns)
    {
        public Table
        {
            columns = List.copyOf(columns);
        }

        public Optional<Column> column(String columnName)
        {
            return columns.stream().filter(column -> column.name().equals(columnName)).findFirst()
                    .or(() -> columns.stream().filter(column -> column.name().equalsIgnoreCase(columnName)).findFirst());
        }
    }

    /**
     * @param type the column's type as the engine writes it, for casting a fake back
     * @param maxLength the most characters the column holds, 0 for no limit
     * @param textual whether it holds text (where the leak check searches)
     * @param unique whether a unique constraint or index is on this column alone
     */
    record Column(String name, String type, boolean nullable, int maxLength, boolean textual, boolean unique) {}

    record ColumnReference(Table table, Column column) {}

    /**
     * @param name the constraint's name
     * @param nullable whether every referencing column may be NULL, so that a reference to a removed row can be cleared
     */
    record ForeignKey(String name, Table child, List<String> childColumns, Table parent, List<String> parentColumns, boolean nullable)
    {
        public ForeignKey
        {
            childColumns = List.copyOf(childColumns);
            parentColumns = List.copyOf(parentColumns);
        }

        public String describe()
        {
            return child.displayName() + "(" + String.join(", ", childColumns) + ") → " + parent.displayName() + "(" + String.join(", ", parentColumns) + ")";
        }
    }
}
