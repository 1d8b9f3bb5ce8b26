package dev.dolly.bench;

import dev.dolly.bench.DensityMeasurement.DensityResult;

import java.util.List;

/**
 * {@code density.json}: disk space and memory per idle container, per driver.
 *
 * @param containers containers created per driver
 * @param idleSeconds idle time before their memory was read
 */
record DensityReport(String benchmark, String date, Machine machine, String dollyVersion, int containers, int idleSeconds, List<DensityResult> drivers)
{
    DensityReport
    {
        drivers = List.copyOf(drivers);
    }

    static DensityReport of(BenchmarkOptions options, ReportHeader header, List<DensityResult> drivers)
    {
        return new DensityReport("disk space and memory per idle container of one image", header.date(), header.machine(), header.dollyVersion(),
                options.densityContainers(), options.idleSeconds(), drivers);
    }
}
