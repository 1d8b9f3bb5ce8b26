package dev.dolly.core.transform;

import dev.dolly.api.DollyException;
import dev.dolly.api.TransformReport;
import dev.dolly.core.transform.TransformDatabase.Column;
import dev.dolly.core.transform.TransformDatabase.ColumnReference;
import dev.dolly.core.transform.TransformDatabase.ForeignKey;
import dev.dolly.core.transform.TransformDatabase.Table;
import dev.dolly.core.transform.TransformDefinition.PersonalDataPolicy;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.BiPredicate;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The leak check of the transform, over an in-memory database; the searches of text for identifying originals are the transform's own ({@link Identifier}). */
class ImageTransformLeakCheckTest
{
    private static final byte[] SALT = "a-salt-for-the-leak-check".getBytes(StandardCharsets.UTF_8);

    @Test
    void anOriginalEmailInsideTheFreeTextOfAnotherTableFailsTheBuildNamingIt()
    {
        MemoryDatabase database = chinookLike();
        assertThatThrownBy(() -> transform(Map.of("customer", Map.of("email", "internet.emailAddress", "phone", "phone.phoneNumber"))).run(database))
                .isInstanceOf(DollyException.class)
                .hasMessageContaining("an original email address remains in invoice.notes")
                .hasMessageContaining("Mask that column");
    }

    @Test
    void anOriginalPhoneWrittenOtherwiseInsideATextIsFoundToo()
    {
        MemoryDatabase database = chinookLike();
        database.rows("invoice").get(0).put("notes", "no note");
        database.rows("invoice").get(1).put("notes", "rang +1 204 452 6452 twice");
        assertThatThrownBy(() -> transform(Map.of("customer", Map.of("email", "internet.emailAddress", "phone", "phone.phoneNumber"))).run(database))
                .hasMessageContaining("an original phone or card number remains in invoice.notes");
    }

    @Test
    void theBuildPassesOnceTheFreeTextIsMasked()
    {
        MemoryDatabase database = chinookLike();
        TransformReport report = transform(Map.of("customer", Map.of("email", "internet.emailAddress", "phone", "phone.phoneNumber"), "invoice", Map.of("notes", "lorem")))
                .run(database);
        assertThat(report.leakCheck()).isEqualTo("passed");
        assertThat(database.rows("customer")).extracting(row -> row.get("email")).doesNotContain("frank.harris@example.com");
        // a first name left as it is in a title is no leak: short values are searched only in masked columns
        assertThat(database.rows("album")).extracting(row -> row.get("title")).contains("Frank");
    }

    @Test
    void aFakeInWhichTheSearchesFindAnotherOriginalIsDrawnAgain()
    {
        // the fake of one customer's phone is, written without separators, another customer's original phone: the
        // leak check would find it in the masked column, so it is drawn again rather than failing the build
        String original = "+1 (204) 452-6452";
        String fake = new Masker(SALT).fake(Transformer.parse("phone.phoneNumber", "test"), original, 0, 0);
        String sameDigits = fake.replaceAll("[^0-9]", "");
        assertThat(sameDigits).hasSizeGreaterThanOrEqualTo(Identifier.MINIMUM_DIGITS);
        MemoryDatabase database = new MemoryDatabase();
        database.table("customer", "phone");
        database.row("customer", Map.of("phone", original));
        database.row("customer", Map.of("phone", sameDigits));

        TransformReport report = transform(Map.of("customer", Map.of("phone", "phone.phoneNumber"))).run(database);

        assertThat(report.leakCheck()).isEqualTo("passed");
        String masked = database.rows("customer").get(0).get("phone");
        assertThat(masked).isNotEqualTo(fake);
        assertThat(masked.replaceAll("[^0-9]", "")).isNotEqualTo(sameDigits);
    }

    @Test
    void aFakeThatIsAnotherOriginalIsDrawnAgain()
    {
        // the first fake of one customer's first name is another customer's original first name
        String fake = new Masker(SALT).fake(Transformer.parse("person.firstName", "test"), "Astrid", 0, 0);
        MemoryDatabase database = new MemoryDatabase();
        database.table("customer", "first_name");
        database.row("customer", Map.of("first_name", "Astrid"));
        database.row("customer", Map.of("first_name", fake));

        TransformReport report = transform(Map.of("customer", Map.of("first_name", "person.firstName"))).run(database);

        assertThat(report.leakCheck()).isEqualTo("passed");
        assertThat(database.rows("customer").get(0).get("first_name")).isNotIn(fake, "Astrid");
        // positive control: without the other customer, the first fake stays
        MemoryDatabase alone = new MemoryDatabase();
        alone.table("customer", "first_name");
        alone.row("customer", Map.of("first_name", "Astrid"));
        transform(Map.of("customer", Map.of("first_name", "person.firstName"))).run(alone);
        assertThat(alone.rows("customer").get(0).get("first_name")).isEqualTo(fake);
    }

    @Test
    void anOriginalLeftInAMaskedColumnFailsTheBuildNamingIt()
    {
        // a regular expression that matches nothing leaves the names as they were: a name is no identifying original,
        // so only the check of the masked columns can find it
        MemoryDatabase database = new MemoryDatabase();
        database.table("customer", "first_name");
        database.row("customer", Map.of("first_name", "Astrid"));

        assertThatThrownBy(() -> transform(Map.of("customer", Map.of("first_name", "regex('^zzz$', 'x')"))).run(database))
                .hasMessageContaining("an original value of a masked column remains in customer.first_name");
        // positive control: a regular expression that changes every name passes
        MemoryDatabase changed = new MemoryDatabase();
        changed.table("customer", "first_name");
        changed.row("customer", Map.of("first_name", "Astrid"));
        assertThat(transform(Map.of("customer", Map.of("first_name", "regex('^.*$', 'x')"))).run(changed).leakCheck()).isEqualTo("passed");
        assertThat(changed.rows("customer").get(0).get("first_name")).isEqualTo("x");
    }

    @Test
    void anOriginalOfARemovedRowIsSearchedForThoughNoFakeIsComputedForIt()
    {
        MemoryDatabase database = customerAndLead("contact frank.harris@example.com after 5pm");
        Map<String, Map<String, String>> mask = Map.of("customer", Map.of("email", "internet.emailAddress"), "lead", Map.of("email", "internet.emailAddress"));

        assertThatThrownBy(() -> transform(mask, List.of("lead")).run(database))
                .hasMessageContaining("an original email address remains in invoice.notes");
        // the emptied table's email is an original (the leak check found it), but only the customer's got a fake
        assertThat(database.faked).containsExactly("astrid@example.org");
        assertThat(database.originals).contains("frank.harris@example.com", "astrid@example.org");

        // positive control: without the removed lead's email in the note, the same transform passes
        MemoryDatabase clean = customerAndLead("contact the customer after 5pm");
        TransformReport report = transform(mask, List.of("lead")).run(clean);
        assertThat(report.leakCheck()).isEqualTo("passed");
        assertThat(clean.rows("lead")).isEmpty();
        assertThat(report.maskedColumns()).extracting(TransformReport.MaskedColumn::distinctValues).containsOnly(1L);
    }

    @Test
    void theOriginalsAreReadFromASnapshotWhileTheRowsAreRemoved()
            throws Exception
    {
        // the other connection reads the originals as they were while this one empties the lead table: reading waits
        // until the lead's row is gone, and still finds its email (read before the removal, it would wait in vain)
        MemoryDatabase database = customerAndLead("contact frank.harris@example.com after 5pm");
        database.snapshots = true;
        Map<String, Map<String, String>> mask = Map.of("customer", Map.of("email", "internet.emailAddress"), "lead", Map.of("email", "internet.emailAddress"));

        assertThatThrownBy(() -> transform(mask, List.of("lead")).run(database))
                .hasMessageContaining("an original email address remains in invoice.notes");
        assertThat(database.readWhileRemoving).isTrue();
        assertThat(database.rows("lead")).isEmpty();
        assertThat(database.originals).contains("frank.harris@example.com", "astrid@example.org");
        assertThat(database.snapshot).as("released").isNull();
        assertThat(database.faked).containsExactly("astrid@example.org");

        // positive control: without the removed lead's email in the note, the same transform passes
        MemoryDatabase clean = customerAndLead("contact the customer after 5pm");
        clean.snapshots = true;
        assertThat(transform(mask, List.of("lead")).run(clean).leakCheck()).isEqualTo("passed");
        assertThat(clean.readWhileRemoving).isTrue();
        assertThat(clean.originals).contains("frank.harris@example.com");
    }

    @Test
    void theOriginalsOfEveryColumnAreSearchedForWhenColumnsOfOneKindHaveMappingsOfTheirOwn()
    {
        // two email columns of different lengths get a mapping each, and the same searches: the originals of both
        for (String notes : List.of("wrote to frank.harris@example.com", "wrote to astrid@example.org")) {
            MemoryDatabase database = new MemoryDatabase();
            database.table("customer", "email");
            database.row("customer", Map.of("email", "astrid@example.org"));
            database.tableOfLength("lead", "email", 60);
            database.row("lead", Map.of("email", "frank.harris@example.com"));
            database.table("invoice", "notes");
            database.row("invoice", Map.of("notes", notes));

            assertThatThrownBy(() -> transform(Map.of("customer", Map.of("email", "internet.emailAddress"), "lead", Map.of("email", "internet.emailAddress"))).run(database))
                    .as(notes)
                    .hasMessageContaining("an original email address remains in invoice.notes");
        }
    }

    /** A customer, a lead (the table emptied) and an invoice whose notes say {@code notes}. */
    private static MemoryDatabase customerAndLead(String notes)
    {
        MemoryDatabase database = new MemoryDatabase();
        database.table("customer", "email");
        database.row("customer", Map.of("email", "astrid@example.org"));
        database.table("lead", "email");
        database.row("lead", Map.of("email", "frank.harris@example.com"));
        database.table("invoice", "notes");
        database.row("invoice", Map.of("notes", notes));
        return database;
    }

    @Test
    void aUniqueColumnStaysUniqueWhenOnlyTheFakesDrawnAgainAreLookedAt()
    {
        // 2,000 distinct originals of a unique column and about 3,000 first names to draw from: hundreds of repeats,
        // drawn again round after round until, from the fourth draw on, the widened fakes stop repeating
        MemoryDatabase database = accounts();

        TransformReport report = transform(Map.of("account", Map.of("nickname", "person.firstName"))).run(database);

        assertThat(report.leakCheck()).isEqualTo("passed");
        List<String> fakes = database.rows("account").stream().map(row -> row.get("nickname")).toList();
        assertThat(fakes).hasSize(2_000).doesNotHaveDuplicates().noneMatch(fake -> fake.startsWith("nick-"));
        assertThat(database.amongRounds).isPositive();
        // the same salt gives the same fakes
        MemoryDatabase again = accounts();
        transform(Map.of("account", Map.of("nickname", "person.firstName"))).run(again);
        assertThat(again.rows("account").stream().map(row -> row.get("nickname")).toList()).isEqualTo(fakes);
    }

    /** 2,000 accounts whose nicknames are unique. */
    private static MemoryDatabase accounts()
    {
        MemoryDatabase database = new MemoryDatabase();
        database.uniqueTable("account", "nickname");
        for (int index = 0; index < 2_000; index++) {
            database.row("account", Map.of("nickname", "nick-" + index));
        }
        return database;
    }

    private static ImageTransform transform(Map<String, Map<String, String>> mask)
    {
        return transform(mask, List.of());
    }

    private static ImageTransform transform(Map<String, Map<String, String>> mask, List<String> empty)
    {
        Map<String, Map<String, Transformer>> transformers = new LinkedHashMap<>();
        mask.forEach((table, columns) -> {
            Map<String, Transformer> parsed = new LinkedHashMap<>();
            columns.forEach((column, written) -> parsed.put(column, Transformer.parse(written, "mask." + table + "." + column)));
            transformers.put(table, parsed);
        });
        TransformDefinition definition = new TransformDefinition(Optional.of("SALT"), Map.of(), Map.of(), empty, transformers, Map.of(), Map.of(), PersonalDataPolicy.OFF);
        return new ImageTransform(definition, Optional.of(SALT), message -> {});
    }

    private static MemoryDatabase chinookLike()
    {
        MemoryDatabase database = new MemoryDatabase();
        database.table("customer", "email", "phone", "first_name");
        database.row("customer", Map.of("email", "Frank.Harris@example.com", "phone", "+1 (204) 452-6452", "first_name", "Frank"));
        database.row("customer", Map.of("email", "astrid@example.org", "phone", "+47 22 44 22 22", "first_name", "Astrid"));
        database.table("invoice", "notes");
        database.row("invoice", Map.of("notes", "contact frank.harris@example.com after 5pm"));
        database.row("invoice", Map.of("notes", "paid"));
        database.table("album", "title");
        database.row("album", Map.of("title", "Frank"));
        return database;
    }

    /** Tables of text columns held in memory; each statement does what the engines' SQL does, row by row. */
    private static final class MemoryDatabase
            implements TransformDatabase
    {
        private final List<Table> tables = new ArrayList<>();
        private final Map<String, List<Map<String, String>>> rows = new HashMap<>();
        private final Map<Integer, Map<String, String>> mappings = new HashMap<>();
        /** Every original read for the leak check. */
        private final Set<String> originals = new HashSet<>();
        /** How many times the fakes just drawn again were looked at without the whole mapping. */
        private int amongRounds;
        /** Every original a fake was computed for. */
        private final Set<String> faked = new HashSet<>();
        /** Whether it holds snapshots ({@link #holdSnapshot}), as PostgreSQL's repeatable read does. */
        private boolean snapshots;
        /** The rows as they were when the snapshot was taken; {@code null} when none is held. */
        private volatile Map<String, List<Map<String, String>>> snapshot;
        /** Counted down when a table is emptied. */
        private final CountDownLatch removing = new CountDownLatch(1);
        /** Whether the originals were read from the snapshot after a table was emptied. */
        private volatile boolean readWhileRemoving;

        void table(String name, String... columns)
        {
            List<Column> textColumns = new ArrayList<>();
            for (String column : columns) {
                textColumns.add(new Column(column, "text", true, 0, true, false));
            }
            tables.add(new Table("public", name, name, textColumns));
            rows.put(name, new ArrayList<>());
        }

        /** A table of one text column that holds at most {@code maxLength} characters. */
        void tableOfLength(String name, String column, int maxLength)
        {
            tables.add(new Table("public", name, name, List.of(new Column(column, "varchar", true, maxLength, true, false))));
            rows.put(name, new ArrayList<>());
        }

        /** A table of one text column with a unique constraint. */
        void uniqueTable(String name, String column)
        {
            tables.add(new Table("public", name, name, List.of(new Column(column, "text", true, 0, true, true))));
            rows.put(name, new ArrayList<>());
        }

        void row(String table, Map<String, String> values)
        {
            rows.get(table).add(new HashMap<>(values));
        }

        List<Map<String, String>> rows(String table)
        {
            return rows.get(table);
        }

        @Override
        public List<Table> tables()
        {
            return tables;
        }

        @Override
        public List<ForeignKey> foreignKeys()
        {
            return List.of();
        }

        @Override
        public long countRows(Table table)
        {
            return rows.get(table.name()).size();
        }

        @Override
        public void markRowsToRemove(Table table, String condition)
        {
            throw new UnsupportedOperationException();
        }

        @Override
        public long removeMarkedRows(Table table)
        {
            throw new UnsupportedOperationException();
        }

        @Override
        public long removeAllRows(Table table)
        {
            long count = countRows(table);
            rows.get(table.name()).clear();
            removing.countDown();
            return count;
        }

        @Override
        public boolean holdSnapshot()
        {
            if (!snapshots) {
                return false;
            }
            Map<String, List<Map<String, String>>> copy = new HashMap<>();
            rows.forEach((table, tableRows) -> copy.put(table, tableRows.stream().<Map<String, String>>map(HashMap::new).toList()));
            snapshot = copy;
            return true;
        }

        @Override
        public void releaseSnapshot()
        {
            snapshot = null;
        }

        @Override
        public List<String> sampleValues(Table table, Column column, int limit)
        {
            return rows.get(table.name()).stream().map(row -> row.get(column.name())).filter(value -> value != null).limit(limit).toList();
        }

        private List<String> distinct(List<ColumnReference> columns)
        {
            return distinct(rows, columns);
        }

        private static List<String> distinct(Map<String, List<Map<String, String>>> rows, List<ColumnReference> columns)
        {
            return columns.stream()
                    .flatMap(reference -> rows.get(reference.table().name()).stream().map(row -> row.get(reference.column().name())))
                    .filter(value -> value != null).distinct().toList();
        }

        /** The values as the other connection reads them: in the snapshot while one is held, after the removal has begun. */
        private List<String> distinctAsRead(List<ColumnReference> columns)
        {
            Map<String, List<Map<String, String>>> held = snapshot;
            if (held == null) {
                return distinct(columns);
            }
            try {
                readWhileRemoving = removing.await(10, TimeUnit.SECONDS);
            }
            catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
            return distinct(held, columns);
        }

        @Override
        public void readOriginals(List<ColumnReference> columns, Consumer<String> original)
        {
            List<String> read = distinctAsRead(columns);
            originals.addAll(read);
            read.forEach(original);
        }

        @Override
        public long createMapping(int mapping, List<ColumnReference> columns, UnaryOperator<List<String>> fakes)
        {
            List<String> distinct = distinct(columns);
            faked.addAll(distinct);
            List<String> drawn = fakes.apply(distinct);
            Map<String, String> pairs = new HashMap<>();
            for (int index = 0; index < distinct.size(); index++) {
                pairs.put(distinct.get(index), drawn.get(index));
            }
            mappings.put(mapping, pairs);
            return distinct.size();
        }

        @Override
        public List<String> originalsToRedraw(int mapping, int limit)
        {
            Map<String, String> pairs = mappings.get(mapping);
            // as the engines do: the fake of a smaller original
            return pairs.entrySet().stream()
                    .filter(entry -> pairs.entrySet().stream().anyMatch(other -> other.getValue().equals(entry.getValue()) && other.getKey().compareTo(entry.getKey()) < 0))
                    .map(Map.Entry::getKey).sorted().limit(limit).toList();
        }

        @Override
        public List<String> originalsToRedrawAmong(int mapping, List<String> among)
        {
            Map<String, String> pairs = mappings.get(mapping);
            amongRounds++;
            return among.stream()
                    .filter(original -> pairs.entrySet().stream()
                            .anyMatch(other -> other.getValue().equals(pairs.get(original)) && !other.getKey().equals(original)
                                    && (!among.contains(other.getKey()) || other.getKey().compareTo(original) < 0)))
                    .toList();
        }

        @Override
        public void replaceFakes(int mapping, Map<String, String> fakes)
        {
            mappings.get(mapping).putAll(fakes);
        }

        @Override
        public boolean hasRepeatedFakes(int mapping)
        {
            return new HashSet<>(mappings.get(mapping).values()).size() < mappings.get(mapping).size();
        }

        @Override
        public void applyMasks(Table table, Map<Column, Optional<Integer>> columns)
        {
            for (Map<String, String> row : rows.get(table.name())) {
                columns.forEach((column, mapping) -> row.put(column.name(), mapping.map(number -> mappings.get(number).get(row.get(column.name()))).orElse(null)));
            }
        }

        @Override
        public boolean anyValue(Table table, List<Column> columns, BiPredicate<Column, String> test)
        {
            return rows.get(table.name()).stream()
                    .anyMatch(row -> columns.stream().anyMatch(column -> row.get(column.name()) != null && test.test(column, row.get(column.name()))));
        }

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
    }
}
