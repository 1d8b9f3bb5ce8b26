package dev.dolly.bench;

import java.nio.file.Path;

import static java.util.Objects.requireNonNull;

/**
 * What one soak run does, checked by {@link SoakBenchmark}.
 *
 * @param clients API clients working at once, each as a user of its own
 * @param seconds how long the clients start new cycles
 * @param quietSeconds how long the daemon is left alone after the warm-up, before the start is read
 * @param sampleSeconds how often the daemon's resources are read during the run
 * @param settleSeconds how long, at most, the daemon is given after the clients stop to come back to where it started
 * @param cliPauseSeconds the pause between two sequences of the CLI client; 0 without the CLI client
 * @param filesystemBytes size of the sparse loop file system
 * @param workDirectory where the file system goes
 */
record SoakOptions(
        StorageDriver driver,
        int clients,
        int seconds,
        int quietSeconds,
        int sampleSeconds,
        int settleSeconds,
        int cliPauseSeconds,
        long filesystemBytes,
        Path workDirectory,
        Path output,
        Path projectRoot)
{
    SoakOptions
    {
        requireNonNull(driver, "driver is null");
        requireNonNull(workDirectory, "workDirectory is null");
        requireNonNull(output, "output is null");
        requireNonNull(projectRoot, "projectRoot is null");
    }

    boolean cliClient()
    {
        return cliPauseSeconds > 0;
    }
}
