package dev.dolly.bench;

import dev.dolly.api.Json;
import dev.dolly.bench.DensityMeasurement.DensityResult;
import dev.dolly.bench.DensityMeasurement.DensitySummary;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static dev.dolly.bench.Markdown.megabytes;
import static dev.dolly.bench.Markdown.table;
import static java.util.Objects.requireNonNull;

/** Writes {@code density.json} and {@code density.md}. */
final class DensityReportWriter
{
    private final BenchmarkOptions options;

    DensityReportWriter(BenchmarkOptions options)
    {
        this.options = requireNonNull(options, "options is null");
    }

    void write(DensityReport report)
            throws IOException
    {
        Files.createDirectories(options.output());
        Path json = options.output().resolve("density.json");
        Path markdown = options.output().resolve("density.md");
        Files.writeString(json, Json.json().writerWithDefaultPrettyPrinter().writeValueAsString(report) + "\n");
        Files.writeString(markdown, markdown(report));
        Log.log("Results: " + json + ", " + markdown);
    }

    String markdown(DensityReport report)
    {
        StringBuilder text = new StringBuilder();
        text.append("# Density: disk space and memory per idle container\n\n");
        text.append("Measured ").append(report.date()).append(" by `bench/run-clone-benchmark` (see `bench/README.md`): ").append(report.containers())
                .append(" containers of the `").append(BenchmarkOptions.DENSITY_SIZE).append("` image, created one after the other, default settings.\n\n");
        List<List<String>> rows = new ArrayList<>();
        for (DensityResult driver : report.drivers()) {
            DensitySummary summary = driver.summary();
            rows.add(List.of(driver.storageDriver().id(), megabytes(driver.imageSizeBytes()),
                    megabytes(summary.growthMedianBytes()) + " (" + summary.growthMedianPercentOfImage() + " %)",
                    megabytes(summary.growthMaxBytes()) + " (" + summary.growthMaxPercentOfImage() + " %)",
                    megabytes(summary.pssMedianBytes()), megabytes(summary.pssMaxBytes()),
                    megabytes(summary.rssMedianBytes()),
                    Markdown.met(summary.diskTargetMet()),
                    Markdown.met(summary.memoryTargetMet())));
        }
        text.append(table(List.of("driver", "image", "disk growth per container, median", "max", "Pss per container, median", "Pss max", "Rss median",
                "disk < 5 % of image", "Pss ≤ 30 MB"), rows)).append("\n\n");
        for (DensityResult driver : report.drivers()) {
            text.append("- `").append(driver.storageDriver()).append("` (").append(driver.filesystem()).append("): disk measured as ")
                    .append(driver.diskMeasure()).append("; all ").append(report.containers()).append(" containers together, after ")
                    .append(report.idleSeconds()).append(" s idle: ").append(megabytes(driver.usedBytesGrowthAfterIdle())).append(".\n");
        }
        text.append("\nDisk growth: the file system's used bytes right after a container was created minus right before (each after `sync -f`), ")
                .append("as a share of the image's data directory. Memory: ").append(report.drivers().getFirst().memoryMeasure())
                .append(". Pss divides shared pages (the postgres binary, shared memory) among the processes that map them, so the sum over all ")
                .append("containers is what they take together; Rss counts shared pages in full for each container. MB = 10⁶ bytes in the target, ")
                .append("MiB in the table.\n\n");
        Machine machine = report.machine();
        text.append("Machine: ").append(machine.nproc()).append(" CPUs, ")
                .append(machine.memoryGibibytes()).append(" GiB RAM, Linux ")
                .append(machine.kernel()).append(". Every container's figures are in `density.json`.\n");
        return text.toString();
    }
}
