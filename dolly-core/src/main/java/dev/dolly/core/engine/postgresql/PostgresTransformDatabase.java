package dev.dolly.core.engine.postgresql;

import dev.dolly.core.transform.JdbcTransformDatabase;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyIn;
import org.postgresql.copy.CopyOut;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.function.Consumer;
import java.util.function.BiPredicate;
import java.util.function.UnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * The transform stage's statements for PostgreSQL. The subset and the masking run with
 * {@code session_replication_role = replica}, so that the foreign keys (which stay in place) do not refuse the
 * intermediate states; the shared logic checks every one of them afterwards. The originals are read in a snapshot on the
 * second connection while the first removes rows. Mappings are filled with COPY out of the distinct originals and COPY
 * in of the pairs, over the two connections, in batches (the second also streams out what the leak check reads, while
 * the first runs its own statements); a table is masked by one UPDATE … FROM that joins it with its columns' mappings
 * (hash joins, with {@value #WORK_MEMORY} of work memory). Work tables live in the schema {@code dolly_transform},
 * dropped at the end.
 *
 * <p>A database restored without its indexes and constraints ({@code DeferredIndexes}) has its tables' keys read from
 * the schema database, over a third connection; its foreign keys are checked when their constraints are added, but
 * for those dumped {@code NOT VALID}.
 */
final class PostgresTransformDatabase
        extends JdbcTransformDatabase
{
    private static final String WORK_SCHEMA = "dolly_transform";
    private static final int BATCH = 20_000;
    /** The transform session's work_mem: room for a mapping's hash table, so that joining it spills less to disk. */
    private static final String WORK_MEMORY = "64MB";
    private static final Set<String> TEXT_TYPES = Set.of("text", "varchar", "bpchar", "citext", "name");
    private static final Pattern SUBPLAN_REFERENCE = Pattern.compile("(hashed )?SubPlan \\d+");

    /** Whether the server has {@code pg_stat_force_next_flush} (PostgreSQL 15 and later). */
    private final boolean flushesStatistics;
    /** The share of a column's non-null values that are distinct from which {@link #readOriginals} reads them as they are. */
    private static final double MOSTLY_DISTINCT = 0.5;
    /** The columns whose values are mostly distinct, as {@link #analyze} found them. */
    private final Set<ColumnReference> mostlyDistinct = ConcurrentHashMap.newKeySet();
    /** The foreign keys {@link #foreignKeys} read whose rows are checked when their constraint is added (not {@code NOT VALID}). */
    private final Set<ForeignKey> validated = ConcurrentHashMap.newKeySet();
    /** A connection to the schema database of a restore whose indexes and constraints come after the transform. */
    private final Optional<Connection> schemaConnection;

    PostgresTransformDatabase(Connection connection, Connection otherConnection, Optional<Connection> schemaConnection)
    {
        super(connection, otherConnection);
        this.schemaConnection = schemaConnection;
        try {
            int majorVersion = connection.getMetaData().getDatabaseMajorVersion();
            flushesStatistics = majorVersion >= 15;
        }
        catch (SQLException e) {
            throw failed("read the server's version", e);
        }
        execute("DROP SCHEMA IF EXISTS " + WORK_SCHEMA + " CASCADE");
        execute("CREATE SCHEMA " + WORK_SCHEMA);
        execute("SET session_replication_role = replica");
        // on both: the other connection makes the originals distinct
        for (Connection session : List.of(connection, otherConnection)) {
            execute(session, "SET work_mem = '" + WORK_MEMORY + "'");
        }
    }

    @Override
    protected List<Table> readTables()
    {
        Map<Long, List<Column>> columns = new LinkedHashMap<>();
        Map<Long, String[]> names = new LinkedHashMap<>();
        String sql = """
                SELECT c.oid, n.nspname, c.relname, a.attname, format_type(a.atttypid, a.atttypmod), NOT a.attnotnull, t.typname,
                       CASE WHEN t.typname IN ('varchar', 'bpchar') AND a.atttypmod > 4 THEN a.atttypmod - 4 ELSE 0 END,
                       EXISTS (SELECT 1 FROM pg_index i WHERE i.indrelid = c.oid AND i.indisunique AND i.indnatts = 1 AND i.indkey[0] = a.attnum)
                FROM pg_class c
                JOIN pg_namespace n ON n.oid = c.relnamespace
                JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
                JOIN pg_type t ON t.oid = a.atttypid
                WHERE c.relkind = 'r' AND NOT c.relispartition
                  AND n.nspname NOT IN ('pg_catalog', 'information_schema', 'dolly_transform') AND n.nspname NOT LIKE 'pg\\_%'
                ORDER BY n.nspname, c.relname, a.attnum""";
        try (Statement statement = catalog().createStatement(); ResultSet rows = statement.executeQuery(sql)) {
            while (rows.next()) {
                long oid = rows.getLong(1);
                names.putIfAbsent(oid, new String[] {rows.getString(2), rows.getString(3)});
                columns.computeIfAbsent(oid, key -> new ArrayList<>()).add(new Column(rows.getString(4), rows.getString(5), rows.getBoolean(6), rows.getInt(8),
                        TEXT_TYPES.contains(rows.getString(7)), rows.getBoolean(9)));
            }
        }
        catch (SQLException e) {
            throw failed("read the tables", e);
        }
        List<Table> result = new ArrayList<>();
        columns.forEach((oid, tableColumns) -> {
            String[] name = names.get(oid);
            result.add(new Table(name[0], name[1], name[0].equals("public") ? name[1] : name[0] + "." + name[1], tableColumns));
        });
        return result;
    }

    @Override
    public List<ForeignKey> foreignKeys()
    {
        List<Table> known = knownTables();
        String sql = """
                SELECT con.conname, cn.nspname, c.relname, pn.nspname, p.relname,
                       ARRAY(SELECT a.attname FROM unnest(con.conkey) WITH ORDINALITY k(attnum, position)
                             JOIN pg_attribute a ON a.attrelid = con.conrelid AND a.attnum = k.attnum ORDER BY k.position),
                       ARRAY(SELECT a.attname FROM unnest(con.confkey) WITH ORDINALITY k(attnum, position)
                             JOIN pg_attribute a ON a.attrelid = con.confrelid AND a.attnum = k.attnum ORDER BY k.position),
                       NOT EXISTS (SELECT 1 FROM unnest(con.conkey) k(attnum) JOIN pg_attribute a ON a.attrelid = con.conrelid AND a.attnum = k.attnum
                                   WHERE a.attnotnull),
                       con.convalidated
                FROM pg_constraint con
                JOIN pg_class c ON c.oid = con.conrelid JOIN pg_namespace cn ON cn.oid = c.relnamespace
                JOIN pg_class p ON p.oid = con.confrelid JOIN pg_namespace pn ON pn.oid = p.relnamespace
                WHERE con.contype = 'f'
                ORDER BY cn.nspname, c.relname, con.conname""";
        List<ForeignKey> result = new ArrayList<>();
        try (Statement statement = catalog().createStatement(); ResultSet rows = statement.executeQuery(sql)) {
            while (rows.next()) {
                Optional<Table> child = find(known, rows.getString(2), rows.getString(3));
                Optional<Table> parent = find(known, rows.getString(4), rows.getString(5));
                if (child.isPresent() && parent.isPresent()) {
                    ForeignKey foreignKey = new ForeignKey(rows.getString(1), child.get(), Arrays.asList((String[]) rows.getArray(6).getArray()), parent.get(),
                            Arrays.asList((String[]) rows.getArray(7).getArray()), rows.getBoolean(8));
                    result.add(foreignKey);
                    if (rows.getBoolean(9)) {
                        validated.add(foreignKey);
                    }
                }
            }
        }
        catch (SQLException e) {
            throw failed("read the foreign keys", e);
        }
        return result;
    }

    /** Where the tables, their unique columns and foreign keys are read: the schema database, when there is one. */
    private Connection catalog()
    {
        return schemaConnection.orElse(connection());
    }

    /** A {@code NOT VALID} constraint is added as it was dumped, without checking the rows: its orphans are counted. */
    @Override
    public boolean checkedWhenAdded(ForeignKey foreignKey)
    {
        return schemaConnection.isPresent() && validated.contains(foreignKey);
    }

    private static Optional<Table> find(List<Table> tables, String schema, String name)
    {
        return tables.stream().filter(table -> table.schema().equals(schema) && table.name().equals(name)).findFirst();
    }

    @Override
    public long countRows(Table table)
    {
        return queryLong("SELECT count(*) FROM " + name(table));
    }

    @Override
    protected String markRowsToRemoveStatement(Table table, String condition)
    {
        return "CREATE UNLOGGED TABLE " + marks(table) + " AS SELECT ctid AS row_id FROM " + name(table) + " WHERE (" + condition + ") IS NOT TRUE";
    }

    @Override
    public long removeMarkedRows(Table table)
    {
        return update("DELETE FROM " + name(table) + " WHERE ctid = ANY (ARRAY(SELECT row_id FROM " + marks(table) + "))");
    }

    private static String marks(Table table)
    {
        return WORK_SCHEMA + "." + quote("remove_" + table.schema() + "_" + table.name());
    }

    @Override
    public long removeAllRows(Table table)
    {
        return update("DELETE FROM " + name(table));
    }

    @Override
    public long removeOrphans(ForeignKey foreignKey)
    {
        return update("DELETE FROM " + name(foreignKey.child()) + " c WHERE " + orphan(foreignKey));
    }

    /**
     * One scan of the table for all its foreign keys: each key's {@code NOT EXISTS}, under an {@code OR}, is looked up
     * in its parent's unique index, or in a hash of its parent's keys. The 1 GB benchmark's events, which reference both
     * customers and orders, took 2.0 and 2.4 s with a statement per key. Without the parents' indexes (restored after
     * the transform) only the hash will do: a key the planner would look up by scanning its parent for every row
     * (its keys too many for the work memory's hash) gets a statement of its own, which PostgreSQL runs as an anti-join.
     */
    @Override
    public long removeOrphans(List<ForeignKey> foreignKeys)
    {
        String statement = "DELETE FROM " + name(foreignKeys.getFirst().child()) + " c WHERE " + foreignKeys.stream().map(foreignKey -> "(" + orphan(foreignKey) + ")")
                .collect(Collectors.joining(" OR "));
        if (foreignKeys.size() > 1 && schemaConnection.isPresent() && !everySubPlanHashed(statement, foreignKeys.getFirst().child().displayName())) {
            long removed = 0;
            for (ForeignKey foreignKey : foreignKeys) {
                removed += removeOrphans(foreignKey);
            }
            return removed;
        }
        return update(statement);
    }

    private boolean everySubPlanHashed(String statement, String foreignKeysChild)
    {
        return everySubPlanHashed(queryStrings("EXPLAIN " + statement, "plan the removal of the rows of " + foreignKeysChild + " whose parents are gone"));
    }

    /**
     * Whether a plan, as {@code EXPLAIN} writes it, looks each of its subqueries up in a hash: a line that refers to a
     * subplan ({@code (hashed SubPlan 2)}, {@code (SubPlan 3)}), other than a subplan's own heading, says which.
     */
    static boolean everySubPlanHashed(List<String> plan)
    {
        for (String line : plan) {
            if (line.strip().startsWith("SubPlan")) {
                continue;
            }
            Matcher reference = SUBPLAN_REFERENCE.matcher(line);
            while (reference.find()) {
                if (reference.group(1) == null) {
                    return false;
                }
            }
        }
        return true;
    }

    @Override
    public long clearOrphans(ForeignKey foreignKey)
    {
        return update("UPDATE " + name(foreignKey.child()) + " c SET " + foreignKey.childColumns().stream().map(column -> quote(column) + " = NULL")
                .collect(Collectors.joining(", ")) + " WHERE " + orphan(foreignKey));
    }

    @Override
    public long countOrphans(ForeignKey foreignKey)
    {
        return queryLong("SELECT count(*) FROM " + name(foreignKey.child()) + " c WHERE " + orphan(foreignKey));
    }

    /** A row whose key is complete (MATCH SIMPLE: no NULL in it) and points at no row. */
    private static String orphan(ForeignKey foreignKey)
    {
        return foreignKey.childColumns().stream().map(column -> "c." + quote(column) + " IS NOT NULL AND ").collect(Collectors.joining())
                + "NOT EXISTS (SELECT 1 FROM " + name(foreignKey.parent()) + " p WHERE " + sameKey(foreignKey, PostgresTransformDatabase::quote) + ")";
    }

    @Override
    public List<String> sampleValues(Table table, Column column, int limit)
    {
        return queryStrings("SELECT " + quote(column.name()) + "::text FROM " + name(table) + " WHERE " + quote(column.name()) + " IS NOT NULL LIMIT " + limit,
                "read " + table.displayName() + "." + column.name());
    }

    @Override
    public long createMapping(int mapping, List<ColumnReference> columns, UnaryOperator<List<String>> fakes)
    {
        // keyed once loaded, if at all: one sort builds the index, where inserting into it took a lookup per original
        execute("CREATE UNLOGGED TABLE " + mapping(mapping) + " (original text NOT NULL, fake text)");
        long count;
        try {
            CopyOut out = connection().unwrap(PGConnection.class).getCopyAPI().copyOut("COPY (" + distinct(columns) + ") TO STDOUT");
            CopyIn in = otherConnection().unwrap(PGConnection.class).getCopyAPI().copyIn("COPY " + mapping(mapping) + " (original, fake) FROM STDIN");
            try {
                count = fillInBatches(() -> nextValue(out), BATCH, fakes, (originals, batchFakes) -> write(in, originals, batchFakes));
                in.endCopy();
            }
            finally {
                if (out.isActive()) {
                    out.cancelCopy();
                }
                if (in.isActive()) {
                    in.cancelCopy();
                }
            }
        }
        catch (SQLException e) {
            throw failed("compute the fakes", e);
        }
        if (columns.stream().anyMatch(reference -> reference.column().unique())) {
            // a unique column's fakes are drawn again by original; the masking itself joins by hash and needs no index
            execute("ALTER TABLE " + mapping(mapping) + " ADD PRIMARY KEY (original)");
        }
        execute("ANALYZE " + mapping(mapping));
        return count;
    }

    /** The distinct non-null values of the columns, as text, told apart by their bytes (collation "C"). */
    private static String distinct(List<ColumnReference> columns)
    {
        return columns.stream()
                .map(reference -> "SELECT DISTINCT " + quote(reference.column().name()) + "::text COLLATE \"C\" FROM " + name(reference.table()) + " WHERE " + quote(reference.column().name()) + " IS NOT NULL")
                .collect(Collectors.joining(" UNION "));
    }

    /**
     * {@code ANALYZE} of the masked columns: without statistics the planner took the 2 million distinct IP addresses of
     * the 1 GB benchmark for 200 and sorted them after hashing them (4.2 s, against 2.7 s). The statistics then tell
     * which columns hold mostly distinct values ({@link #readOriginals}).
     */
    @Override
    public void analyze(List<ColumnReference> columns)
    {
        Map<Table, List<String>> byTable = new LinkedHashMap<>();
        columns.forEach(reference -> byTable.computeIfAbsent(reference.table(), table -> new ArrayList<>()).add(quote(reference.column().name())));
        byTable.forEach((table, names) -> execute("ANALYZE " + name(table) + " (" + String.join(", ", names) + ")"));
        String sql = """
                SELECT CASE WHEN s.n_distinct < 0 THEN -s.n_distinct ELSE s.n_distinct / greatest(c.reltuples, 1) END / greatest(1 - s.null_frac, 0.001)
                FROM pg_stats s JOIN pg_namespace n ON n.nspname = s.schemaname JOIN pg_class c ON c.relnamespace = n.oid AND c.relname = s.tablename
                WHERE s.schemaname = ? AND s.tablename = ? AND s.attname = ?""";
        try (PreparedStatement statement = connection().prepareStatement(sql)) {
            for (ColumnReference reference : columns) {
                statement.setString(1, reference.table().schema());
                statement.setString(2, reference.table().name());
                statement.setString(3, reference.column().name());
                try (ResultSet rows = statement.executeQuery()) {
                    if (rows.next() && rows.getDouble(1) >= MOSTLY_DISTINCT) {
                        mostlyDistinct.add(reference);
                    }
                }
            }
        }
        catch (SQLException e) {
            throw failed("read the statistics of the masked columns", e);
        }
    }

    /**
     * The values of the columns, a column that holds mostly distinct values ({@link #analyze}) as it is, the others
     * distinct: making 2.1 million IP addresses that all differ distinct took 2.3–3.8 s, reading them as they are
     * 0.7 s (1 GB benchmark, PostgreSQL 15); repeats cost the daemon a lookup each.
     */
    @Override
    public void readOriginals(List<ColumnReference> columns, Consumer<String> original)
    {
        String values = columns.stream()
                .map(reference -> "SELECT " + (mostlyDistinct.contains(reference) ? "" : "DISTINCT ") + quote(reference.column().name()) + "::text COLLATE \"C\" FROM "
                        + name(reference.table()) + " WHERE " + quote(reference.column().name()) + " IS NOT NULL")
                .collect(Collectors.joining(" UNION ALL "));
        try {
            CopyOut out = otherConnection().unwrap(PGConnection.class).getCopyAPI().copyOut("COPY (" + values + ") TO STDOUT");
            try {
                String value;
                while ((value = nextValue(out)) != null) {
                    original.accept(value);
                }
            }
            finally {
                if (out.isActive()) {
                    out.cancelCopy();
                }
            }
        }
        catch (SQLException e) {
            throw failed("read the originals", e);
        }
    }

    /** The next value of a one-column {@code COPY … TO STDOUT}, {@code null} after the last. */
    private static String nextValue(CopyOut out)
            throws SQLException
    {
        byte[] line = out.readFromCopy();
        return line == null ? null : CopyText.unescape(new String(line, 0, line.length - 1, StandardCharsets.UTF_8));
    }

    private static void write(CopyIn in, List<String> originals, List<String> fakes)
            throws SQLException
    {
        StringBuilder text = new StringBuilder();
        for (int index = 0; index < originals.size(); index++) {
            text.append(CopyText.escape(originals.get(index))).append('\t').append(CopyText.escape(fakes.get(index))).append('\n');
        }
        byte[] bytes = text.toString().getBytes(StandardCharsets.UTF_8);
        in.writeToCopy(bytes, 0, bytes.length);
    }

    /**
     * A repeatable-read transaction on the other connection, its snapshot taken by a first statement before this
     * returns: the deletes this connection runs next do not change what it reads, and reading locks no row. The
     * originals are read in the time of the removal instead of before it.
     */
    @Override
    public boolean holdSnapshot()
    {
        try {
            otherConnection().setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ);
            otherConnection().setAutoCommit(false);
        }
        catch (SQLException e) {
            throw failed("take a snapshot of the originals", e);
        }
        execute(otherConnection(), "SELECT 1");
        return true;
    }

    @Override
    public void releaseSnapshot()
    {
        try {
            otherConnection().commit();
            otherConnection().setAutoCommit(true);
            otherConnection().setTransactionIsolation(Connection.TRANSACTION_READ_COMMITTED);
        }
        catch (SQLException e) {
            throw failed("read the originals as they were", e);
        }
    }

    @Override
    public List<String> originalsToRedraw(int mapping, int limit)
    {
        return queryStrings("SELECT original FROM (SELECT original, row_number() OVER (PARTITION BY fake ORDER BY original COLLATE \"C\") AS position FROM "
                + mapping(mapping) + ") r WHERE r.position > 1 LIMIT " + limit, "check the fakes");
    }

    /**
     * The originals that share a fake with these (their fakes found through the key, then one hash join with the
     * mapping), compared here, where a window over the whole mapping each round took most of the emails' 5.3 s at 1 GB.
     */
    @Override
    public List<String> originalsToRedrawAmong(int mapping, List<String> originals)
    {
        Parameters drawn = statement -> statement.setArray(1, connection().createArrayOf("text", originals.toArray()));
        return repeatingAmong(originals, "SELECT original, fake FROM " + mapping(mapping) + " WHERE fake IN (SELECT fake FROM " + mapping(mapping)
                + " WHERE original = ANY (?))", drawn);
    }

    @Override
    public void replaceFakes(int mapping, Map<String, String> fakes)
    {
        replaceFakes("UPDATE " + mapping(mapping) + " SET fake = ? WHERE original = ?", fakes);
    }

    @Override
    public boolean hasRepeatedFakes(int mapping)
    {
        return queryLong("SELECT count(*) FROM (SELECT fake FROM " + mapping(mapping) + " GROUP BY fake HAVING count(*) > 1) repeated") > 0;
    }

    /**
     * One UPDATE … FROM per table, all its masked columns in one pass, the fakes found by hash joins with the mappings
     * rather than a lookup per row and column. When every mapped column is NOT NULL each row has its originals in the
     * mappings, and the table joins them directly, as it does when only one column is masked (a row whose value is NULL
     * has nothing to change); otherwise (a NULL original must not keep a row's other columns from changing) a scan of
     * the table joins them with LEFT JOINs and the update finds its rows by {@code ctid}.
     */
    @Override
    public void applyMasks(Table table, Map<Column, Optional<Integer>> mappings)
    {
        List<String> assignments = new ArrayList<>();
        List<String> joins = new ArrayList<>();
        List<String> conditions = new ArrayList<>();
        boolean direct = mappings.size() == 1 || mappings.entrySet().stream().allMatch(entry -> entry.getValue().isEmpty() || !entry.getKey().nullable());
        int index = 0;
        for (Map.Entry<Column, Optional<Integer>> entry : mappings.entrySet()) {
            Column column = entry.getKey();
            if (entry.getValue().isEmpty()) {
                assignments.add(quote(column.name()) + " = NULL");
                continue;
            }
            index++;
            String alias = "m" + index;
            if (direct) {
                assignments.add(quote(column.name()) + " = " + alias + ".fake::" + column.type());
                joins.add(mapping(entry.getValue().get()) + " " + alias);
                conditions.add(alias + ".original = t." + quote(column.name()) + "::text");
            }
            else {
                assignments.add(quote(column.name()) + " = f.fake_" + index + "::" + column.type());
                joins.add(alias + ".fake AS fake_" + index);
                conditions.add(String.format(" LEFT JOIN %s %s ON %2$s.original = r.%s::text", mapping(entry.getValue().get()), alias, quote(column.name())));
            }
        }
        String update = "UPDATE " + name(table) + " t SET " + String.join(", ", assignments);
        if (joins.isEmpty()) {
            update(update);
        }
        else if (direct) {
            update(update + " FROM " + String.join(", ", joins) + " WHERE " + String.join(" AND ", conditions));
        }
        else {
            update(update + " FROM (SELECT r.ctid AS row_id, " + String.join(", ", joins) + " FROM " + name(table) + " r" + String.join("", conditions) + ") f"
                    + " WHERE t.ctid = f.row_id");
        }
    }

    @Override
    public boolean anyValue(Table table, List<Column> columns, BiPredicate<Column, String> test)
    {
        String values = "SELECT " + columns.stream().map(column -> quote(column.name()) + "::text").collect(Collectors.joining(", ")) + " FROM " + name(table)
                + " WHERE " + columns.stream().map(column -> quote(column.name()) + " IS NOT NULL").collect(Collectors.joining(" OR "));
        try {
            CopyOut out = otherConnection().unwrap(PGConnection.class).getCopyAPI().copyOut("COPY (" + values + ") TO STDOUT");
            try {
                return anyInBatches(() -> {
                    byte[] line = out.readFromCopy();
                    return line == null ? null : CopyText.fields(new String(line, 0, line.length - 1, StandardCharsets.UTF_8), columns.size());
                }, columns, test);
            }
            finally {
                if (out.isActive()) {
                    out.cancelCopy();
                }
            }
        }
        catch (SQLException e) {
            throw failed("read " + table.displayName(), e);
        }
    }

    @Override
    public boolean compacts()
    {
        return true;
    }

    /**
     * {@code VACUUM (FULL, FREEZE, ANALYZE)} of every user table with mostly dead rows by the statistics
     * ({@link PostgresEngine#MOSTLY_DEAD_ROWS}, the seal's criterion, which then finds nothing left to compact: the
     * analysis counts no dead rows), the largest first, on both connections. Before PostgreSQL 15 the statistics of the
     * last half second may not be counted yet, and the seal compacts what this leaves.
     */
    @Override
    public void compact()
    {
        if (flushesStatistics) {
            execute("SELECT pg_stat_force_next_flush()");
        }
        List<Table> known = knownTables();
        List<Table> shrunk = new ArrayList<>();
        try (Statement statement = connection().createStatement(); ResultSet rows = statement.executeQuery("""
                SELECT n.nspname, c.relname
                FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
                WHERE c.relkind = 'r' AND c.relpersistence = 'p' AND n.nspname NOT IN ('pg_catalog', 'information_schema', 'dolly_transform')
                  AND n.nspname NOT LIKE 'pg\\_%%' AND %s
                ORDER BY pg_relation_size(c.oid) DESC""".formatted(PostgresEngine.MOSTLY_DEAD_ROWS))) {
            while (rows.next()) {
                find(known, rows.getString(1), rows.getString(2)).ifPresent(shrunk::add);
            }
        }
        catch (SQLException e) {
            throw failed("find the tables to compact", e);
        }
        // each connection takes the next table when it is done with its last
        Queue<Table> queue = new ConcurrentLinkedQueue<>(shrunk);
        onBothConnections(session -> vacuumFull(session, queue));
    }

    private static void vacuumFull(Connection session, Queue<Table> tables)
    {
        Table table;
        while ((table = tables.poll()) != null) {
            execute(session, "VACUUM (FULL, FREEZE, ANALYZE) " + name(table));
        }
    }

    @Override
    protected void dropWorkTables()
    {
        try {
            execute("SET session_replication_role = DEFAULT");
            execute("RESET work_mem");
            if (flushesStatistics) {
                // the counts of the rows this connection removed and changed reach the statistics before the seal reads them
                // there, to compact the tables they shrank (earlier versions send them within half a second)
                execute("SELECT pg_stat_force_next_flush()");
            }
            execute("DROP SCHEMA IF EXISTS " + WORK_SCHEMA + " CASCADE");
        }
        finally {
            if (schemaConnection.isPresent()) {
                try {
                    schemaConnection.get().close();
                }
                catch (SQLException e) {
                    // its database is dropped next, which ends the session anyway
                }
            }
        }
    }

    private static String mapping(int mapping)
    {
        return WORK_SCHEMA + ".mapping_" + mapping;
    }

    private static String name(Table table)
    {
        return quote(table.schema()) + "." + quote(table.name());
    }

    static String quote(String identifier)
    {
        return "\"" + identifier.replace("\"", "\"\"") + "\"";
    }
}
