package dev.dolly.core.engine;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

import static java.util.Objects.requireNonNull;

/**
 * What goes into a new image, in order: the pre-script, then the backups (or the scripts), then the post-script.
 *
 * @param initialDatabase the database to create first and to connect to by default, if the definition names one
 * @param backups backups to restore, in order (empty for scripts and empty images)
 * @param scripts SQL files to apply in order (empty for backups and empty images)
 */
public record LoadPlan(
        Optional<String> initialDatabase,
        Optional<String> preScript,
        List<Backup> backups,
        List<Path> scripts,
        Optional<String> postScript)
{
    public LoadPlan
    {
        requireNonNull(initialDatabase, "initialDatabase is null");
        requireNonNull(preScript, "preScript is null");
        backups = List.copyOf(backups);
        scripts = List.copyOf(scripts);
        requireNonNull(postScript, "postScript is null");
    }

    /**
     * Where the data is after a backup or script that ended in {@code endedIn}: the initial database when the plan
     * names one, otherwise the database the backup or script connected to last.
     */
    public String dataDatabase(String endedIn)
    {
        return initialDatabase.orElse(endedIn);
    }

    /** A backup file or directory and its format. */
    public record Backup(Path path, BackupFormat format)
    {
        public Backup
        {
            requireNonNull(path, "path is null");
            requireNonNull(format, "format is null");
        }
    }

    public enum BackupFormat
    {
        /** SQL text, as written by pg_dump's plain format, mysqldump, or by hand. */
        PLAIN,
        /** pg_dump -Fc */
        CUSTOM,
        /** pg_dump -Fd */
        DIRECTORY,
        /** pg_dump -Ft */
        TAR
    }
}
