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
        if (subsets) {
            progress.accept("Choosing the rows to keep");
            keep.forEach((name, table) -> database.markRowsToRemove(table, definition.keep().get(name)));
        }
        // the originals are read before the subset: a value of a removed row is an original too, which no fake may equal
        // and no text of the image may hold; the fakes are computed after it, for the values that remain
        Map<Group, List<ColumnReference>> groups = groups(mask);
        List<ForeignKey> foreignKeys = database.foreignKeys();
        List<MaskedColumn> maskedColumns = new ArrayList<>();
        try (IdentifyingOriginals identifying = new IdentifyingOriginals()) {
            OriginalsToRead originals = OriginalsToRead.of(groups);
            if (subsets) {
                readOriginalsAndRemoveRows(database, originals, identifying, keep.values(), empty, foreignKeys);
                for (Table table : tables) {
                    rowsAfter.put(table, database.countRows(table));
                }
            }
            else {
                readOriginals(database, originals, identifying);
            }
            if (!mask.isEmpty()) {
                maskedColumns = applyMasks(database, mask, prepareMasks(database, groups, identifying));
            }
            check(database, mask, identifying, foreignKeys);
        }
        List<TableRows> tableRows = tables.stream().map(table -> new TableRows(table.displayName(), rowsBefore.get(table), rowsAfter.get(table))).toList();
        return new TransformReport(rulesDigest(), tableRows, maskedColumns, personal, "passed", (System.nanoTime() - start) / 1_000_000);
    }

    /**
     * The originals read as every row is, and the rows removed: at the same time when the database's other connection can
     * hold a snapshot of the rows as they were, one after the other otherwise.
     */
    private void readOriginalsAndRemoveRows(TransformDatabase database, OriginalsToRead originals, IdentifyingOriginals identifying,
            Collection<Table> kept, List<Table> empty, List<ForeignKey> foreignKeys)
    {
        if (originals.none() || !database.holdSnapshot()) {
            readOriginals(database, originals, identifying);
            removeRows(database, kept, empty, foreignKeys, progress);
            return;
        }
        progress.accept("Keeping the originals' digests for the leak check" + originals.describeIdentified(", and reading the originals of ", " that identify someone")
                + ", as they were, while removing the rows the conditions do not keep and those that referenced them");
        database.analyze(originals.columns());
        // the removal reports no parts of its own: the build's parts follow one another
        alongside(() -> removeRows(database, kept, empty, foreignKeys, part -> {}), () -> {
            originals.readIdentifying(database, identifying);
            database.keepOriginalDigests(originals.digested());
        });
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

    /**
     * What the leak check needs of the originals, read while every row is there: the digests of the leak-checked columns'
     * values (kept in the database) and, at the same time on the database's other connection, the originals that
     * identify someone by themselves (streamed out once).
     */
    private void readOriginals(TransformDatabase database, OriginalsToRead originals, IdentifyingOriginals identifying)
    {
        if (originals.none()) {
            return;
        }
        progress.accept("Keeping the originals' digests for the leak check" + originals.describeIdentified(", and reading the originals of ", " that identify someone"));
        database.analyze(originals.columns());
        alongside(() -> database.keepOriginalDigests(originals.digested()), () -> originals.readIdentifying(database, identifying));
    }

    /**
     * What the leak check reads of the originals: the columns whose digests it keeps, and the columns whose originals
     * identify someone, by the searches that find them.
     */
    private record OriginalsToRead(List<ColumnReference> columns, List<ColumnReference> digested, Map<List<Identifier>, List<ColumnReference>> identified)
    {
        static OriginalsToRead of(Map<Group, List<ColumnReference>> groups)
        {
            List<ColumnReference> digested = groups.entrySet().stream().filter(entry -> entry.getKey().transformer().leakChecked())
                    .flatMap(entry -> entry.getValue().stream()).toList();
            Map<List<Identifier>, List<ColumnReference>> identified = new LinkedHashMap<>();
            groups.forEach((group, columns) -> {
                List<Identifier> identifiers = Identifier.of(group.transformer());
                if (!identifiers.isEmpty()) {
                    // columns whose mappings differ may share the searches: every one of them is read
                    identified.computeIfAbsent(identifiers, key -> new ArrayList<>()).addAll(columns);
                }
            });
            return new OriginalsToRead(groups.values().stream().flatMap(List::stream).toList(), digested, identified);
        }

        boolean none()
        {
            return columns.isEmpty();
        }

        /** Streams the originals that identify someone into {@code identifying}, over the database's other connection. */
        void readIdentifying(TransformDatabase database, IdentifyingOriginals identifying)
        {
            identified.forEach((identifiers, read) -> database.readOriginals(read, original -> identifying.add(identifiers, original)));
        }

        String describeIdentified(String before, String after)
        {
            return identified.isEmpty() ? "" : before + identified.values().stream().flatMap(List::stream).map(ImageTransform::describe).collect(Collectors.joining(", ")) + after;
        }
    }

    /**
     * Runs {@code sideWork} on a thread of its own while {@code work} runs on this one, and returns when both are done;
     * a failure of either is thrown, the side work's first. {@code work} may call only the database's methods that use
     * its other connection ({@link TransformDatabase#readOriginals}, {@link TransformDatabase#anyValue}, and
     * {@link TransformDatabase#keepOriginalDigests} while a snapshot is held); the side work any other.
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

    /** The fakes of the originals left after the subset, drawn again where they must not stay. */
    private Mappings prepareMasks(TransformDatabase database, Map<Group, List<ColumnReference>> groups, IdentifyingOriginals identifying)
    {
        Masker masker = new Masker(salt.orElseThrow());
        Map<Group, Integer> mappings = new LinkedHashMap<>();
        Map<ColumnReference, Long> distinct = new HashMap<>();
        for (Map.Entry<Group, List<ColumnReference>> entry : groups.entrySet()) {
            Group group = entry.getKey();
            int mapping = mappings.size() + 1;
            mappings.put(group, mapping);
            progress.accept("Computing the fakes of " + entry.getValue().stream().map(ImageTransform::describe).collect(Collectors.joining(", ")));
            long count = database.createMapping(mapping, entry.getValue(), originals -> originals.parallelStream()
                    .map(original -> masker.fake(group.transformer(), original, 0, group.maxLength()))
                    .toList());
            entry.getValue().forEach(reference -> distinct.put(reference, count));
        }
        for (Map.Entry<Group, Integer> entry : mappings.entrySet()) {
            Group group = entry.getKey();
            boolean unique = groups.get(group).stream().anyMatch(reference -> reference.column().unique());
            progress.accept("Drawing again the fakes of " + groups.get(group).stream().map(ImageTransform::describe).collect(Collectors.joining(", "))
                    + " that equal an original" + (unique ? " or repeat" : ""));
            if (group.transformer().draws()) {
                // searched inside: fakes that hold text the searches read (emails, numbers, addresses); an IP address is
                // searched as a whole value only, which the database's check of the fakes against the originals covers
                boolean searchedInside = Identifier.of(group.transformer()).stream().anyMatch(identifier -> identifier != Identifier.WHOLE_VALUE);
                Optional<IdentifyingOriginals> searched = searchedInside && !identifying.isEmpty() ? Optional.of(identifying) : Optional.empty();
                redraw(database, masker, group, entry.getValue(), unique, searched);
            }
            else if (unique && database.hasRepeatedFakes(entry.getValue())) {
                throw DollyException.badInput("Transformer " + group.transformer().spec() + " gives the same value to different originals of "
                        + groups.get(group).stream().filter(reference -> reference.column().unique()).map(ImageTransform::describe).collect(Collectors.joining(", "))
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
     * The checks of the result. In the database: no original value is left in a masked column, and every foreign key
     * holds (the constraints stayed in place, but the statements above ran without their triggers). At the same time,
     * on the other connection: no original that identifies someone by itself is left in any text column, also inside
     * longer texts, each value streamed once past all of them.
     */
    private void check(TransformDatabase database, Map<Table, Map<Column, Transformer>> mask, IdentifyingOriginals identifying, List<ForeignKey> foreignKeys)
    {
        progress.accept(mask.isEmpty() ? "Checking that every foreign key holds"
                : "Checking that no original value is left in the masked columns, nor an original email, number or address in any text column, and that every foreign key holds");
        List<Table> tables = database.tables();
        alongside(() -> {
            mask.forEach((table, columns) -> columns.forEach((column, transformer) -> {
                if (transformer.leakChecked() && database.containsOriginal(table, column)) {
                    throw leak(table, column, "an original value of a masked column");
                }
            }));
            for (ForeignKey foreignKey : foreignKeys) {
                long orphans = database.countOrphans(foreignKey);
                if (orphans > 0) {
                    throw DollyException.badInput("After the transform, " + orphans + " rows of " + foreignKey.child().displayName() + " reference rows of "
                            + foreignKey.parent().displayName() + " that are gone (foreign key " + foreignKey.name() + ", " + foreignKey.describe() + ").");
                }
            }
        }, () -> {
            if (identifying.isEmpty()) {
                return;
            }
            for (Table table : tables) {
                for (Column column : table.columns()) {
                    AtomicReference<Identifier> found = new AtomicReference<>();
                    boolean leaked = column.textual() && database.anyValue(table, column, value -> {
                        Optional<Identifier> identifier = identifying.foundIn(value);
                        identifier.ifPresent(found::set);
                        return identifier.isPresent();
                    });
                    if (leaked) {
                        throw leak(table, column, found.get().description());
                    }
                }
            }
        });
    }

    /**
     * Draws again the fakes of a mapping that must not stay: first those in which the leak check's own searches find an
     * original (the digits of a fake phone number that equal an original's written otherwise), in one pass over the
     * mapping; then, round after round, those that equal an original or repeat in a unique column, as the database
     * finds them. A fake drawn again is drawn until the searches find nothing in it.
     */
    private void redraw(TransformDatabase database, Masker masker, Group group, int mapping, boolean unique, Optional<IdentifyingOriginals> identifying)
    {
        if (identifying.isPresent()) {
            Map<String, String> fakes = new TreeMap<>();
            for (String original : database.originalsWhoseFake(mapping, fake -> identifying.get().foundIn(fake).isPresent())) {
                fakes.put(original, draw(masker, group, original, 1, unique, identifying));
            }
            if (!fakes.isEmpty()) {
                database.replaceFakes(mapping, fakes);
            }
        }
        List<String> originals = database.originalsToRedraw(mapping, unique, REDRAW_BATCH);
        for (int attempt = 1; attempt <= MAXIMUM_REDRAW_ROUNDS && !originals.isEmpty(); attempt++) {
            int round = attempt;
            Map<String, String> fakes = new TreeMap<>();
            originals.forEach(original -> fakes.put(original, draw(masker, group, original, round, unique, identifying)));
            database.replaceFakes(mapping, fakes);
            // after a round only the fakes just drawn can equal an original or repeat another fake (the others were found
            // distinct), unless the batch was full (more may wait): then the whole mapping is looked at again
            originals = originals.size() == REDRAW_BATCH
                    ? database.originalsToRedraw(mapping, unique, REDRAW_BATCH)
                    : database.originalsToRedrawAmong(mapping, originals, unique);
        }
        if (!originals.isEmpty()) {
            throw cannotDraw(group, unique);
        }
    }

    /** The fake of the first round from {@code round} on in which the searches find no original. */
    private static String draw(Masker masker, Group group, String original, int round, boolean unique, Optional<IdentifyingOriginals> identifying)
    {
        for (int attempt = round; attempt < round + MAXIMUM_REDRAW_ROUNDS; attempt++) {
            String fake = masker.fake(group.transformer(), original, attempt, group.maxLength());
            if (identifying.isEmpty() || identifying.get().foundIn(fake).isEmpty()) {
                return fake;
            }
        }
        throw cannotDraw(group, unique);
    }

    private static DollyException cannotDraw(Group group, boolean unique)
    {
        return DollyException.badInput("Transformer " + group.transformer().spec() + " could not find fakes that are distinct" + (unique ? " and unique" : "")
                + " from the original values after " + MAXIMUM_REDRAW_ROUNDS + " draws" + (group.maxLength() > 0 ? " (the column holds only " + group.maxLength() + " characters)" : "")
                + ": use hash, or a transformer with more possible values.");
    }

    private static DollyException leak(Table table, Column column, String what)
    {
        return DollyException.badInput("The leak check failed: " + what + " remains in " + table.displayName() + "." + column.name()
                + ". Mask that column, or empty its table, and build again.");
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
