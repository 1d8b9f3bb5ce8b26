package dev.dolly.bench;

import dev.dolly.bench.BaselineMeasurement.BaselineResult;
import dev.dolly.bench.CloneTiming.ImageCloneResult;
import dev.dolly.bench.RevisionBenchmark.Operation;
import dev.dolly.bench.RevisionBenchmark.RevisionResult;

import java.util.List;
import java.util.function.Function;

/** The bar charts of the reports: medians on a logarithmic axis, so that 0.1 s and 100 s fit on one picture. */
final class ResultCharts
{
    private ResultCharts() {}

    /** {@code clone.png}: one group per size, one bar per driver and baseline. */
    static BarChart clones(BenchmarkOptions options, CloneReport report)
    {
        List<ImageSize> sizes = options.sizes();
        List<String> categories = sizes.stream()
                .map(size -> size + " (" + Markdown.megabytes(report.databaseSizeBytes().get(size.id())) + ")")
                .toList();
        BarChart chart = new BarChart("Request to first query answered (median, log scale)", "s", categories);
        for (StorageDriver driver : options.drivers()) {
            chart.add("Dolly " + driver, sizes.stream()
                    .mapToDouble(size -> report.image(driver, size).map(ImageCloneResult::dollyClone).map(Timings::median).orElse(Double.NaN))
                    .toArray());
        }
        chart.add("pg_restore -j2", baselineMedians(report, sizes, BaselineResult::pgRestore));
        chart.add("CREATE DATABASE TEMPLATE", baselineMedians(report, sizes, BaselineResult::createDatabaseTemplate));
        return chart;
    }

    /** {@code revisions.png}: one group per driver and size, one bar per operation (the API call). */
    static BarChart revisions(RevisionsReport report)
    {
        List<String> categories = report.drivers().stream()
                .flatMap(driver -> driver.sizes().stream().map(result -> driver.driver() + " " + result.size()))
                .toList();
        List<RevisionResult> results = report.drivers().stream().flatMap(driver -> driver.sizes().stream()).toList();
        BarChart chart = new BarChart("Revisions: API call until its answer (median, log scale)", "s", categories);
        chart.add("save", apiMedians(results, Operation.SAVE));
        chart.add("load rev.1", apiMedians(results, Operation.LOAD));
        chart.add("reset", apiMedians(results, Operation.RESET));
        return chart;
    }

    private static double[] baselineMedians(CloneReport report, List<ImageSize> sizes, Function<BaselineResult, Timings> timings)
    {
        return sizes.stream()
                .mapToDouble(size -> {
                    BaselineResult baseline = report.baselines().sizes().get(size.id());
                    return baseline == null ? Double.NaN : timings.apply(baseline).median();
                })
                .toArray();
    }

    private static double[] apiMedians(List<RevisionResult> results, Operation operation)
    {
        return results.stream().mapToDouble(result -> result.timings(operation).api().median()).toArray();
    }
}
