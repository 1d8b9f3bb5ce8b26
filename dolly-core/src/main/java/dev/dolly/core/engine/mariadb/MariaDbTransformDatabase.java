package dev.dolly.core.engine.mariadb;

import dev.dolly.api.DollyException;
import dev.dolly.core.transform.JdbcTransformDatabase;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.BiPredicate;
import java.util.function.UnaryOperator;
import java.util.stream.Collectors;

/**
 * The transform stage's statements for MariaDB (and MySQL). The subset runs with {@code foreign_key_checks = 0}; the
 * shared logic checks every foreign key afterwards. The rows a condition removes are recorded by primary key. Mappings
 * are keyed by the MD5 of the original (texts of any length), filled by streaming the distinct originals out (compared
 * byte for byte, whatever the column's collation) and inserting the pairs in batches over a second connection; a table
 * is masked by one multi-table UPDATE joining its mappings. Work tables live in the database {@code dolly_transform},
 * dropped at the end.
 */
final class MariaDbTransformDatabase
        extends JdbcTransformDatabase
{
    private static final String WORK = "`dolly_transform`";
    private static final int BATCH = 5_000;
    private static final Set<String> TEXT_TYPES = Set.of("char", "varchar", "text", "tinytext", "mediumtext", "longtext");

    MariaDbTransformDatabase(Connection connection, Connection otherConnection)
    {
        super(connection, otherConnection);
        execute("SET SESSION foreign_key_checks = 0");
        execute(otherConnection, "SET SESSION foreign_key_checks = 0");
        execute("DROP DATABASE IF EXISTS " + WORK);
        execute("CREATE DATABASE " + WORK + " CHARACTER SET utf8mb4 COLLATE utf8mb4_bin");
    }

    @Override
    protected List<Table> readTables()
    {
        String sql = """
                SELECT c.TABLE_SCHEMA, c.TABLE_NAME, c.COLUMN_NAME, c.COLUMN_TYPE, c.IS_NULLABLE = 'YES', c.DATA_TYPE, COALESCE(c.CHARACTER_MAXIMUM_LENGTH, 0),
                       EXISTS (SELECT 1 FROM information_schema.STATISTICS s WHERE s.TABLE_SCHEMA = c.TABLE_SCHEMA AND s.TABLE_NAME = c.TABLE_NAME
                               AND s.COLUMN_NAME = c.COLUMN_NAME AND s.NON_UNIQUE = 0
                               AND (SELECT count(*) FROM information_schema.STATISTICS o WHERE o.TABLE_SCHEMA = s.TABLE_SCHEMA AND o.TABLE_NAME = s.TABLE_NAME
                                    AND o.INDEX_NAME = s.INDEX_NAME) = 1)
                FROM information_schema.COLUMNS c
                JOIN information_schema.TABLES t ON t.TABLE_SCHEMA = c.TABLE_SCHEMA AND t.TABLE_NAME = c.TABLE_NAME AND t.TABLE_TYPE = 'BASE TABLE'
                WHERE c.TABLE_SCHEMA = DATABASE()
                ORDER BY c.TABLE_NAME, c.ORDINAL_POSITION""";
        Map<String, List<Column>> columns = new LinkedHashMap<>();
        String schema = null;
        try (Statement statement = connection().createStatement(); ResultSet rows = statement.executeQuery(sql)) {
            while (rows.next()) {
                schema = rows.getString(1);
                long maxLength = rows.getLong(7);
                boolean textual = TEXT_TYPES.contains(rows.getString(6).toLowerCase(Locale.ROOT));
                columns.computeIfAbsent(rows.getString(2), name -> new ArrayList<>()).add(new Column(rows.getString(3), rows.getString(4), rows.getBoolean(5),
                        textual && maxLength < Integer.MAX_VALUE && rows.getString(6).contains("char") ? (int) maxLength : 0, textual, rows.getBoolean(8)));
            }
        }
        catch (SQLException e) {
            throw failed("read the tables", e);
        }
        List<Table> result = new ArrayList<>();
        String database = schema;
        columns.forEach((name, tableColumns) -> result.add(new Table(database, name, name, tableColumns)));
        return result;
    }

    @Override
    public List<ForeignKey> foreignKeys()
    {
        List<Table> known = knownTables();
        String sql = """
                SELECT k.CONSTRAINT_NAME, k.TABLE_NAME, k.COLUMN_NAME, k.REFERENCED_TABLE_NAME, k.REFERENCED_COLUMN_NAME, c.IS_NULLABLE = 'YES'
                FROM information_schema.KEY_COLUMN_USAGE k
                JOIN information_schema.COLUMNS c ON c.TABLE_SCHEMA = k.TABLE_SCHEMA AND c.TABLE_NAME = k.TABLE_NAME AND c.COLUMN_NAME = k.COLUMN_NAME
                WHERE k.TABLE_SCHEMA = DATABASE() AND k.REFERENCED_TABLE_NAME IS NOT NULL AND k.REFERENCED_TABLE_SCHEMA = k.TABLE_SCHEMA
                ORDER BY k.TABLE_NAME, k.CONSTRAINT_NAME, k.ORDINAL_POSITION""";
        record Key(String child, String name) {}
        Map<Key, List<String[]>> keys = new LinkedHashMap<>();
        try (Statement statement = connection().createStatement(); ResultSet rows = statement.executeQuery(sql)) {
            while (rows.next()) {
                keys.computeIfAbsent(new Key(rows.getString(2), rows.getString(1)), key -> new ArrayList<>())
                        .add(new String[] {rows.getString(3), rows.getString(4), rows.getString(5), String.valueOf(rows.getBoolean(6))});
            }
        }
        catch (SQLException e) {
            throw failed("read the foreign keys", e);
        }
        List<ForeignKey> result = new ArrayList<>();
        keys.forEach((key, columns) -> {
            Optional<Table> child = find(known, key.child());
            Optional<Table> parent = find(known, columns.getFirst()[1]);
            if (child.isPresent() && parent.isPresent()) {
                result.add(new ForeignKey(key.name(), child.get(), columns.stream().map(column -> column[0]).toList(), parent.get(),
                        columns.stream().map(column -> column[2]).toList(), columns.stream().allMatch(column -> column[3].equals("true"))));
            }
        });
        return result;
    }

    private static Optional<Table> find(List<Table> tables, String name)
    {
        return tables.stream().filter(table -> table.name().equals(name)).findFirst();
    }

    @Override
    public long countRows(Table table)
    {
        return queryLong("SELECT count(*) FROM " + quote(table.name()));
    }

    private List<String> primaryKey(Table table)
    {
        List<String> columns = new ArrayList<>();
        try (PreparedStatement statement = connection().prepareStatement("SELECT COLUMN_NAME FROM information_schema.KEY_COLUMN_USAGE WHERE TABLE_SCHEMA = DATABASE() "
                + "AND TABLE_NAME = ? AND CONSTRAINT_NAME = 'PRIMARY' ORDER BY ORDINAL_POSITION")) {
            statement.setString(1, table.name());
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    columns.add(rows.getString(1));
                }
            }
        }
        catch (SQLException e) {
            throw failed("read the primary key of " + table.name(), e);
        }
        if (columns.isEmpty()) {
            throw DollyException.badInput("transform.keep." + table.name() + ": on " + "MariaDB a table with a keep condition needs a primary key, and " + table.name()
                    + " has none. Add one in a post-script, or empty the table instead.");
        }
        return columns;
    }

    private static String marks(Table table)
    {
        return WORK + "." + quote("remove_" + table.name());
    }

    @Override
    protected String markRowsToRemoveStatement(Table table, String condition)
    {
        String key = primaryKey(table).stream().map(MariaDbTransformDatabase::quote).collect(Collectors.joining(", "));
        return "CREATE TABLE " + marks(table) + " AS SELECT " + key + " FROM " + quote(table.name()) + " WHERE (" + condition + ") IS NOT TRUE";
    }

    @Override
    public long removeMarkedRows(Table table)
    {
        String join = primaryKey(table).stream().map(column -> "r." + quote(column) + " = t." + quote(column)).collect(Collectors.joining(" AND "));
        return update("DELETE t FROM " + quote(table.name()) + " t JOIN " + marks(table) + " r ON " + join);
    }

    @Override
    public long removeAllRows(Table table)
    {
        return update("DELETE FROM " + quote(table.name()));
    }

    @Override
    public long removeOrphans(ForeignKey foreignKey)
    {
        return update("DELETE c FROM " + quote(foreignKey.child().name()) + " c " + orphanJoin(foreignKey) + " WHERE " + orphan(foreignKey));
    }

    @Override
    public long clearOrphans(ForeignKey foreignKey)
    {
        return update("UPDATE " + quote(foreignKey.child().name()) + " c " + orphanJoin(foreignKey) + " SET "
                + foreignKey.childColumns().stream().map(column -> "c." + quote(column) + " = NULL").collect(Collectors.joining(", ")) + " WHERE " + orphan(foreignKey));
    }

    @Override
    public long countOrphans(ForeignKey foreignKey)
    {
        return queryLong("SELECT count(*) FROM " + quote(foreignKey.child().name()) + " c " + orphanJoin(foreignKey) + " WHERE " + orphan(foreignKey));
    }

    private static String orphanJoin(ForeignKey foreignKey)
    {
        return "LEFT JOIN " + quote(foreignKey.parent().name()) + " p ON " + sameKey(foreignKey, MariaDbTransformDatabase::quote);
    }

    /** A row whose key is complete (no NULL in it) and finds no parent. */
    private static String orphan(ForeignKey foreignKey)
    {
        return foreignKey.childColumns().stream().map(column -> "c." + quote(column) + " IS NOT NULL").collect(Collectors.joining(" AND "))
                + " AND p." + quote(foreignKey.parentColumns().getFirst()) + " IS NULL";
    }

    @Override
    public List<String> sampleValues(Table table, Column column, int limit)
    {
        return queryStrings("SELECT " + quote(column.name()) + " FROM " + quote(table.name()) + " WHERE " + quote(column.name()) + " IS NOT NULL LIMIT " + limit,
                "read " + table.name() + "." + column.name());
    }

    private static String mapping(int mapping)
    {
        return WORK + ".mapping_" + mapping;
    }

    /** The value as text, compared byte for byte: two originals that differ only in case stay two. */
    private static String asText(String column)
    {
        return "CAST(" + column + " AS CHAR CHARACTER SET utf8mb4) COLLATE utf8mb4_bin";
    }

    @Override
    public long createMapping(int mapping, List<ColumnReference> columns, UnaryOperator<List<String>> fakes)
    {
        execute("CREATE TABLE " + mapping(mapping) + " (digest BINARY(16) PRIMARY KEY, original LONGTEXT NOT NULL, fake LONGTEXT)");
        try (Statement statement = connection().createStatement();
                PreparedStatement insert = otherConnection().prepareStatement("INSERT INTO " + mapping(mapping) + " (digest, original, fake) VALUES (UNHEX(MD5(?)), ?, ?)")) {
            statement.setFetchSize(BATCH);
            try (ResultSet rows = statement.executeQuery(distinct(columns))) {
                return fillInBatches(() -> rows.next() ? rows.getString(1) : null, BATCH, fakes, (originals, batchFakes) -> insert(insert, originals, batchFakes));
            }
        }
        catch (SQLException e) {
            throw failed("compute the fakes", e);
        }
    }

    /** The distinct non-null values of the columns, as text. */
    private static String distinct(List<ColumnReference> columns)
    {
        return columns.stream()
                .map(reference -> "SELECT DISTINCT " + asText(quote(reference.column().name())) + " FROM " + quote(reference.table().name()) + " WHERE "
                        + quote(reference.column().name()) + " IS NOT NULL")
                .collect(Collectors.joining(" UNION "));
    }

    @Override
    public void readOriginals(List<ColumnReference> columns, Consumer<String> original)
    {
        try (Statement statement = otherConnection().createStatement()) {
            statement.setFetchSize(BATCH);
            try (ResultSet rows = statement.executeQuery(distinct(columns))) {
                while (rows.next()) {
                    original.accept(rows.getString(1));
                }
            }
        }
        catch (SQLException e) {
            throw failed("read the originals", e);
        }
    }

    private static void insert(PreparedStatement insert, List<String> originals, List<String> fakes)
            throws SQLException
    {
        for (int index = 0; index < originals.size(); index++) {
            insert.setString(1, originals.get(index));
            insert.setString(2, originals.get(index));
            insert.setString(3, fakes.get(index));
            insert.addBatch();
        }
        insert.executeBatch();
    }

    /** The originals ordered by their mapping's key, the MD5 of their bytes: an order fixed whatever the column's collation. */
    @Override
    public List<String> originalsToRedraw(int mapping, int limit)
    {
        return queryStrings("SELECT original FROM (SELECT original, row_number() OVER (PARTITION BY MD5(fake) ORDER BY digest) AS position FROM "
                + mapping(mapping) + ") r WHERE r.position > 1 LIMIT " + limit, "check the fakes");
    }

    /** The whole mapping, as its fakes have no index to find another original's fake by. */
    @Override
    public List<String> originalsToRedrawAmong(int mapping, List<String> originals)
    {
        return originalsToRedraw(mapping, Integer.MAX_VALUE);
    }

    @Override
    public void replaceFakes(int mapping, Map<String, String> fakes)
    {
        replaceFakes("UPDATE " + mapping(mapping) + " SET fake = ? WHERE digest = UNHEX(MD5(?))", fakes);
    }

    @Override
    public boolean hasRepeatedFakes(int mapping)
    {
        return queryLong("SELECT count(*) FROM (SELECT MD5(fake) FROM " + mapping(mapping) + " GROUP BY MD5(fake) HAVING count(*) > 1) repeated") > 0;
    }

    @Override
    public void applyMasks(Table table, Map<Column, Optional<Integer>> mappings)
    {
        StringBuilder joins = new StringBuilder();
        List<String> assignments = new ArrayList<>();
        int alias = 0;
        for (Map.Entry<Column, Optional<Integer>> entry : mappings.entrySet()) {
            String column = "t." + quote(entry.getKey().name());
            if (entry.getValue().isEmpty()) {
                assignments.add(column + " = NULL");
                continue;
            }
            String name = "m" + alias++;
            joins.append(" LEFT JOIN ").append(mapping(entry.getValue().get())).append(' ').append(name)
                    .append(" ON ").append(name).append(".digest = UNHEX(MD5(").append(asText(column)).append("))");
            assignments.add(column + " = " + name + ".fake");
        }
        update("UPDATE " + quote(table.name()) + " t" + joins + " SET " + String.join(", ", assignments));
    }

    @Override
    public boolean anyValue(Table table, List<Column> columns, BiPredicate<Column, String> test)
    {
        String values = "SELECT " + columns.stream().map(column -> asText(quote(column.name()))).collect(Collectors.joining(", ")) + " FROM " + quote(table.name())
                + " WHERE " + columns.stream().map(column -> quote(column.name()) + " IS NOT NULL").collect(Collectors.joining(" OR "));
        try (Statement statement = otherConnection().createStatement()) {
            statement.setFetchSize(BATCH);
            try (ResultSet rows = statement.executeQuery(values)) {
                return anyInBatches(() -> {
                    if (!rows.next()) {
                        return null;
                    }
                    String[] row = new String[columns.size()];
                    for (int index = 0; index < row.length; index++) {
                        row[index] = rows.getString(index + 1);
                    }
                    return row;
                }, columns, test);
            }
        }
        catch (SQLException e) {
            throw failed("read " + table.name(), e);
        }
    }

    @Override
    protected void dropWorkTables()
    {
        execute("DROP DATABASE IF EXISTS " + WORK);
    }

    static String quote(String identifier)
    {
        return "`" + identifier.replace("`", "``") + "`";
    }
}
