package dev.dolly.bench;

import dev.dolly.api.CreateContainerRequest;
import dev.dolly.api.DataContainer;
import dev.dolly.api.DataImage;
import dev.dolly.bench.ImagePreparation.PreparedImage;

import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import static java.util.Objects.requireNonNull;

/**
 * Dolly clones of one image, timed from just before {@code POST /api/v1/containers} until the first row of the
 * probe query over a new connection with the details the daemon returned; the API call alone is recorded too. One
 * untimed clone comes first: the daemon's and the page cache's first look at the image.
 */
final class CloneTiming
{
    private final int runs;

    CloneTiming(int runs)
    {
        this.runs = runs;
    }

    Measurement measure(DriverSession session, PreparedImage prepared)
            throws SQLException
    {
        StorageDriver driver = session.driver();
        ImageSpec spec = prepared.spec();
        DataImage image = prepared.image();

        long warmUpStarted = System.nanoTime();
        DataContainer warmUp = session.createContainer(image.name(), spec.key() + "-warm-up");
        long databaseSize = Queries.firstNumber(warmUp, Engine.of(image.engine()).databaseSizeQuery());
        double warmUpSeconds = Timings.seconds(warmUpStarted, System.nanoTime());
        String database = warmUp.database();
        session.deleteContainer(warmUp.name());
        Log.log(String.format(Locale.ROOT, "  [%s] warm-up clone of %s (not counted): %.3f s", driver, spec.key(), warmUpSeconds));

        List<Double> clone = new ArrayList<>();
        List<Double> cloneApi = new ArrayList<>();
        for (int run = 1; run <= runs; run++) {
            String name = session.nextContainerName(spec.key());
            long t0 = System.nanoTime();
            DataContainer container = session.client().createContainer(new CreateContainerRequest(image.name(), name, null));
            long created = System.nanoTime();
            session.containerCreated(container);
            long answer = Queries.firstNumber(container, spec.probeQuery());
            long t1 = System.nanoTime();
            clone.add(Timings.seconds(t0, t1));
            cloneApi.add(Timings.seconds(t0, created));
            Log.log(String.format(Locale.ROOT, "  [%s] dolly clone of %s %d/%d: %.3f s (API %.3f s), answer %d", driver, spec.key(), run, runs,
                    (t1 - t0) / 1e9, (created - t0) / 1e9, answer));
            session.deleteContainer(container.name());
        }
        ImageCloneResult result = new ImageCloneResult(spec.key(), spec.description(), image.engineVersion(), spec.probeQuery(), image.sizeBytes(),
                databaseSize, prepared.buildSeconds(), warmUpSeconds, new Timings(clone), new Timings(cloneApi));
        return new Measurement(result, database);
    }

    /**
     * What was measured, and what the baselines need to know of the image.
     *
     * @param database the database the image's containers hold
     */
    record Measurement(ImageCloneResult result, String database)
    {
        Measurement
        {
            requireNonNull(result, "result is null");
            requireNonNull(database, "database is null");
        }
    }

    /**
     * The clones of one image on one driver, as {@code drivers[].images[]} of {@code clone-cow.json}.
     *
     * @param size the image's key ({@code 100m}, …)
     * @param imageSizeBytes the sealed data directory, as the daemon reports it (WAL included)
     * @param databaseSizeBytes {@code pg_database_size}, or MariaDB's data and indexes
     * @param warmUpSeconds the untimed first clone, until the size query answered
     * @param dollyClone request until the first query answered
     * @param dollyCloneApiOnly request until the API answered
     */
    record ImageCloneResult(
            String size,
            String description,
            String engineVersion,
            String probeQuery,
            Long imageSizeBytes,
            long databaseSizeBytes,
            double imageBuildSeconds,
            double warmUpSeconds,
            Timings dollyClone,
            Timings dollyCloneApiOnly) {}
}
