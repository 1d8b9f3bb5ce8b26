package dev.dolly.cli;

import dev.dolly.api.DataContainer;
import dev.dolly.api.DataImage;
import dev.dolly.api.ImageBuildStep;
import dev.dolly.api.ResourceStatus;

import java.time.Duration;
import java.util.List;

import static dev.dolly.cli.CliRunner.NOW;

/** Images and containers as the daemon would send them. */
final class Resources
{
    private Resources() {}

    static DataImage image(long id, String name, ResourceStatus status)
    {
        return image(id, name, status, null, null);
    }

    static DataImage image(long id, String name, ResourceStatus status, String progress, String statusMessage)
    {
        return image(id, name, status, progress, statusMessage, List.of());
    }

    static DataImage image(long id, String name, ResourceStatus status, String progress, String statusMessage, List<ImageBuildStep> buildSteps)
    {
        return new DataImage(id, name, List.of("v1", "latest"), List.of("dba"), "postgresql", "17", status, statusMessage, progress,
                "backup", name, "admin", NOW.minus(Duration.ofHours(18)), status == ResourceStatus.READY ? NOW : null,
                NOW.plus(Duration.ofDays(4)).plusSeconds(30), 1024L, List.of(), null, List.of(), "17", buildSteps);
    }

    static DataContainer container(long id, String name, String imageName, ResourceStatus status)
    {
        return new DataContainer(id, name, 7, imageName, "rev-0", status, null, "postgresql", "17", "127.0.0.1", 54321,
                "postgres", "s3cret", "chinook", "postgresql://postgres:s3cret@127.0.0.1:54321/chinook",
                "jdbc:postgresql://127.0.0.1:54321/chinook", "host=127.0.0.1 port=54321 user=postgres password=s3cret dbname=chinook",
                "admin", NOW.minus(Duration.ofMinutes(2)), null, 2048L);
    }
}
