package dev.dolly.core.image;

import dev.dolly.core.engine.LoadPlan.BackupFormat;
import dev.dolly.core.transform.TransformDefinition;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

import static java.util.Objects.requireNonNull;

/**
 * A validated image definition: Spawn's YAML format with every path resolved and checked.
 *
 * @param version the requested engine version as written ({@code 16}, {@code 14.5}), empty for the default
 * @param transform the subset and masking run after the post-script and before the seal, if the definition has one
 */
public record ImageDefinition(
        String name,
        SourceType sourceType,
        String engine,
        Optional<String> version,
        Optional<String> initialDatabaseName,
        List<BackupSource> backups,
        List<Path> scriptsFolders,
        List<String> tags,
        List<String> teams,
        Lifetime lifetime,
        Optional<String> preScript,
        Optional<String> postScript,
        Optional<TransformDefinition> transform)
{
    public ImageDefinition
    {
        requireNonNull(name, "name is null");
        requireNonNull(sourceType, "sourceType is null");
        requireNonNull(engine, "engine is null");
        requireNonNull(version, "version is null");
        requireNonNull(initialDatabaseName, "initialDatabaseName is null");
        backups = List.copyOf(backups);
        scriptsFolders = List.copyOf(scriptsFolders);
        tags = List.copyOf(tags);
        teams = List.copyOf(teams);
        requireNonNull(lifetime, "lifetime is null");
        requireNonNull(preScript, "preScript is null");
        requireNonNull(postScript, "postScript is null");
        requireNonNull(transform, "transform is null");
    }

    public enum SourceType
    {
        BACKUP, SCRIPTS, EMPTY
    }

    /** A backup file (or pg_dump directory) and its format, when the definition names one. */
    public record BackupSource(Path path, Optional<BackupFormat> format) {}
}
