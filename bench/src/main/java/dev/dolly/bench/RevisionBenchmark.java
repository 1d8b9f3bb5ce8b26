package dev.dolly.bench;

import dev.dolly.api.DataContainer;
import dev.dolly.api.DataImage;
import dev.dolly.api.Revision;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
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
    static final List<String> OPERATIONS = List.of("save", "load", "reset");
    static final double TARGET_SECONDS = 0.5;
    static final double TARGET_RATIO = 1.2;
    static final String TABLE = "pgbench_history";
    static final String STATE_QUERY = "select coalesce(string_agg(delta::text, ',' order by delta), '') from " + TABLE;
    static final String MARIADB_STATE_QUERY = "select coalesce(group_concat(delta order by delta separator ','), '') from " + TABLE;

    private static final Pattern SAVE_LINE = Pattern.compile(
            "Container (\\S+) \\(\\d+\\) saved as rev\\.\\d+ in (\\d+) ms \\(stop (\\d+) ms, snapshot (\\d+) ms, start (\\d+) ms\\)");
    private static final Pattern RESTORE_LINE = Pattern.compile(
            "Container (\\S+) \\(\\d+\\): (load rev\\.\\d+|reset) in (\\d+) ms \\(stop (\\d+) ms, clone (\\d+) ms, start (\\d+) ms\\)");

    /** What was measured for one driver and image. */
    record Result(String driver, String size, Map<String, Timings> api, Map<String, Timings> firstQuery, Map<String, Object> json) {}

    private RevisionBenchmark() {}

    static Result measure(CloneBenchmark.Session session, DataImage image, String size, int runs)
            throws IOException, SQLException
    {
        String driver = session.driver;
        CloneBenchmark.log("[" + driver + "] Revisions of a container of " + image.name() + ": " + runs + " saves, loads and resets");
        DataContainer container = session.createContainer(image.name(), "rev-" + size);
        long databaseSize = Long.parseLong(query(container, CloneBenchmark.databaseSizeQuery(image.engine())));
        String before = query(container, stateQuery(container.engine()));
        if (!before.isEmpty()) {
            throw new IllegalStateException(TABLE + " of " + image.name() + " is not empty: " + before);
        }
        Map<String, Timings> api = new LinkedHashMap<>();
        Map<String, Timings> firstQuery = new LinkedHashMap<>();
        OPERATIONS.forEach(operation -> {
            api.put(operation, new Timings());
            firstQuery.put(operation, new Timings());
        });
        Map<String, Object> warmUp = new LinkedHashMap<>();
        List<Map<String, Object>> revisions = new ArrayList<>();

        // the untimed cycle: rev.1 holds the row 1
        write(container, 1);
        long t0 = System.nanoTime();
        Revision first = session.client.saveRevision(container.name());
        long t1 = System.nanoTime();
        check(container, "1", "after saving " + first.name());
        long t2 = System.nanoTime();
        if (!first.name().equals("rev.1")) {
            throw new IllegalStateException("The first save made " + first.name() + ", not rev.1");
        }
        warmUp.put("saveSeconds", seconds(t0, t1));
        warmUp.put("saveToFirstQuerySeconds", seconds(t0, t2));
        revisions.add(revision(first));
        String rev1 = "1";
        write(container, -1);
        t0 = System.nanoTime();
        session.client.loadRevision(container.name(), "rev.1");
        t1 = System.nanoTime();
        check(container, rev1, "after loading rev.1");
        t2 = System.nanoTime();
        warmUp.put("loadSeconds", seconds(t0, t1));
        warmUp.put("loadToFirstQuerySeconds", seconds(t0, t2));
        write(container, -2);
        t0 = System.nanoTime();
        session.client.reset(container.name());
        t1 = System.nanoTime();
        check(container, rev1, "after a reset");
        t2 = System.nanoTime();
        warmUp.put("resetSeconds", seconds(t0, t1));
        warmUp.put("resetToFirstQuerySeconds", seconds(t0, t2));

        List<Map<String, Object>> deleted = new ArrayList<>();
        for (int run = 1; run <= runs; run++) {
            int saved = 100 + run;
            write(container, saved);
            t0 = System.nanoTime();
            Revision revision = session.client.saveRevision(container.name());
            t1 = System.nanoTime();
            check(container, "1," + saved, "after saving " + revision.name());
            t2 = System.nanoTime();
            api.get("save").add(t0, t1);
            firstQuery.get("save").add(t0, t2);
            revisions.add(revision(revision));
            double save = seconds(t0, t1);
            double saveQuery = seconds(t0, t2);

            write(container, -saved);
            t0 = System.nanoTime();
            session.client.loadRevision(container.name(), "rev.1");
            t1 = System.nanoTime();
            check(container, rev1, "after loading rev.1");
            t2 = System.nanoTime();
            api.get("load").add(t0, t1);
            firstQuery.get("load").add(t0, t2);
            CloneBenchmark.log(String.format(Locale.ROOT, "  [%s] %s %d/%d: save → %s %.3f s (first query %.3f s, %s), load rev.1 %.3f s (first query %.3f s)",
                    driver, size, run, runs, revision.name(), save, saveQuery, megabytes(revision.sizeBytes()), seconds(t0, t1), seconds(t0, t2)));
            // untimed: the copy driver would otherwise fill its file system with full copies
            session.client.deleteRevision(container.name(), revision.name());
            deleted.add(Map.of("revision", revision.name()));
        }
        for (int run = 1; run <= runs; run++) {
            write(container, 200 + run);
            t0 = System.nanoTime();
            session.client.reset(container.name());
            t1 = System.nanoTime();
            check(container, rev1, "after a reset");
            t2 = System.nanoTime();
            api.get("reset").add(t0, t1);
            firstQuery.get("reset").add(t0, t2);
            CloneBenchmark.log(String.format(Locale.ROOT, "  [%s] %s reset %d/%d: %.3f s (first query %.3f s)", driver, size, run, runs, seconds(t0, t1),
                    seconds(t0, t2)));
        }
        List<Map<String, Object>> listed = new ArrayList<>();
        for (Revision revision : session.client.listRevisions(container.name())) {
            listed.add(revision(revision));
        }
        session.deleteContainer(container.name());

        Map<String, Object> json = new LinkedHashMap<>();
        json.put("size", size);
        json.put("image", image.name());
        json.put("imageSizeBytes", image.sizeBytes());
        json.put("databaseSizeBytes", databaseSize);
        for (String operation : OPERATIONS) {
            Map<String, Object> timings = new LinkedHashMap<>();
            timings.put("api", api.get(operation).toJson());
            timings.put("toFirstQuery", firstQuery.get(operation).toJson());
            json.put(operation, timings);
        }
        json.put("warmUp", warmUp);
        json.put("savedRevisions", revisions);
        json.put("revisionsListedAtTheEnd", listed);
        json.put("daemonLog", daemonBreakdown(session.daemon.log(), container.name()));
        return new Result(driver, size, api, firstQuery, json);
    }

    /** The daemon's own timing of each step, from its log lines of this container, the untimed cycle left out. */
    private static Map<String, Object> daemonBreakdown(Path log, String container)
            throws IOException
    {
        Map<String, List<long[]>> steps = new LinkedHashMap<>();
        OPERATIONS.forEach(operation -> steps.put(operation, new ArrayList<>()));
        for (String line : Files.readAllLines(log)) {
            Matcher save = SAVE_LINE.matcher(line);
            if (save.find() && save.group(1).equals(container)) {
                steps.get("save").add(new long[] {Long.parseLong(save.group(2)), Long.parseLong(save.group(3)), Long.parseLong(save.group(4)),
                        Long.parseLong(save.group(5))});
                continue;
            }
            Matcher restore = RESTORE_LINE.matcher(line);
            if (restore.find() && restore.group(1).equals(container)) {
                steps.get(restore.group(2).equals("reset") ? "reset" : "load").add(new long[] {Long.parseLong(restore.group(3)),
                        Long.parseLong(restore.group(4)), Long.parseLong(restore.group(5)), Long.parseLong(restore.group(6))});
            }
        }
        Map<String, Object> result = new LinkedHashMap<>();
        for (Map.Entry<String, List<long[]>> entry : steps.entrySet()) {
            List<long[]> lines = entry.getValue();
            if (lines.size() < 2) {
                continue;
            }
            List<long[]> timed = lines.subList(1, lines.size());
            String middle = entry.getKey().equals("save") ? "snapshot" : "clone";
            Map<String, Object> medians = new LinkedHashMap<>();
            String[] names = {"totalMillis", "stopMillis", middle + "Millis", "startMillis"};
            for (int i = 0; i < names.length; i++) {
                int index = i;
                List<Long> values = timed.stream().map(step -> step[index]).sorted().toList();
                Map<String, Object> value = new LinkedHashMap<>();
                value.put("median", median(values));
                value.put("runs", timed.stream().map(step -> step[index]).toList());
                medians.put(names[i], value);
            }
            result.put(entry.getKey(), medians);
        }
        return result;
    }

    private static long median(List<Long> sorted)
    {
        int size = sorted.size();
        return size % 2 == 1 ? sorted.get(size / 2) : (sorted.get(size / 2 - 1) + sorted.get(size / 2)) / 2;
    }

    private static Map<String, Object> revision(Revision revision)
    {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("name", revision.name());
        json.put("parent", revision.parent());
        json.put("sizeBytes", revision.sizeBytes());
        json.put("current", revision.current());
        return json;
    }

    /** Commits one row, over a connection of its own (a save or a load closes connections). */
    private static void write(DataContainer container, int delta)
            throws SQLException
    {
        try (Connection connection = DriverManager.getConnection(container.jdbcUrl(), container.user(), container.password());
                Statement statement = connection.createStatement()) {
            statement.executeUpdate("insert into " + TABLE + " (tid, bid, aid, delta, mtime) values (0, 0, 0, " + delta + ", now())");
        }
    }

    /** Connects and checks, with the first query, that the table holds the rows it should. */
    private static void check(DataContainer container, String expected, String when)
            throws SQLException
    {
        String state = query(container, stateQuery(container.engine()));
        if (!state.equals(expected)) {
            throw new IllegalStateException(container.name() + " " + when + " holds the rows [" + state + "] of " + TABLE + ", not [" + expected + "]");
        }
    }

    private static String stateQuery(String engine)
    {
        return engine.equals("postgresql") ? STATE_QUERY : MARIADB_STATE_QUERY;
    }

    private static String query(DataContainer container, String query)
            throws SQLException
    {
        try (Connection connection = DriverManager.getConnection(container.jdbcUrl(), container.user(), container.password());
                Statement statement = connection.createStatement();
                ResultSet result = statement.executeQuery(query)) {
            if (!result.next()) {
                throw new IllegalStateException("'" + query + "' answered no row");
            }
            return result.getString(1);
        }
    }

    private static double seconds(long from, long to)
    {
        return Timings.round((to - from) / 1e9);
    }

    static String megabytes(Long bytes)
    {
        return bytes == null || bytes < 0 ? "?" : String.format(Locale.ROOT, "%.1f MiB", bytes / (double) (1L << 20));
    }

    // --- the report ----------------------------------------------------------------------------------------------

    /** Writes revisions.json, revisions.md and revisions.png ({@code revisions-mariadb.*} for MariaDB); answers the markdown. */
    static String write(Path output, String fileName, String engine, List<Result> results, Map<String, Object> header, List<String> drivers, List<String> sizes, int runs,
                        double totalSeconds)
            throws IOException
    {
        Map<String, Object> ratios = new LinkedHashMap<>();
        List<Map<String, Object>> targets = new ArrayList<>();
        for (String driver : drivers) {
            Result small = find(results, driver, "1g");
            Result large = find(results, driver, "5g");
            Map<String, Object> driverRatios = new LinkedHashMap<>();
            for (String operation : OPERATIONS) {
                if (small != null && large != null) {
                    Map<String, Object> ratio = new LinkedHashMap<>();
                    ratio.put("api", Timings.round(large.api().get(operation).median() / small.api().get(operation).median()));
                    ratio.put("toFirstQuery", Timings.round(large.firstQuery().get(operation).median() / small.firstQuery().get(operation).median()));
                    driverRatios.put(operation, ratio);
                }
            }
            ratios.put(driver, driverRatios);
            for (String operation : List.of("save", "load")) {
                if (small != null) {
                    double apiMedian = small.api().get(operation).median();
                    double queryMedian = small.firstQuery().get(operation).median();
                    targets.add(target(driver + ": " + operation + " at 1 GB, median ≤ " + TARGET_SECONDS + " s", apiMedian, apiMedian <= TARGET_SECONDS,
                            queryMedian, queryMedian <= TARGET_SECONDS));
                }
                if (small != null && large != null) {
                    Map<?, ?> ratio = (Map<?, ?>) driverRatios.get(operation);
                    double apiRatio = (Double) ratio.get("api");
                    double queryRatio = (Double) ratio.get("toFirstQuery");
                    targets.add(target(driver + ": " + operation + " median at 5 GB ÷ at 1 GB ≤ " + TARGET_RATIO, apiRatio, apiRatio <= TARGET_RATIO,
                            queryRatio, queryRatio <= TARGET_RATIO));
                }
            }
        }

        Map<String, Object> report = new LinkedHashMap<>(header);
        report.put("benchmark", "save, load and reset of a data container's revisions, per storage driver and image size");
        report.put("runs", runs);
        report.put("method", "per driver and image: a container; a row committed; one untimed cycle (save → rev.1, load rev.1, reset); then "
                + runs + " times: commit a row, save (→ rev.N), write a row not saved, load rev.1, delete rev.N (untimed); then " + runs
                + " resets, each after a row not saved. 'api': the HTTP call until its answer. 'toFirstQuery': until the first query over a new "
                + "connection has answered, which checks the rows of " + TABLE + " (the saved rows after a save, rev.1's after a load or reset).");
        List<Map<String, Object>> perDriver = new ArrayList<>();
        for (String driver : drivers) {
            Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("driver", driver);
            entry.put("sizes", results.stream().filter(result -> result.driver().equals(driver)).map(Result::json).toList());
            perDriver.add(entry);
        }
        report.put("drivers", perDriver);
        report.put("ratios5gTo1g", ratios);
        report.put("targets", targets);
        report.put("totalSeconds", totalSeconds);

        Files.createDirectories(output);
        Files.writeString(output.resolve(fileName + ".json"), dev.dolly.api.Json.json().writerWithDefaultPrettyPrinter().writeValueAsString(report) + "\n");
        String markdown = markdown(fileName, engine, report, results, drivers, sizes, runs, ratios, targets, totalSeconds);
        Files.writeString(output.resolve(fileName + ".md"), markdown);
        chart(results, drivers, sizes).write(output.resolve(fileName + ".png"));
        return markdown;
    }

    private static Result find(List<Result> results, String driver, String size)
    {
        return results.stream().filter(result -> result.driver().equals(driver) && result.size().equals(size)).findFirst().orElse(null);
    }

    private static Map<String, Object> target(String target, double api, boolean apiMet, double query, boolean queryMet)
    {
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("target", target);
        result.put("measuredApi", api);
        result.put("metApi", apiMet);
        result.put("measuredToFirstQuery", query);
        result.put("metToFirstQuery", queryMet);
        return result;
    }

    @SuppressWarnings("unchecked")
    private static String markdown(String fileName, String engine, Map<String, Object> report, List<Result> results, List<String> drivers, List<String> sizes, int runs,
                                   Map<String, Object> ratios, List<Map<String, Object>> targets, double totalSeconds)
    {
        StringBuilder text = new StringBuilder();
        text.append("# Revisions: save, load and reset, per storage driver and image size\n\n");
        text.append("Measured ").append(report.get("date")).append(" by `bench/run-clone-benchmark --phases revisions` (see `bench/README.md`); ")
                .append("load average at the start: ").append(report.get("loadAverageAtStart")).append(".\n\n");
        List<List<String>> rows = new ArrayList<>();
        for (String driver : drivers) {
            for (String size : sizes) {
                Result result = find(results, driver, size);
                if (result == null) {
                    continue;
                }
                List<String> row = new ArrayList<>(List.of(driver, size, megabytes(((Number) result.json().get("databaseSizeBytes")).longValue())));
                for (String operation : OPERATIONS) {
                    row.add(result.api().get(operation).summary());
                }
                for (String operation : OPERATIONS) {
                    row.add(result.firstQuery().get(operation).summary());
                }
                rows.add(row);
            }
        }
        String sizeColumn = engine.equals("postgresql") ? "pg_database_size" : "data and indexes";
        text.append(table(List.of("driver", "size", sizeColumn, "save", "load rev.1", "reset", "save → first query", "load → first query",
                "reset → first query"), rows)).append("\n\n");
        text.append("Median of ").append(runs).append(" runs per operation, in seconds, with the fastest and slowest run in parentheses. ")
                .append("**save**, **load rev.1**, **reset**: the API call (`POST …/revisions`, `POST …/load`, `POST …/reset`) until its answer; the ")
                .append("daemon answers once the server has started again and accepts connections. **→ first query**: the same, until a new ")
                .append("connection's first query has answered; that query (`").append(stateQuery(engine)).append("`) checked every time that the ")
                .append("container held the rows it should (after a save: the rows committed before it; after a load of rev.1 or a reset: rev.1's, ")
                .append("without the row written since).\n\n");
        text.append("Per driver and image: one container; one row committed; one untimed cycle (save → `rev.1`, load `rev.1`, reset, ")
                .append("recorded as `warmUp` in `").append(fileName).append(".json`); then ").append(runs).append(" times: commit a row, **save** (→ `rev.N`), write a ")
                .append("row that is not saved, **load rev.1**, delete `rev.N` (untimed, so that the `copy` driver does not fill its file system); ")
                .append("then ").append(runs).append(" **resets** (to `rev.1`), each after a row that is not saved.\n\n");

        text.append("## 5 GB ÷ 1 GB\n\n");
        List<List<String>> ratioRows = new ArrayList<>();
        for (String driver : drivers) {
            Map<String, Object> driverRatios = (Map<String, Object>) ratios.get(driver);
            if (driverRatios == null || driverRatios.isEmpty()) {
                continue;
            }
            List<String> row = new ArrayList<>(List.of(driver));
            for (String operation : OPERATIONS) {
                Map<String, Object> ratio = (Map<String, Object>) driverRatios.get(operation);
                row.add(String.format(Locale.ROOT, "%.2f× (%.2f×)", (Double) ratio.get("api"), (Double) ratio.get("toFirstQuery")));
            }
            ratioRows.add(row);
        }
        if (ratioRows.isEmpty()) {
            text.append("Not measured (needs the sizes 1g and 5g).\n\n");
        }
        else {
            text.append(table(List.of("driver", "save", "load rev.1", "reset"), ratioRows)).append("\n\n");
            text.append("Ratio of the medians at 5 GB and at 1 GB: API call (until the first query in parentheses). Near 1: the time does not ")
                    .append("depend on the size.\n\n");
        }

        text.append("## Targets\n\n");
        List<List<String>> targetRows = new ArrayList<>();
        for (Map<String, Object> target : targets) {
            targetRows.add(List.of(String.valueOf(target.get("target")), format(target.get("measuredApi")),
                    Boolean.TRUE.equals(target.get("metApi")) ? "met" : "**not met**", format(target.get("measuredToFirstQuery")),
                    Boolean.TRUE.equals(target.get("metToFirstQuery")) ? "met" : "**not met**"));
        }
        text.append(targetRows.isEmpty() ? "No target applies to the drivers and sizes measured." : table(List.of("target", "API call", "",
                "until the first query", ""), targetRows)).append("\n\n");

        text.append("## Where the time goes\n\n");
        List<List<String>> stepRows = new ArrayList<>();
        for (Result result : results) {
            Map<String, Object> log = (Map<String, Object>) result.json().get("daemonLog");
            for (String operation : OPERATIONS) {
                Map<String, Object> steps = (Map<String, Object>) log.get(operation);
                if (steps == null) {
                    continue;
                }
                String middle = operation.equals("save") ? "snapshotMillis" : "cloneMillis";
                stepRows.add(List.of(result.driver(), result.size(), operation, millis(steps.get("stopMillis")), millis(steps.get(middle)),
                        millis(steps.get("startMillis")), millis(steps.get("totalMillis")),
                        String.format(Locale.ROOT, "%.0f ms", result.api().get(operation).median() * 1000)));
            }
        }
        text.append(table(List.of("driver", "size", "operation", "stop", "snapshot (save) / clone (load, reset)", "start", "daemon total",
                "API call"), stepRows)).append("\n\n");
        text.append("Medians of the daemon's own timings, from its log lines (`saved as rev.N in … ms (stop …, snapshot …, start …)`, ")
                .append("`load rev.1 in … ms (stop …, clone …, start …)`), timed runs only. A load and a reset also delete the container's volume ")
                .append("before the clone, counted in \"clone\". The API call adds HTTP, the catalog and, for a save, measuring the revision's size, ")
                .append("which the daemon does after the server has started.\n\n");

        text.append("## Revision sizes\n\n");
        List<List<String>> sizeRows = new ArrayList<>();
        for (Result result : results) {
            List<Map<String, Object>> saved = (List<Map<String, Object>>) result.json().get("savedRevisions");
            List<String> reported = saved.stream().map(revision -> megabytes((Long) revision.get("sizeBytes"))).toList();
            sizeRows.add(List.of(result.driver(), result.size(), megabytes((Long) result.json().get("imageSizeBytes")), String.join(", ", reported)));
        }
        text.append(table(List.of("driver", "size", "image (data directory)", "size of each saved revision, as the API reports it (rev.1 first)"),
                sizeRows)).append("\n\n");
        text.append("`sizeBytes` of the `Revision` each save answered. What the figure means depends on the driver: the size of the ")
                .append("data directory's files with `copy` and `reflink` (reflinked blocks shared with the image are counted), all the bytes the ")
                .append("sealed revision refers to with `btrfs` (`btrfs filesystem du`, shared ones included), the files of the layer of changes ")
                .append("with `overlay`. None of them is the disk space the revision adds, except with `copy`.\n\n");

        Map<String, Object> machine = (Map<String, Object>) report.get("machine");
        text.append("Machine: ").append(machine.get("nproc")).append(" CPUs (").append(machine.get("cpu")).append("), ")
                .append(String.format(Locale.ROOT, "%.1f", ((Number) machine.get("memoryBytes")).doubleValue() / (1L << 30))).append(" GiB RAM, Linux ")
                .append(machine.get("kernel")).append(", ").append(machine.get("java")).append(". Each driver had its own loop-mounted file system ")
                .append("and daemon (`btrfs` on btrfs, `reflink` on XFS, `overlay` and `copy` on ext4).\n");
        text.append("Total run time: ").append(totalSeconds).append(" s (file systems, daemons, image builds included).\n\n");
        text.append("![save, load and reset per driver and size](").append(fileName).append(".png)\n");
        return text.toString();
    }

    private static BarChart chart(List<Result> results, List<String> drivers, List<String> sizes)
    {
        List<Result> ordered = new ArrayList<>();
        for (String driver : drivers) {
            for (String size : sizes) {
                Result result = find(results, driver, size);
                if (result != null) {
                    ordered.add(result);
                }
            }
        }
        BarChart chart = new BarChart("Revisions: API call until its answer (median, log scale)", "s",
                ordered.stream().map(result -> result.driver() + " " + result.size()).toList());
        chart.add("save", ordered.stream().mapToDouble(result -> result.api().get("save").median()).toArray());
        chart.add("load rev.1", ordered.stream().mapToDouble(result -> result.api().get("load").median()).toArray());
        chart.add("reset", ordered.stream().mapToDouble(result -> result.api().get("reset").median()).toArray());
        return chart;
    }

    private static String millis(Object steps)
    {
        return steps == null ? "?" : ((Map<?, ?>) steps).get("median") + " ms";
    }

    private static String format(Object value)
    {
        if (value == null) {
            return "?";
        }
        return String.format(Locale.ROOT, "%.3f", ((Number) value).doubleValue());
    }

    private static String table(List<String> header, List<List<String>> rows)
    {
        StringBuilder text = new StringBuilder();
        text.append("| ").append(String.join(" | ", header)).append(" |\n");
        text.append("|").append("---|".repeat(header.size())).append("\n");
        for (List<String> row : rows) {
            text.append("| ").append(String.join(" | ", row)).append(" |\n");
        }
        return text.toString().strip();
    }
}
