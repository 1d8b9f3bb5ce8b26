package dev.dolly.bench;

import java.nio.file.Path;
import java.util.List;

import static java.util.Objects.requireNonNull;

/**
 * What one run measures and where, checked and completed by {@link CloneBenchmark}: lists without duplicates,
 * {@code densityDrivers} among {@code drivers}, no CLI and no density for MariaDB.
 *
 * @param runs Dolly clones per driver and image, and saves, loads and resets
 * @param baselineRuns runs of pg_restore and of CREATE DATABASE TEMPLATE per image
 * @param cliRuns runs of each whole CLI command; 0 when not measured
 * @param filesystemBytes size of each sparse loop file system
 * @param workDirectory where the file systems and dumps go
 */
record BenchmarkOptions(
        List<Phase> phases,
        List<StorageDriver> drivers,
        List<ImageSize> sizes,
        int runs,
        int baselineRuns,
        int cliRuns,
        List<StorageDriver> densityDrivers,
        int densityContainers,
        int idleSeconds,
        long filesystemBytes,
        Path workDirectory,
        Path output,
        Path projectRoot,
        String pgDump,
        String pgRestore,
        Engine engine)
{
    /** The driver whose daemon serves the CLI measurement. */
    static final StorageDriver CLI_DRIVER = StorageDriver.BTRFS;
    /** The image of the CLI and density measurements. */
    static final ImageSize DENSITY_SIZE = ImageSize.PGBENCH_1G;

    BenchmarkOptions
    {
        phases = List.copyOf(phases);
        drivers = List.copyOf(drivers);
        sizes = List.copyOf(sizes);
        densityDrivers = List.copyOf(densityDrivers);
        requireNonNull(workDirectory, "workDirectory is null");
        requireNonNull(output, "output is null");
        requireNonNull(projectRoot, "projectRoot is null");
        requireNonNull(pgDump, "pgDump is null");
        requireNonNull(pgRestore, "pgRestore is null");
        requireNonNull(engine, "engine is null");
    }

    boolean measures(Phase phase)
    {
        return phases.contains(phase);
    }

    boolean postgresql()
    {
        return engine == Engine.POSTGRESQL;
    }

    /** The driver whose daemon also serves the baselines: copy (plain ext4, like an ordinary server) if measured. */
    StorageDriver baselineDriver()
    {
        return drivers.contains(StorageDriver.COPY) ? StorageDriver.COPY : drivers.getFirst();
    }

    /** The sizes whose revisions are measured: the pgbench-like ones. */
    List<ImageSize> revisionSizes()
    {
        return sizes.stream().filter(ImageSize::pgbenchLike).toList();
    }

    String resultFileName(String stem)
    {
        return engine.resultFileName(stem);
    }
}
