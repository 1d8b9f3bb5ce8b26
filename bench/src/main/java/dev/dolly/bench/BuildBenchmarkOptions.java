package dev.dolly.bench;

import java.nio.file.Path;

import static java.util.Objects.requireNonNull;

/**
 * What {@link BuildBenchmark} measures, and where.
 *
 * @param scale pgbench's scale: 100,000 accounts per unit, about 15 MB per unit
 * @param runs builds and restores, alternating
 * @param homeParent where the daemon's temporary home goes (its file system is the one measured)
 * @param resultsDirectory where build.md and build.json are written
 */
record BuildBenchmarkOptions(Path projectRoot, int scale, int runs, Path homeParent, Path resultsDirectory, String pgDump, String pgRestore)
{
    BuildBenchmarkOptions
    {
        requireNonNull(projectRoot, "projectRoot is null");
        requireNonNull(homeParent, "homeParent is null");
        requireNonNull(resultsDirectory, "resultsDirectory is null");
        requireNonNull(pgDump, "pgDump is null");
        requireNonNull(pgRestore, "pgRestore is null");
        if (scale < 1 || runs < 1) {
            throw new IllegalArgumentException("scale and runs must be at least 1");
        }
    }
}
