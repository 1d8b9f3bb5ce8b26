package dev.dolly.junit;

import dev.dolly.api.CreateContainerRequest;
import dev.dolly.api.CreateImageRequest;
import dev.dolly.api.DataContainer;
import dev.dolly.api.DataImage;
import dev.dolly.api.DollyException;
import dev.dolly.api.ErrorCode;
import dev.dolly.api.GraduateRequest;
import dev.dolly.api.ResourceStatus;
import dev.dolly.api.Revision;
import dev.dolly.api.client.DollyClient;
import dev.dolly.api.client.DollyClient.UploadFile;

import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

import static java.util.Objects.requireNonNull;

/**
 * The image a {@link DollyDatabase} names: its {@code image}, or one built from its {@code migrations} or
 * {@code scripts} and kept as {@code junit-<first 12 hex digits of the files' digest>}, so that it is built once and
 * reused until a file changes. One build per name runs in this JVM; a build of another JVM is waited for.
 */
final class TestImages
{
    private static final Duration BUILD_TIMEOUT = Duration.ofMinutes(30);
    private static final Duration POLL_INTERVAL = Duration.ofMillis(200);
    private static final String IMAGE_PREFIX = "junit-";

    private final DollyClient client;
    private final ConcurrentMap<String, String> built = new ConcurrentHashMap<>();

    TestImages(DollyClient client)
    {
        this.client = requireNonNull(client, "client is null");
    }

    String imageOf(DollyDatabase database, ClassLoader classLoader)
    {
        boolean image = !database.image().isBlank();
        boolean migrations = !database.migrations().isBlank();
        boolean scripts = !database.scripts().isBlank();
        if ((image ? 1 : 0) + (migrations ? 1 : 0) + (scripts ? 1 : 0) != 1) {
            throw DollyException.badInput("@DollyDatabase needs exactly one of image, migrations and scripts, for example "
                    + "@DollyDatabase(image = \"chinook\") or @DollyDatabase(migrations = \"classpath:db/migration\").");
        }
        if (image) {
            return database.image();
        }
        String engine = database.engine().toLowerCase(Locale.ROOT);
        if (!List.of("postgresql", "mariadb", "mysql").contains(engine)) {
            throw DollyException.badInput("@DollyDatabase: unknown engine '" + database.engine() + "'. Use postgresql or mariadb.");
        }
        if (migrations) {
            if (!FlywayMigration.available(classLoader)) {
                throw DollyException.badInput("@DollyDatabase(migrations = \"" + database.migrations() + "\") runs Flyway, which is not on the "
                        + "test class path. Add org.flywaydb:flyway-core and flyway-database-postgresql (or flyway-mysql) as test dependencies.");
            }
            SqlFolder folder = SqlFolder.of(database.migrations(), classLoader);
            String name = IMAGE_PREFIX + folder.digest("flyway", engine).substring(0, 12);
            return built.computeIfAbsent(name, key -> buildFromMigrations(name, folder, engine, classLoader));
        }
        SqlFolder folder = SqlFolder.of(database.scripts(), classLoader);
        String name = IMAGE_PREFIX + folder.digest("scripts", engine).substring(0, 12);
        return built.computeIfAbsent(name, key -> buildFromScripts(name, folder, engine));
    }

    /** Flyway on a container of an empty image, saved and graduated: the image holds Flyway's history table too. */
    private String buildFromMigrations(String name, SqlFolder folder, String engine, ClassLoader classLoader)
    {
        if (readyOrWait(name)) {
            return name;
        }
        String empty = IMAGE_PREFIX + "empty-" + engine;
        if (!readyOrWait(empty)) {
            // an empty image names no file, but every request names an upload or a directory: an empty upload
            String upload = client.upload(List.of(), sent -> {}).id();
            awaitReady(client.createImage(new CreateImageRequest("""
                    name: %s
                    sourceType: empty
                    engine: %s
                    lifetime: 0
                    """.formatted(empty, engine), null, null, List.of(), List.of(), null, upload)));
        }
        DataContainer container = client.createContainer(new CreateContainerRequest(empty, null, "1h"));
        try {
            FlywayMigration.migrate(folder, TestDatabase.info(container), classLoader);
            Revision revision = client.saveRevision(container.name());
            try {
                client.graduate(container.name(), new GraduateRequest(revision.name(), name, List.of(), List.of()));
            }
            catch (DollyException e) {
                if (e.errorCode() != ErrorCode.ALREADY_EXISTS) {
                    throw e;
                }
                // another JVM graduated the same migrations first
                if (!readyOrWait(name)) {
                    throw e;
                }
            }
            return name;
        }
        finally {
            deleteQuietly(container.name());
        }
    }

    /**
     * A {@code sourceType: scripts} image. Two JVMs that start the same build at once both build; the one whose image is
     * not the oldest deletes its own and uses the other.
     */
    private String buildFromScripts(String name, SqlFolder folder, String engine)
    {
        if (readyOrWait(name)) {
            return name;
        }
        List<UploadFile> files = folder.files().stream()
                .map(file -> new UploadFile("scripts/" + file.toString().replace('\\', '/'), folder.directory().resolve(file)))
                .toList();
        String definition = """
                name: %s
                sourceType: scripts
                engine: %s
                scriptsFolders: [./scripts]
                lifetime: 0
                """.formatted(name, engine);
        String upload = client.upload(files, sent -> {}).id();
        DataImage image = client.createImage(new CreateImageRequest(definition, null, null, List.of(), List.of(), null, upload));
        Optional<DataImage> oldest = client.listImages(name, null).stream()
                .filter(other -> other.status() != ResourceStatus.FAILED)
                .min(Comparator.comparingLong(DataImage::id));
        if (oldest.isPresent() && oldest.get().id() != image.id()) {
            try {
                client.deleteImage(String.valueOf(image.id()));
            }
            catch (DollyException e) {
                // a build being deleted may refuse until it ends; it is an identical image either way
            }
            awaitReady(oldest.get());
            return name;
        }
        awaitReady(image);
        return name;
    }

    /** Whether an image of the name is ready, after waiting for a build of it that is under way. */
    private boolean readyOrWait(String name)
    {
        List<DataImage> images = client.listImages(name, null);
        if (images.stream().anyMatch(image -> image.status() == ResourceStatus.READY)) {
            return true;
        }
        Optional<DataImage> building = images.stream().filter(image -> image.status() == ResourceStatus.PENDING).findFirst();
        if (building.isEmpty()) {
            return false;
        }
        awaitReady(building.get());
        return true;
    }

    private void awaitReady(DataImage image)
    {
        long deadline = System.nanoTime() + BUILD_TIMEOUT.toNanos();
        DataImage current = image;
        while (current.status() == ResourceStatus.PENDING) {
            if (System.nanoTime() > deadline) {
                throw new DollyException(ErrorCode.TIMED_OUT, "Image " + image.name() + " was not built within " + BUILD_TIMEOUT.toMinutes() + " minutes.");
            }
            try {
                Thread.sleep(POLL_INTERVAL);
            }
            catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw DollyException.failed("Interrupted while waiting for image " + image.name());
            }
            current = client.getImage(String.valueOf(image.id()));
        }
        if (current.status() != ResourceStatus.READY) {
            throw DollyException.loadFailed("@DollyDatabase: the build of image " + image.name() + " failed: " + current.statusMessage());
        }
    }

    private void deleteQuietly(String container)
    {
        try {
            client.deleteContainer(container);
        }
        catch (DollyException e) {
            // its lifetime ends it
        }
    }
}
