package dev.dolly.core.engine;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/** Where the binary jars of one engine artifact come from: Maven Central, a mirror, or a fake in tests. */
public interface ArtifactRepository
{
    /** The artifact's {@code maven-metadata.xml}, listing its versions. */
    String metadata()
            throws IOException;

    /** Writes the jar of {@code version} to {@code target}, reporting progress. */
    void download(String version, Path target, ProgressListener progress)
            throws IOException;

    /** Where it is, for messages. */
    String location();

    /**
     * Downloads the jar of {@code version} into an existing directory as {@code target}, through a temporary file
     * renamed into place once the download is complete: a cached jar is never a partial one.
     */
    default void downloadInto(String version, Path target, ProgressListener progress)
            throws IOException
    {
        Path temporary = Files.createTempFile(target.toAbsolutePath().getParent(), ".download-", ".tmp");
        try {
            download(version, temporary, progress);
            Files.move(temporary, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        }
        finally {
            try {
                Files.deleteIfExists(temporary);
            }
            catch (IOException ignored) {
                // a leftover temporary file does no harm
            }
        }
    }
}
