package dev.dolly.core.engine.postgresql;

import dev.dolly.core.engine.ProgressListener;

import java.io.IOException;
import java.nio.file.Path;

/** Where the PostgreSQL binary jars of one platform come from: Maven Central, a mirror, or a fake in tests. */
interface ArtifactRepository
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
