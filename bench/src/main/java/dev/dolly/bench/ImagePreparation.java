package dev.dolly.bench;

import dev.dolly.api.CreateImageRequest;
import dev.dolly.api.DataImage;
import dev.dolly.api.ResourceStatus;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;

import static java.util.Objects.requireNonNull;

/** The first phase on each driver: builds the images through the daemon's API, and writes them out. */
final class ImagePreparation
{
    private static final Duration BUILD_TIMEOUT = Duration.ofMinutes(60);

    private final Path work;

    /** @param work where the images' definition folders go */
    ImagePreparation(Path work)
    {
        this.work = requireNonNull(work, "work is null");
    }

    /**
     * An image that is ready to be cloned: built, timed, and written out with {@code sync -f} (untimed). An image is
     * usually cloned long after it was built; without the sync, the first clones of a big image wait for gigabytes of
     * writeback.
     */
    PreparedImage prepare(DriverSession session, ImageSpec spec)
            throws IOException, InterruptedException
    {
        StorageDriver driver = session.driver();
        long buildStarted = System.nanoTime();
        DataImage image = build(session, spec);
        double buildSeconds = Timings.seconds(buildStarted, System.nanoTime());
        Log.log("[" + driver + "] Image " + spec.imageName() + " is ready in " + buildSeconds + " s: " + image.sizeBytes() + " bytes on disk");
        long syncStarted = System.nanoTime();
        Commands.run(List.of("sync", "-f", session.daemon().home().toString()));
        Log.log(String.format(Locale.ROOT, "  [%s] sync -f after the build: %.1f s", driver, (System.nanoTime() - syncStarted) / 1e9));
        return new PreparedImage(spec, image, buildSeconds);
    }

    /** Builds the image and waits until it is ready; fails when its build fails or takes more than an hour. */
    DataImage build(DriverSession session, ImageSpec spec)
            throws IOException, InterruptedException
    {
        Path directory = Files.createDirectories(work.resolve(session.driver() + "-image-" + spec.key()));
        for (Path file : spec.files()) {
            Files.copy(file, directory.resolve(file.getFileName()));
        }
        Files.writeString(directory.resolve("image.yaml"), spec.yaml());
        Log.log("[" + session.driver() + "] Building image " + spec.imageName() + ": " + spec.description());
        DataImage image = session.client().createImage(new CreateImageRequest(spec.yaml(), directory.toString(), null, List.of(), List.of(), null, null));
        session.imageCreated(image.name());
        Instant deadline = Instant.now().plus(BUILD_TIMEOUT);
        String lastProgress = null;
        while (image.status() == ResourceStatus.PENDING) {
            if (Instant.now().isAfter(deadline)) {
                throw new IllegalStateException("Image " + spec.imageName() + " was not built within " + BUILD_TIMEOUT.toMinutes() + " minutes");
            }
            Thread.sleep(500);
            image = session.client().getImage(String.valueOf(image.id()));
            if (image.progress() != null && !image.progress().equals(lastProgress)) {
                lastProgress = image.progress();
                Log.log("  " + lastProgress);
            }
        }
        if (image.status() != ResourceStatus.READY) {
            throw new IllegalStateException("Image " + spec.imageName() + " is " + image.status() + ": " + image.statusMessage());
        }
        return image;
    }

    /**
     * An image built for the measurements.
     *
     * @param buildSeconds from the request until the daemon reported it ready
     */
    record PreparedImage(ImageSpec spec, DataImage image, double buildSeconds)
    {
        PreparedImage
        {
            requireNonNull(spec, "spec is null");
            requireNonNull(image, "image is null");
        }
    }
}
