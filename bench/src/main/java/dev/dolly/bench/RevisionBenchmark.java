package dev.dolly.bench;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.dolly.api.DataContainer;
import dev.dolly.api.DataImage;
import dev.dolly.api.Revision;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Save, load and reset of one container, timed through the API: per driver and image, a container is created, a row
 * is committed, then {@code runs} times: a row is committed, the container is saved (a new revision), a row is written
 * that is not saved, and {@code rev.1} is loaded again; then {@code runs} resets, each after a row that is not saved.
 * Each operation is timed twice: until the API answers, and until the first query over a new connection has answered
 * (that query checks that the container holds what it should). One untimed cycle (save, load, reset) comes first.
 */
final class RevisionBenchmark
{
    static final double TARGET_SECONDS = 0.5;
    static final double TARGET_RATIO = 1.2;
    static final String TABLE = "pgbench_history";

    private static final Pattern SAVE_LINE = Pattern.compile(
            "Container (\\S+) \\(\\d+\\) saved as rev\\.\\d+ in (\\d+) ms \\(stop (\\d+) ms, snapshot (\\d+) ms, start (\\d+) ms\\)");
    private static final Pattern RESTORE_LINE = Pattern.compile(
            "Container (\\S+) \\(\\d+\\): (load rev\\.\\d+|reset) in (\\d+) ms \\(stop (\\d+) ms, clone (\\d+) ms, start (\\d+) ms\\)");

    /** The operations measured, in the order of the reports. */
    enum Operation
    {
        SAVE("save"),
        LOAD("load"),
        RESET("reset");

        private final String id;

        Operation(String id)
        {
            this.id = id;
        }

        String id()
        {
            return id;
        }
    }

    private final int runs;

    RevisionBenchmark(int runs)
    {
        this.runs = runs;
    }

    /** The query that answers the rows of {@link #TABLE}, which tell which revision a container holds. */
    static String stateQuery(Engine engine)
    {
        return switch (engine) {
            case POSTGRESQL -> "select coalesce(string_agg(delta::text, ',' order by delta), '') from " + TABLE;
            case MARIADB -> "select coalesce(group_concat(delta order by delta separator ','), '') from " + TABLE;
        };
    }

    RevisionResult measure(DriverSession session, DataImage image, ImageSize size)
            throws IOException, SQLException
    {
        StorageDriver driver = session.driver();
        Log.log("[" + driver + "] Revisions of a container of " + image.name() + ": " + runs + " saves, loads and resets");
        DataContainer container = session.createContainer(image.name(), "rev-" + size);
        Engine engine = Engine.of(container.engine());
        long databaseSize = Queries.firstNumber(container, Engine.of(image.engine()).databaseSizeQuery());
        String before = Queries.firstText(container, stateQuery(engine));
        if (!before.isEmpty()) {
            throw new IllegalStateException(TABLE + " of " + image.name() + " is not empty: " + before);
        }
        Map<Operation, List<Double>> api = new EnumMap<>(Operation.class);
        Map<Operation, List<Double>> firstQuery = new EnumMap<>(Operation.class);
        for (Operation operation : Operation.values()) {
            api.put(operation, new ArrayList<>());
            firstQuery.put(operation, new ArrayList<>());
        }
        List<RevisionSummary> revisions = new ArrayList<>();

        // the untimed cycle: rev.1 holds the row 1
        write(container, 1);
        long t0 = System.nanoTime();
        Revision first = session.client().saveRevision(container.name());
        long t1 = System.nanoTime();
        check(container, engine, "1", "after saving " + first.name());
        long t2 = System.nanoTime();
        if (!first.name().equals("rev.1")) {
            throw new IllegalStateException("The first save made " + first.name() + ", not rev.1");
        }
        double saveSeconds = Timings.seconds(t0, t1);
        double saveToFirstQuerySeconds = Timings.seconds(t0, t2);
        revisions.add(RevisionSummary.of(first));
        String rev1 = "1";
        write(container, -1);
        t0 = System.nanoTime();
        session.client().loadRevision(container.name(), "rev.1");
        t1 = System.nanoTime();
        check(container, engine, rev1, "after loading rev.1");
        t2 = System.nanoTime();
        double loadSeconds = Timings.seconds(t0, t1);
        double loadToFirstQuerySeconds = Timings.seconds(t0, t2);
        write(container, -2);
        t0 = System.nanoTime();
        session.client().reset(container.name());
        t1 = System.nanoTime();
        check(container, engine, rev1, "after a reset");
        t2 = System.nanoTime();
        WarmUp warmUp = new WarmUp(saveSeconds, saveToFirstQuerySeconds, loadSeconds, loadToFirstQuerySeconds, Timings.seconds(t0, t1),
                Timings.seconds(t0, t2));

        for (int run = 1; run <= runs; run++) {
            int saved = 100 + run;
            write(container, saved);
            t0 = System.nanoTime();
            Revision revision = session.client().saveRevision(container.name());
            t1 = System.nanoTime();
            check(container, engine, "1," + saved, "after saving " + revision.name());
            t2 = System.nanoTime();
            api.get(Operation.SAVE).add(Timings.seconds(t0, t1));
            firstQuery.get(Operation.SAVE).add(Timings.seconds(t0, t2));
            revisions.add(RevisionSummary.of(revision));
            double save = Timings.seconds(t0, t1);
            double saveQuery = Timings.seconds(t0, t2);

            write(container, -saved);
            t0 = System.nanoTime();
            session.client().loadRevision(container.name(), "rev.1");
            t1 = System.nanoTime();
            check(container, engine, rev1, "after loading rev.1");
            t2 = System.nanoTime();
            api.get(Operation.LOAD).add(Timings.seconds(t0, t1));
            firstQuery.get(Operation.LOAD).add(Timings.seconds(t0, t2));
            Log.log(String.format(Locale.ROOT, "  [%s] %s %d/%d: save → %s %.3f s (first query %.3f s, %s), load rev.1 %.3f s (first query %.3f s)",
                    driver, size, run, runs, revision.name(), save, saveQuery, Markdown.megabytes(revision.sizeBytes()), Timings.seconds(t0, t1),
                    Timings.seconds(t0, t2)));
            // untimed: the copy driver would otherwise fill its file system with full copies
            session.client().deleteRevision(container.name(), revision.name());
        }
        for (int run = 1; run <= runs; run++) {
            write(container, 200 + run);
            t0 = System.nanoTime();
            session.client().reset(container.name());
            t1 = System.nanoTime();
            check(container, engine, rev1, "after a reset");
            t2 = System.nanoTime();
            api.get(Operation.RESET).add(Timings.seconds(t0, t1));
            firstQuery.get(Operation.RESET).add(Timings.seconds(t0, t2));
            Log.log(String.format(Locale.ROOT, "  [%s] %s reset %d/%d: %.3f s (first query %.3f s)", driver, size, run, runs, Timings.seconds(t0, t1),
                    Timings.seconds(t0, t2)));
        }
        List<RevisionSummary> listed = session.client().listRevisions(container.name()).stream().map(RevisionSummary::of).toList();
        session.deleteContainer(container.name());

        Map<Operation, OperationTimings> timings = new EnumMap<>(Operation.class);
        for (Operation operation : Operation.values()) {
            timings.put(operation, new OperationTimings(new Timings(api.get(operation)), new Timings(firstQuery.get(operation))));
        }
        return new RevisionResult(size, image.name(), image.sizeBytes(), databaseSize, timings.get(Operation.SAVE), timings.get(Operation.LOAD),
                timings.get(Operation.RESET), warmUp, revisions, listed, daemonBreakdown(session.daemon().log(), container.name()));
    }

    /** The daemon's own timing of each step, from its log lines of this container, the untimed cycle left out. */
    private static Map<String, DaemonSteps> daemonBreakdown(Path log, String container)
            throws IOException
    {
        Map<Operation, List<long[]>> steps = new EnumMap<>(Operation.class);
        for (Operation operation : Operation.values()) {
            steps.put(operation, new ArrayList<>());
        }
        for (String line : Files.readAllLines(log)) {
            Matcher save = SAVE_LINE.matcher(line);
            if (save.find() && save.group(1).equals(container)) {
                steps.get(Operation.SAVE).add(new long[] {Long.parseLong(save.group(2)), Long.parseLong(save.group(3)), Long.parseLong(save.group(4)),
                        Long.parseLong(save.group(5))});
                continue;
            }
            Matcher restore = RESTORE_LINE.matcher(line);
            if (restore.find() && restore.group(1).equals(container)) {
                steps.get(restore.group(2).equals("reset") ? Operation.RESET : Operation.LOAD).add(new long[] {Long.parseLong(restore.group(3)),
                        Long.parseLong(restore.group(4)), Long.parseLong(restore.group(5)), Long.parseLong(restore.group(6))});
            }
        }
        Map<String, DaemonSteps> result = new LinkedHashMap<>();
        for (Map.Entry<Operation, List<long[]>> entry : steps.entrySet()) {
            List<long[]> lines = entry.getValue();
            if (lines.size() < 2) {
                continue;
            }
            List<long[]> timed = lines.subList(1, lines.size());
            StepMillis middle = StepMillis.of(timed, 2);
            boolean save = entry.getKey() == Operation.SAVE;
            result.put(entry.getKey().id(), new DaemonSteps(StepMillis.of(timed, 0), StepMillis.of(timed, 1), save ? middle : null, save ? null : middle,
                    StepMillis.of(timed, 3)));
        }
        return result;
    }

    /** Commits one row, over a connection of its own (a save or a load closes connections). */
    private static void write(DataContainer container, int delta)
            throws SQLException
    {
        Queries.execute(container, "insert into " + TABLE + " (tid, bid, aid, delta, mtime) values (0, 0, 0, " + delta + ", now())");
    }

    /** Connects and checks, with the first query, that the table holds the rows it should. */
    private static void check(DataContainer container, Engine engine, String expected, String when)
            throws SQLException
    {
        String state = Queries.firstText(container, stateQuery(engine));
        if (!state.equals(expected)) {
            throw new IllegalStateException(container.name() + " " + when + " holds the rows [" + state + "] of " + TABLE + ", not [" + expected + "]");
        }
    }

    /**
     * What was measured for one driver and image, as {@code drivers[].sizes[]} of {@code revisions.json}.
     *
     * @param warmUp the untimed cycle
     * @param savedRevisions what each save answered, {@code rev.1} first
     * @param daemonLog per operation, the medians of the daemon's own split of its timed runs
     */
    record RevisionResult(
            ImageSize size,
            String image,
            Long imageSizeBytes,
            long databaseSizeBytes,
            OperationTimings save,
            OperationTimings load,
            OperationTimings reset,
            WarmUp warmUp,
            List<RevisionSummary> savedRevisions,
            List<RevisionSummary> revisionsListedAtTheEnd,
            Map<String, DaemonSteps> daemonLog)
    {
        OperationTimings timings(Operation operation)
        {
            return switch (operation) {
                case SAVE -> save;
                case LOAD -> load;
                case RESET -> reset;
            };
        }
    }

    /**
     * @param api the HTTP call until its answer
     * @param toFirstQuery until the first query over a new connection has answered
     */
    record OperationTimings(Timings api, Timings toFirstQuery) {}

    record WarmUp(
            double saveSeconds,
            double saveToFirstQuerySeconds,
            double loadSeconds,
            double loadToFirstQuerySeconds,
            double resetSeconds,
            double resetToFirstQuerySeconds) {}

    record RevisionSummary(String name, String parent, Long sizeBytes, boolean current)
    {
        static RevisionSummary of(Revision revision)
        {
            return new RevisionSummary(revision.name(), revision.parent(), revision.sizeBytes(), revision.current());
        }
    }

    /** The daemon's split of one operation: {@code snapshotMillis} for a save, {@code cloneMillis} for a load or a reset. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record DaemonSteps(StepMillis totalMillis, StepMillis stopMillis, StepMillis snapshotMillis, StepMillis cloneMillis, StepMillis startMillis)
    {
        StepMillis middle()
        {
            return snapshotMillis != null ? snapshotMillis : cloneMillis;
        }
    }

    record StepMillis(long median, List<Long> runs)
    {
        static StepMillis of(List<long[]> lines, int index)
        {
            List<Long> runs = lines.stream().map(step -> step[index]).toList();
            return new StepMillis(Timings.median(runs.stream().sorted().toList()), runs);
        }
    }
}
