package dev.dolly.core.engine;


import java.io.IOException;
import java.nio.file.Path;

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
}
