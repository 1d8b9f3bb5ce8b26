package dev.dolly.core.transform;

import dev.dolly.api.DollyException;
import dev.dolly.api.TransformReport;
import dev.dolly.api.TransformReport.MaskedColumn;
import dev.dolly.api.TransformReport.TableRows;
import dev.dolly.core.transform.TransformDatabase.Column;
import dev.dolly.core.transform.TransformDatabase.ColumnReference;
import dev.dolly.core.transform.TransformDatabase.ForeignKey;
import dev.dolly.core.transform.TransformDatabase.Table;
import dev.dolly.core.transform.TransformDefinition.PersonalDataPolicy;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import java.util.stream.Collectors;

import static java.util.Objects.requireNonNull;

/**
 * The transform stage of an image build, run in the build's own server between the load and the seal: keep the
 * subset, empty tables, cascade through foreign keys, mask, check for leaks, re-check every foreign key. Set-based:
 * every step is a statement per table or per foreign key, and masking computes fakes for the distinct originals of a
 * transformer in bulk, streamed so that memory does not grow with the table.
 */
public final class ImageTransform
{
    /** How many rounds of drawing again a mapping may take before the build gives up. */
    private static final int MAXIMUM_REDRAW_ROUNDS = 64;
    private static final int REDRAW_BATCH = 10_000;

    private final TransformDefinition definition;
    private final Optional<byte[]> salt;
    private final Consumer<String> progress;

    /** @param salt the salt, required when the definition masks */
    public ImageTransform(TransformDefinition definition, Optional<byte[]> salt, Consumer<String> progress)
    {
        this.definition = requireNonNull(definition, "definition is null");
        this.salt = requireNonNull(salt, "salt is null");
        this.progress = requireNonNull(progress, "progress is null");
        if (definition.masks() && salt.isEmpty()) {
            throw new IllegalArgumentException("A transform that masks needs its salt");
        }
    }

    public TransformReport run(TransformDatabase database)
    {
        requireNonNull(database, "database is null");
        long start = System.nanoTime();
        List<Table> tables = database.tables();
        Map<String, Table> keep = new LinkedHashMap<>();
        definition.keep().forEach((name, condition) -> keep.put(name, table(tables, name, "transform.keep")));
        List<Table> empty = definition.empty().stream().map(name -> table(tables, name, "transform.empty")).toList();
        Map<Table, Map<Column, Transformer>> mask = new LinkedHashMap<>();
        definition.mask().forEach((tableName, columns) -> {
            Table table = table(tables, tableName, "transform.mask");
            Map<Column, Transformer> masked = new LinkedHashMap<>();
            columns.forEach((columnName, transformer) -> masked.put(table.column(columnName).orElseThrow(() -> DollyException.badInput("transform.mask." + tableName + "."
                    + columnName + ": table " + table.displayName() + " has no column '" + columnName + "'. Its columns are "
                    + table.columns().stream().map(Column::name).collect(Collectors.joining(", ")) + ".")), transformer));
            mask.put(table, masked);
        });
        definition.onRemovedParent().keySet().forEach(name -> table(tables, name, "transform.onRemovedParent"));
        Map<String, Column> keptColumns = new HashMap<>();
        definition.keepColumns().keySet().forEach(reference -> {
            int dot = reference.lastIndexOf('.');
            Table table = table(tables, reference.substring(0, dot), "transform.keep-columns");
            keptColumns.put(table.displayName() + "." + table.column(reference.substring(dot + 1)).orElseThrow(() -> DollyException.badInput("transform.keep-columns."
                    + reference + ": table " + table.displayName() + " has no column '" + reference.substring(dot + 1) + "'.")).name(), null);
        });

        // personal columns left as they are, before anything changes
        List<String> personal = new ArrayList<>();
        if (definition.pii() != PersonalDataPolicy.OFF) {
            progress.accept("Looking for personal data in columns that are not masked");
            for (Table table : tables) {
                if (empty.contains(table)) {
                    continue;
                }
                for (Column column : table.columns()) {
                    Transformer transformer = mask.getOrDefault(table, Map.of()).get(column);
                    if ((transformer != null && !transformer.keeps()) || keptColumns.containsKey(table.displayName() + "." + column.name())) {
                        continue;
                    }
                    if (PersonalData.looksPersonal(column.name(), column.textual() ? database.sampleValues(table, column, PersonalData.SAMPLE_SIZE) : List.of())) {
                        personal.add(table.displayName() + "." + column.name());
                    }
                }
            }
            if (definition.pii() == PersonalDataPolicy.STRICT && !personal.isEmpty()) {
                throw DollyException.badInput("pii: strict refuses this build: these columns look personal but are neither masked, emptied nor listed under "
                        + "transform.keep-columns with a reason: " + String.join(", ", personal) + ". Mask them (transform.mask), empty their tables, "
                        + "or list them under keep-columns.");
            }
        }

        Map<Table, Long> rowsBefore = new LinkedHashMap<>();
        boolean subsets = !keep.isEmpty() || !empty.isEmpty();
        for (Table table : tables) {
            rowsBefore.put(table, database.countRows(table));
        }
        Map<Table, Long> rowsAfter = new LinkedHashMap<>(rowsBefore);
        boolean changes = subsets || !mask.isEmpty();
        if (subsets) {
            progress.accept("Choosing the rows to keep");
            keep.forEach((name, table) -> database.markRowsToRemove(table, definition.keep().get(name)));
        }
        // the originals are read before the subset: a value of a removed row is an original too, which no fake may equal
        // and no text of the image may hold; the fakes are computed after it, for the values that remain
        Map<Group, List<ColumnReference>> groups = groups(mask);
        List<ForeignKey> foreignKeys = database.foreignKeys();
        List<MaskedColumn> maskedColumns = new ArrayList<>();
        try (KnownOriginals known = new KnownOriginals()) {
            OriginalsToRead originals = OriginalsToRead.of(groups);
            if (subsets) {
                readOriginalsAndRemoveRows(database, originals, known, keep.values(), empty, foreignKeys);
            }
            else {
                readOriginals(database, originals, known);
            }
            if (!mask.isEmpty()) {
                maskedColumns = applyMasks(database, mask, prepareMasks(database, groups, known));
            }
            if (changes && database.compacts()) {
                progress.accept("Compacting the tables whose rows were mostly removed or rewritten");
                database.compact();
            }
            if (subsets) {
                // counted once compacted: the first scan after a removal reads every removed row too
                progress.accept("Counting the rows kept");
                for (Table table : tables) {
                    rowsAfter.put(table, database.countRows(table));
                }
            }
            check(database, mask, known, foreignKeys);
        }
        List<TableRows> tableRows = tables.stream().map(table -> new TableRows(table.displayName(), rowsBefore.get(table), rowsAfter.get(table))).toList();
        return new TransformReport(rulesDigest(), tableRows, maskedColumns, personal, "passed", (System.nanoTime() - start) / 1_000_000);
    }

    /**
     * The originals read as every row is, and the rows removed: at the same time when the database's other connection can
     * hold a snapshot of the rows as they were, one after the other otherwise.
     */
    private void readOriginalsAndRemoveRows(TransformDatabase database, OriginalsToRead originals, KnownOriginals known,
            Collection<Table> kept, List<Table> empty, List<ForeignKey> foreignKeys)
    {
        if (originals.none() || !database.holdSnapshot()) {
            readOriginals(database, originals, known);
            removeRows(database, kept, empty, foreignKeys, progress);
            return;
        }
        progress.accept("Reading the originals of " + originals.describe() + " for the leak check, as they were, while removing the rows the conditions do not keep"
                + " and those that referenced them");
        database.analyze(originals.columns());
        // the removal reports no parts of its own: the build's parts follow one another
        alongside(() -> removeRows(database, kept, empty, foreignKeys, part -> {}), () -> originals.read(database, known));
        database.releaseSnapshot();
    }

    /** Empties the tables to empty, removes the rows their conditions did not keep, and cascades. */
    private void removeRows(TransformDatabase database, Collection<Table> kept, List<Table> empty, List<ForeignKey> foreignKeys, Consumer<String> parts)
    {
        for (Table table : empty) {
            parts.accept("Emptying " + table.displayName());
            database.removeAllRows(table);
        }
        kept.forEach(table -> {
            parts.accept("Removing the rows " + table.displayName() + " does not keep");
            database.removeMarkedRows(table);
        });
        parts.accept("Removing the rows that referenced removed rows");
        Cascade.run(foreignKeys, foreignKey -> definition.removesOrphansOf(foreignKey.child().displayName()) || definition.removesOrphansOf(foreignKey.child().name()), database);
    }

    /** One mapping per transformer and length limit: the same original gets the same fake in every column. */
    private record Group(Transformer transformer, int maxLength) {}

    /** The mappings of the masked columns, and how many distinct values each column had in the rows kept. */
    private record Mappings(Map<Group, Integer> numbers, Map<ColumnReference, Long> distinct) {}

    /** The masked columns that get fakes, by mapping. */
    private static Map<Group, List<ColumnReference>> groups(Map<Table, Map<Column, Transformer>> mask)
    {
        Map<Group, List<ColumnReference>> groups = new LinkedHashMap<>();
        mask.forEach((table, columns) -> columns.forEach((column, transformer) -> {
            if (!transformer.keeps() && !transformer.nulls()) {
                groups.computeIfAbsent(new Group(transformer, column.textual() ? column.maxLength() : 0), group -> new ArrayList<>()).add(new ColumnReference(table, column));
            }
        }));
        return groups;
    }

    /** What the leak check needs of the originals, read while every row is there. */
    private void readOriginals(TransformDatabase database, OriginalsToRead originals, KnownOriginals known)
    {
        if (!originals.columns().isEmpty()) {
            database.analyze(originals.columns());
        }
        if (!originals.none()) {
            progress.accept("Reading the originals of " + originals.describe() + " for the leak check");
            originals.read(database, known);
        }
    }

    /**
     * The masked columns that get fakes, and what the leak check reads of their originals: the distinct values of the
     * leak-checked ones, streamed out once, grouped by the searches that find them in texts (none for a column whose
     * originals identify no one by themselves). Their hashes are kept in the daemon ({@link KnownOriginals}), where each
     * fake is checked as it is drawn and each value of the image as it streams past: keeping digests of every row in the
     * database, and looking each masked value up in their index, took 8 and 5 s of a transform of 56 s at 1 GB.
     */
    private record OriginalsToRead(List<ColumnReference> columns, Map<List<Identifier>, List<ColumnReference>> bySearches)
    {
        static OriginalsToRead of(Map<Group, List<ColumnReference>> groups)
        {
            Map<List<Identifier>, List<ColumnReference>> bySearches = new LinkedHashMap<>();
            groups.forEach((group, columns) -> {
                if (group.transformer().leakChecked()) {
                    // columns whose mappings differ may share the searches: every one of them is read
                    bySearches.computeIfAbsent(Identifier.of(group.transformer()), key -> new ArrayList<>()).addAll(columns);
                }
            });
            return new OriginalsToRead(groups.values().stream().flatMap(List::stream).toList(), bySearches);
        }

        /** Whether no original needs reading. */
        boolean none()
        {
            return bySearches.isEmpty();
        }

        /** Streams the originals into {@code known}, over the database's other connection. */
        void read(TransformDatabase database, KnownOriginals known)
        {
            bySearches.forEach((identifiers, read) -> database.readOriginals(read, original -> known.add(identifiers, original)));
        }

        String describe()
        {
            return bySearches.values().stream().flatMap(List::stream).map(ImageTransform::describe).collect(Collectors.joining(", "));
        }
    }

    /**
     * Runs {@code sideWork} on a thread of its own while {@code work} runs on this one, and returns when both are done;
     * a failure of either is thrown, the side work's first. {@code work} may call only the database's methods that use
     * its other connection ({@link TransformDatabase#readOriginals}, {@link TransformDatabase#anyValue}); the side work any
     * other.
     */
    static void alongside(Runnable sideWork, Runnable work)
    {
        CompletableFuture<Void> side = CompletableFuture.runAsync(sideWork, task -> Thread.ofPlatform().name("dolly-transform-alongside").daemon().start(task));
        Throwable failure = null;
        try {
            work.run();
        }
        catch (Throwable e) {
            failure = e;
        }
        try {
            // the side work holds a connection: it finishes before anything else may use or close it
            side.join();
        }
        catch (CompletionException e) {
            Throwable cause = e.getCause();
            if (failure != null) {
                cause.addSuppressed(failure);
            }
            failure = cause;
        }
        if (failure instanceof RuntimeException runtime) {
            throw runtime;
        }
        if (failure instanceof Error error) {
            throw error;
        }
        if (failure != null) {
            throw new IllegalStateException(failure);
        }
    }

    /**
     * The fakes of the originals left after the subset. A transformer that draws fakes draws each again, as it is computed,
     * until it is no original of a leak-checked column and the leak check's searches find no original in it; a unique
     * column's fakes that repeat are then drawn again, round after round, as the database finds them.
     */
    private Mappings prepareMasks(TransformDatabase database, Map<Group, List<ColumnReference>> groups, KnownOriginals originals)
    {
        Masker masker = new Masker(salt.orElseThrow());
        Map<Group, Integer> mappings = new LinkedHashMap<>();
        Map<ColumnReference, Long> distinct = new HashMap<>();
        for (Map.Entry<Group, List<ColumnReference>> entry : groups.entrySet()) {
            Group group = entry.getKey();
            int mapping = mappings.size() + 1;
            mappings.put(group, mapping);
            boolean unique = entry.getValue().stream().anyMatch(reference -> reference.column().unique());
            progress.accept("Computing the fakes of " + describe(entry.getValue()));
            Fakes fakes = new Fakes(masker, group, unique, originals);
            long count = database.createMapping(mapping, entry.getValue(), batch -> batch.parallelStream().map(original -> fakes.draw(original, 0)).toList());
            entry.getValue().forEach(reference -> distinct.put(reference, count));
            if (unique && group.transformer().draws()) {
                progress.accept("Drawing again the fakes of " + describe(entry.getValue()) + " that repeat");
                redrawRepeats(database, fakes, mapping);
            }
            else if (unique && database.hasRepeatedFakes(mapping)) {
                throw DollyException.badInput("Transformer " + group.transformer().spec() + " gives the same value to different originals of "
                        + entry.getValue().stream().filter(reference -> reference.column().unique()).map(ImageTransform::describe).collect(Collectors.joining(", "))
                        + ", which must stay unique: use a transformer that draws fakes (such as hash, or internet.emailAddress).");
            }
        }
        return new Mappings(mappings, distinct);
    }

    private List<MaskedColumn> applyMasks(TransformDatabase database, Map<Table, Map<Column, Transformer>> mask, Mappings prepared)
    {
        Map<Group, Integer> mappings = prepared.numbers();
        Map<ColumnReference, Long> distinct = prepared.distinct();
        List<MaskedColumn> masked = new ArrayList<>();
        for (Map.Entry<Table, Map<Column, Transformer>> entry : mask.entrySet()) {
            Map<Column, Optional<Integer>> columns = new LinkedHashMap<>();
            entry.getValue().forEach((column, transformer) -> {
                if (transformer.keeps()) {
                    return;
                }
                columns.put(column, transformer.nulls() ? Optional.empty()
                        : Optional.of(mappings.get(new Group(transformer, column.textual() ? column.maxLength() : 0))));
            });
            if (!columns.isEmpty()) {
                progress.accept("Masking " + entry.getKey().displayName());
                database.applyMasks(entry.getKey(), columns);
            }
            entry.getValue().forEach((column, transformer) -> masked.add(new MaskedColumn(entry.getKey().displayName() + "." + column.name(), transformer.spec(),
                    distinct.getOrDefault(new ColumnReference(entry.getKey(), column), 0L))));
        }

        return masked;
    }

    /**
     * The checks of the result. In the database: every foreign key holds (the constraints stayed in place, but the
     * statements above ran without their triggers), unless the constraints are added after the transform, which
     * checks them ({@link TransformDatabase#checkedWhenAdded}). At the same time, on the other connection, each value streamed once
     * past the daemon's searches: no original value of a leak-checked column is left in a masked column, and no original
     * that identifies someone by itself in any text column, also inside longer texts.
     */
    private void check(TransformDatabase database, Map<Table, Map<Column, Transformer>> mask, KnownOriginals originals, List<ForeignKey> foreignKeys)
    {
        List<ForeignKey> counted = foreignKeys.stream().filter(foreignKey -> !database.checkedWhenAdded(foreignKey)).toList();
        boolean checksForeignKeys = !counted.isEmpty();
        if (mask.isEmpty() && !checksForeignKeys) {
            return;
        }
        progress.accept(mask.isEmpty() ? "Checking that every foreign key holds"
                : "Checking that no original value is left in the masked columns, nor an original email, number or address in any text column"
                        + (checksForeignKeys ? ", and that every foreign key holds" : ""));
        List<Table> tables = database.tables();
        alongside(() -> {
            for (ForeignKey foreignKey : counted) {
                long orphans = database.countOrphans(foreignKey);
                if (orphans > 0) {
                    throw DollyException.badInput("After the transform, " + orphans + " rows of " + foreignKey.child().displayName() + " reference rows of "
                            + foreignKey.parent().displayName() + " that are gone (foreign key " + foreignKey.name() + ", " + foreignKey.describe() + ").");
                }
            }
        }, () -> {
            boolean textSearched = !originals.isEmpty();
            for (Table table : tables) {
                Map<Column, Transformer> masked = mask.getOrDefault(table, Map.of());
                Set<Column> leakChecked = masked.entrySet().stream().filter(entry -> entry.getValue().leakChecked()).map(Map.Entry::getKey).collect(Collectors.toSet());
                List<Column> read = table.columns().stream().filter(column -> leakChecked.contains(column) || (textSearched && column.textual())).toList();
                if (read.isEmpty()) {
                    continue;
                }
                // the first leak found, of those the cores find at the same time
                AtomicReference<Leak> found = new AtomicReference<>();
                boolean leaked = database.anyValue(table, read, (column, value) -> {
                    if (leakChecked.contains(column) && originals.isOriginal(value)) {
                        found.compareAndSet(null, new Leak(column, "an original value of a masked column"));
                        return true;
                    }
                    Optional<Identifier> identifier = textSearched && column.textual() ? originals.foundIn(value) : Optional.empty();
                    identifier.ifPresent(kind -> found.compareAndSet(null, new Leak(column, kind.description())));
                    return identifier.isPresent();
                });
                if (leaked) {
                    throw leak(table, found.get().column(), found.get().what());
                }
            }
        });
    }

    /** What the leak check found, and where. */
    private record Leak(Column column, String what) {}

    /**
     * Draws again, round after round, the fakes of a unique column's mapping that another original with a smaller value
     * has too, as the database finds them; the fakes drawn again pass {@link Fakes#draw} as the first ones did.
     */
    private static void redrawRepeats(TransformDatabase database, Fakes fakes, int mapping)
    {
        List<String> originals = database.originalsToRedraw(mapping, REDRAW_BATCH);
        for (int attempt = 1; attempt <= MAXIMUM_REDRAW_ROUNDS && !originals.isEmpty(); attempt++) {
            int round = attempt;
            Map<String, String> drawn = new TreeMap<>();
            originals.forEach(original -> drawn.put(original, fakes.draw(original, round)));
            database.replaceFakes(mapping, drawn);
            // after a round only the fakes just drawn can repeat another fake (the others were found distinct), unless the
            // batch was full (more may wait): then the whole mapping is looked at again
            originals = originals.size() == REDRAW_BATCH
                    ? database.originalsToRedraw(mapping, REDRAW_BATCH)
                    : database.originalsToRedrawAmong(mapping, originals);
        }
        if (!originals.isEmpty()) {
            throw fakes.cannotDraw();
        }
    }

    /**
     * The fakes of a mapping. A transformer that draws fakes draws an original's fake again while it is an original of a
     * leak-checked column, or (for fakes that hold text the searches read: emails, numbers, addresses) the leak check's
     * searches find an original in it; an IP address is searched as a whole value only, which the first test covers.
     * Other transformers' values are what they are: the leak check tells if one is an original.
     */
    private record Fakes(Masker masker, Group group, boolean unique, KnownOriginals originals, boolean searchedInside)
    {
        Fakes(Masker masker, Group group, boolean unique, KnownOriginals originals)
        {
            this(masker, group, unique, originals, !originals.isEmpty()
                    && Identifier.of(group.transformer()).stream().anyMatch(identifier -> identifier != Identifier.WHOLE_VALUE));
        }

        /** The fake of the first round from {@code round} on that may stay. */
        String draw(String original, int round)
        {
            if (!group.transformer().draws()) {
                return masker.fake(group.transformer(), original, round, group.maxLength());
            }
            for (int attempt = round; attempt < round + MAXIMUM_REDRAW_ROUNDS; attempt++) {
                String fake = masker.fake(group.transformer(), original, attempt, group.maxLength());
                if (!originals.isOriginal(fake) && (!searchedInside || originals.foundIn(fake).isEmpty())) {
                    return fake;
                }
            }
            throw cannotDraw();
        }

        DollyException cannotDraw()
        {
            return DollyException.badInput("Transformer " + group.transformer().spec() + " could not find fakes that are distinct" + (unique ? " and unique" : "")
                    + " from the original values after " + MAXIMUM_REDRAW_ROUNDS + " draws" + (group.maxLength() > 0 ? " (the column holds only " + group.maxLength() + " characters)" : "")
                    + ": use hash, or a transformer with more possible values.");
        }
    }

    private static DollyException leak(Table table, Column column, String what)
    {
        return DollyException.badInput("The leak check failed: " + what + " remains in " + table.displayName() + "." + column.name()
                + ". Mask that column, or empty its table, and build again.");
    }

    private static String describe(List<ColumnReference> references)
    {
        return references.stream().map(ImageTransform::describe).collect(Collectors.joining(", "));
    }

    private static String describe(ColumnReference reference)
    {
        return reference.table().displayName() + "." + reference.column().name();
    }

    private static Table table(List<Table> tables, String name, String key)
    {
        return tables.stream().filter(table -> table.displayName().equals(name) || table.name().equals(name)).findFirst()
                .or(() -> tables.stream().filter(table -> table.displayName().equalsIgnoreCase(name)).findFirst())
                .orElseThrow(() -> DollyException.badInput(key + " names table '" + name + "', which the database does not have. Its tables are "
                        + tables.stream().map(Table::displayName).sorted().collect(Collectors.joining(", ")) + "."));
    }

    /** SHA-256 of the rules as run: variables substituted, in a stable order, without the salt. */
    String rulesDigest()
    {
        StringBuilder rules = new StringBuilder();
        new TreeMap<>(definition.keep()).forEach((table, condition) -> rules.append("keep ").append(table).append(": ").append(condition).append('\n'));
        definition.empty().stream().sorted().forEach(table -> rules.append("empty ").append(table).append('\n'));
        new TreeMap<>(definition.mask()).forEach((table, columns) -> new TreeMap<>(columns).forEach((column, transformer) ->
                rules.append("mask ").append(table).append('.').append(column).append(": ").append(transformer.spec()).append('\n')));
        new TreeMap<>(definition.onRemovedParent()).forEach((table, remove) -> rules.append("onRemovedParent ").append(table).append(": ").append(remove ? "remove" : "null").append('\n'));
        new TreeMap<>(definition.keepColumns()).forEach((column, reason) -> rules.append("keep-column ").append(column).append(": ").append(reason).append('\n'));
        rules.append("pii: ").append(definition.pii()).append('\n');
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(rules.toString().getBytes(StandardCharsets.UTF_8)));
        }
        catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
