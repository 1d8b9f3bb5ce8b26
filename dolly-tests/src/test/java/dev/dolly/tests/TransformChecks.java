package dev.dolly.tests;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What the transform tests of every engine share: writing a definition beside a copy of its backup, reading query
 * results, and comparing a transformed image with the plain one it came from.
 */
final class TransformChecks
{
    private TransformChecks() {}

    /**
     * Writes {@code text} as {@code name.yaml} in a new directory of {@code parent} holding a copy of {@code backup};
     * returns the YAML file.
     */
    static Path definitionBeside(Path parent, Path backup, String name, String text)
            throws IOException
    {
        Path directory = Files.createTempDirectory(parent, "dolly-transform");
        Files.copy(backup, directory.resolve(backup.getFileName()));
        Path file = directory.resolve(name + ".yaml");
        Files.writeString(file, text);
        return file;
    }

    /** The definition with {@code pii: strict} and without the first occurrence of a line of its {@code mask:}, checked to have been there. */
    static String strictWithout(String definition, String maskLine)
    {
        assertThat(definition).contains(maskLine).contains("pii: warn");
        int start = definition.indexOf(maskLine);
        return (definition.substring(0, start) + definition.substring(start + maskLine.length())).replace("pii: warn", "pii: strict");
    }

    static long count(Statement statement, String query)
            throws SQLException
    {
        try (ResultSet rows = statement.executeQuery(query)) {
            rows.next();
            return rows.getLong(1);
        }
    }

    static List<String> column(Statement statement, String query)
            throws SQLException
    {
        List<String> values = new ArrayList<>();
        try (ResultSet rows = statement.executeQuery(query)) {
            while (rows.next()) {
                values.add(rows.getString(1));
            }
        }
        return values;
    }

    /** The first column of each row mapped to the second. */
    static Map<String, String> pairs(Statement statement, String query)
            throws SQLException
    {
        Map<String, String> values = new HashMap<>();
        try (ResultSet rows = statement.executeQuery(query)) {
            while (rows.next()) {
                values.put(rows.getString(1), rows.getString(2));
            }
        }
        return values;
    }

    /**
     * For each column, no value it has in the plain image is left in it in the transformed one; {@code query} selects the
     * column (named by {@code %s}) from every table that has it.
     */
    static void assertNoOriginalLeft(Statement before, Statement after, List<String> columns, String query)
            throws SQLException
    {
        for (String personal : columns) {
            Set<String> originals = new HashSet<>(column(before, query.formatted(personal)));
            originals.remove(null);
            assertThat(originals).as(personal).isNotEmpty();
            assertThat(column(after, query.formatted(personal))).as(personal).doesNotContainAnyElementsOf(originals);
        }
    }

    /**
     * {@code query} gives a key and whether two masked columns are equal in that row: masking with one mapping keeps
     * every such equality of the plain image, and at least one holds.
     */
    static void assertEqualitiesKept(Statement before, Statement after, String query, String equal)
            throws SQLException
    {
        Map<String, String> originalPairs = pairs(before, query);
        Map<String, String> maskedPairs = pairs(after, query);
        assertThat(maskedPairs).isNotEmpty().containsValue(equal);
        maskedPairs.forEach((key, value) -> assertThat(value).as(key).isEqualTo(originalPairs.get(key)));
    }
}
