package dev.dolly.bench;

import dev.dolly.api.CreateContainerRequest;
import dev.dolly.api.CreateImageRequest;
import dev.dolly.api.DataContainer;
import dev.dolly.api.DataImage;
import dev.dolly.api.ImageBuildStep;
import dev.dolly.api.ResourceStatus;
import dev.dolly.api.client.DollyClient;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** What the build benchmarks do alike with a daemon's images: request a build, wait for it, dump a generated database. */
final class BenchImages
{
    private BenchImages() {}

    /** The local administrator builds from a directory on this machine, as the local CLI does. */
    static CreateImageRequest imageRequest(String definition, Path directory)
    {
        return new CreateImageRequest(definition, directory.toString(), null, List.of(), List.of(), null, null);
    }

    /** Polls every 20 ms until the image is READY; a failed build fails the benchmark. */
    static DataImage await(DollyClient client, DataImage image)
            throws InterruptedException
    {
        DataImage current = image;
        while (current.status() == ResourceStatus.PENDING) {
            Thread.sleep(20);
            current = client.getImage(String.valueOf(image.id()));
        }
        if (current.status() != ResourceStatus.READY) {
            throw new IllegalStateException("Image " + image.name() + " is " + current.status() + ": " + current.statusMessage());
        }
        return current;
    }

    /** {@code load 1.23, seal 0.45}: each step's seconds, for the progress log. */
    static String stepsText(List<ImageBuildStep> steps)
    {
        return String.join(", ", steps.stream().map(step -> String.format(Locale.ROOT, "%s %.2f", step.step(), step.milliseconds() / 1000.0)).toList());
    }

    /**
     * Dumps the database of a generated image with {@code pg_dump -Fc} into the file through a container of it, then
     * deletes the container and the image.
     *
     * @return the database's size, as {@code pg_database_size} gives it
     */
    static long dumpAndDelete(DollyClient client, DataImage source, String database, String pgDump, Path dump)
            throws IOException, InterruptedException, SQLException
    {
        Files.deleteIfExists(dump);
        long databaseBytes;
        DataContainer helper = client.createContainer(new CreateContainerRequest(source.name(), null, null));
        try {
            databaseBytes = Queries.firstNumber(Queries.postgresqlUrl(helper, database), helper, "select pg_database_size(current_database())");
            Commands.run(List.of(pgDump, "-Fc", "-h", helper.host(), "-p", String.valueOf(helper.port()), "-U", helper.user(), "-d", database,
                    "-f", dump.toString()), Map.of("PGPASSWORD", helper.password()));
        }
        finally {
            client.deleteContainer(helper.name());
        }
        client.deleteImage(source.name());
        return databaseBytes;
    }
}
