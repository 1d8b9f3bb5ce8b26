package dev.dolly.bench;

import dev.dolly.bench.RevisionBenchmark.Operation;
import dev.dolly.bench.RevisionBenchmark.OperationTimings;
import dev.dolly.bench.RevisionBenchmark.RevisionResult;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@code revisions.json} ({@code revisions-mariadb.json}): save, load and reset per driver and size, the 5 GB ÷ 1 GB
 * ratios of their medians and the targets, met or not, against both timings.
 *
 * @param ratios5gTo1g per driver and operation, when both sizes were measured
 */
record RevisionsReport(
        String date,
        Machine machine,
        String loadAverageAtStart,
        String dollyVersion,
        long filesystemSizeBytes,
        String benchmark,
        int runs,
        String method,
        List<DriverRevisions> drivers,
        Map<String, Map<String, OperationRatio>> ratios5gTo1g,
        List<RevisionTarget> targets,
        double totalSeconds)
{
    /** Computes the ratios and the targets; {@code results} holds every measured driver, each with its sizes in order. */
    static RevisionsReport of(BenchmarkOptions options, ReportHeader header, List<DriverRevisions> results)
    {
        Map<String, Map<String, OperationRatio>> ratios = new LinkedHashMap<>();
        List<RevisionTarget> targets = new ArrayList<>();
        for (DriverRevisions driver : results) {
            Optional<RevisionResult> small = driver.size(ImageSize.PGBENCH_1G);
            Optional<RevisionResult> large = driver.size(ImageSize.PGBENCH_5G);
            Map<String, OperationRatio> driverRatios = new LinkedHashMap<>();
            if (small.isPresent() && large.isPresent()) {
                for (Operation operation : Operation.values()) {
                    OperationTimings smallTimings = small.get().timings(operation);
                    OperationTimings largeTimings = large.get().timings(operation);
                    driverRatios.put(operation.id(), new OperationRatio(Timings.round(largeTimings.api().median() / smallTimings.api().median()),
                            Timings.round(largeTimings.toFirstQuery().median() / smallTimings.toFirstQuery().median())));
                }
            }
            ratios.put(driver.driver().id(), driverRatios);
            for (Operation operation : List.of(Operation.SAVE, Operation.LOAD)) {
                if (small.isPresent()) {
                    double apiMedian = small.get().timings(operation).api().median();
                    double queryMedian = small.get().timings(operation).toFirstQuery().median();
                    targets.add(new RevisionTarget(driver.driver() + ": " + operation.id() + " at 1 GB, median ≤ " + RevisionBenchmark.TARGET_SECONDS + " s",
                            apiMedian, apiMedian <= RevisionBenchmark.TARGET_SECONDS, queryMedian, queryMedian <= RevisionBenchmark.TARGET_SECONDS));
                }
                if (small.isPresent() && large.isPresent()) {
                    OperationRatio ratio = driverRatios.get(operation.id());
                    targets.add(new RevisionTarget(driver.driver() + ": " + operation.id() + " median at 5 GB ÷ at 1 GB ≤ " + RevisionBenchmark.TARGET_RATIO,
                            ratio.api(), ratio.api() <= RevisionBenchmark.TARGET_RATIO, ratio.toFirstQuery(),
                            ratio.toFirstQuery() <= RevisionBenchmark.TARGET_RATIO));
                }
            }
        }
        int runs = options.runs();
        String method = "per driver and image: a container; a row committed; one untimed cycle (save → rev.1, load rev.1, reset); then "
                + runs + " times: commit a row, save (→ rev.N), write a row not saved, load rev.1, delete rev.N (untimed); then " + runs
                + " resets, each after a row not saved. 'api': the HTTP call until its answer. 'toFirstQuery': until the first query over a new "
                + "connection has answered, which checks the rows of " + RevisionBenchmark.TABLE
                + " (the saved rows after a save, rev.1's after a load or reset).";
        return new RevisionsReport(header.date(), header.machine(), header.loadAverageAtStart(), header.dollyVersion(), options.filesystemBytes(),
                "save, load and reset of a data container's revisions, per storage driver and image size", runs, method, results, ratios, targets,
                header.totalSeconds());
    }

    /** One driver's measurements, as {@code drivers[]}: one per pgbench-like size, in the order of {@code --sizes}. */
    record DriverRevisions(StorageDriver driver, List<RevisionResult> sizes)
    {
        DriverRevisions
        {
            sizes = List.copyOf(sizes);
        }

        Optional<RevisionResult> size(ImageSize size)
        {
            return sizes.stream().filter(result -> result.size() == size).findFirst();
        }
    }

    /** The median at 5 GB ÷ the median at 1 GB, of the API call and until the first query. */
    record OperationRatio(double api, double toFirstQuery) {}

    record RevisionTarget(String target, double measuredApi, boolean metApi, double measuredToFirstQuery, boolean metToFirstQuery) {}
}
