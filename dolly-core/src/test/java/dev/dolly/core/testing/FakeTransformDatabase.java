package dev.dolly.core.testing;

import dev.dolly.core.transform.TransformDatabase;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.BiPredicate;
import java.util.function.UnaryOperator;

import static java.util.Objects.requireNonNull;

/**
 * The fake engine's transform statements: its data directory holds one table, {@value FakeEngine#LOADED}, whose rows
 * are the lines a load wrote, with one text column {@code line}. It can count, sample and empty that table; keeping
 * rows by a condition and masking are beyond it (no SQL to run), and fail saying so.
 */
final class FakeTransformDatabase
        implements TransformDatabase
{
    static final Table LOADED = new Table("fake", FakeEngine.LOADED, FakeEngine.LOADED, List.of(new Column("line", "text", true, 0, true, false)));

    private final Path rows;

    FakeTransformDatabase(Path dataDirectory)
    {
        this.rows = requireNonNull(dataDirectory, "dataDirectory is null").resolve(FakeEngine.LOADED);
    }

    @Override
    public List<Table> tables()
    {
        return List.of(LOADED);
    }

    @Override
    public List<ForeignKey> foreignKeys()
    {
        return List.of();
    }

    @Override
    public long countRows(Table table)
    {
        return lines().size();
    }

    @Override
    public long removeAllRows(Table table)
    {
        long count = lines().size();
        try {
            Files.writeString(rows, "");
        }
        catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return count;
    }

    @Override
    public List<String> sampleValues(Table table, Column column, int limit)
    {
        return lines().stream().limit(limit).toList();
    }

    @Override
    public void markRowsToRemove(Table table, String condition)
    {
        throw unsupported();
    }

    @Override
    public long removeMarkedRows(Table table)
    {
        throw unsupported();
    }

    @Override
    public long createMapping(int mapping, List<ColumnReference> columns, UnaryOperator<List<String>> fakes)
    {
        throw unsupported();
    }

    @Override
    public void readOriginals(List<ColumnReference> columns, Consumer<String> original)
    {
        throw unsupported();
    }

    @Override
    public List<String> originalsToRedraw(int mapping, int limit)
    {
        throw unsupported();
    }

    @Override
    public List<String> originalsToRedrawAmong(int mapping, List<String> originals)
    {
        throw unsupported();
    }

    @Override
    public void replaceFakes(int mapping, Map<String, String> fakes)
    {
        throw unsupported();
    }

    @Override
    public boolean hasRepeatedFakes(int mapping)
    {
        throw unsupported();
    }

    @Override
    public void applyMasks(Table table, Map<Column, Optional<Integer>> mappings)
    {
        throw unsupported();
    }

    @Override
    public boolean anyValue(Table table, List<Column> columns, BiPredicate<Column, String> test)
    {
        throw unsupported();
    }

    // no foreign keys: nothing is ever an orphan

    @Override
    public long removeOrphans(ForeignKey foreignKey)
    {
        return 0;
    }

    @Override
    public long clearOrphans(ForeignKey foreignKey)
    {
        return 0;
    }

    @Override
    public long countOrphans(ForeignKey foreignKey)
    {
        return 0;
    }

    @Override
    public void close() {}

    private List<String> lines()
    {
        try {
            return Files.exists(rows) ? Files.readAllLines(rows, StandardCharsets.UTF_8) : List.of();
        }
        catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static UnsupportedOperationException unsupported()
    {
        return new UnsupportedOperationException("The fake engine runs no SQL: its transform can only empty tables");
    }
}
