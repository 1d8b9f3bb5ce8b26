package dev.dolly.core.engine;

import dev.dolly.core.runtime.ContainerRuntime;
import dev.dolly.core.runtime.LocalProcessRuntime;

import java.net.URI;
import java.nio.file.Path;

import static java.util.Objects.requireNonNull;

/**
 * What the daemon gives every engine: where binaries are unpacked and cached, where they are fetched from, the
 * account servers run as, and the runtime that runs them.
 *
 * @param enginesDirectory where engine versions are unpacked, such as {@code DOLLY_HOME/engines}; each engine in a
 *         directory of its name
 * @param downloadCache where downloaded binaries and version lists are kept
 * @param mavenRepository the Maven repository binaries are fetched from
 * @param localMavenRepository a local Maven repository ({@code ~/.m2/repository}) to take binaries from before fetching
 * @param runtime what starts, stops and sandboxes the servers
 */
public record EngineContext(Path enginesDirectory, Path downloadCache, URI mavenRepository, Path localMavenRepository, EngineUser engineUser, ContainerRuntime runtime)
{
    /** With the {@link LocalProcessRuntime#standalone() standalone runtime}: for engines outside a daemon. */
    public EngineContext(Path enginesDirectory, Path downloadCache, URI mavenRepository, Path localMavenRepository, EngineUser engineUser)
    {
        this(enginesDirectory, downloadCache, mavenRepository, localMavenRepository, engineUser, LocalProcessRuntime.standalone());
    }

    public EngineContext
    {
        requireNonNull(enginesDirectory, "enginesDirectory is null");
        requireNonNull(downloadCache, "downloadCache is null");
        requireNonNull(mavenRepository, "mavenRepository is null");
        requireNonNull(localMavenRepository, "localMavenRepository is null");
        requireNonNull(engineUser, "engineUser is null");
        requireNonNull(runtime, "runtime is null");
    }
}
