package dev.dolly.core.engine;

import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A database engine: everything Dolly needs to know about one kind of database server, and nothing else. One
 * implementation per engine ({@code PostgresEngine}), offered by an {@link EngineProvider}; images and containers are
 * built from these operations by the services, which never look inside a data directory themselves.
 */
public interface Engine
{
    /** The name used in image definitions, such as {@code postgresql}. */
    String name();

    /** Other names image definitions may use for this engine, such as {@code postgres}; lower case. */
    default Set<String> aliases()
    {
        return Set.of();
    }

    /**
     * Server settings for containers, passed to {@link #start} as {@link ServerSettings#parameters()}: the engine's
     * configured ones; none by default, which leaves the engine's own defaults.
     */
    default Map<String, String> containerParameters()
    {
        return Map.of();
    }

    /**
     * This engine, running every process (servers, {@code pg_restore}, {@code psql}, the MariaDB client, its
     * installer) as {@code account}: the account of the container or image build it works for. The services call
     * it for every container and build; an engine made by its provider runs as the shared account.
     */
    Engine runningAs(EngineUser account);

    /**
     * This engine, with the tools that read a build's backups by their path ({@code pg_restore}) running as
     * {@code reader} instead: for a definition whose files are read where they are on the daemon's machine, which
     * only the local administrator may name. Engines that read sources only through the daemon (which streams
     * them) run nothing that reads them by path.
     */
    Engine readingSourcesAs(EngineUser reader);

    /**
     * Finds or fetches the binaries of the requested version ({@code 16}, {@code 14.5}, or {@code null} for the
     * default), reporting download and unpack progress.
     *
     * @throws dev.dolly.api.DollyException with {@code BAD_INPUT} when no such version exists
     */
    EngineInstallation install(String requestedVersion, ProgressListener progress);

    /**
     * Checks that a version exists without installing it: the exact version {@link #install} would install.
     *
     * @throws dev.dolly.api.DollyException with {@code BAD_INPUT} when no such version exists
     */
    String resolveVersion(String requestedVersion);

    /** Creates a new data directory (the directory exists and is empty) with a superuser having this password. */
    void initialize(EngineInstallation installation, Path dataDirectory, String superuserPassword);

    /**
     * Server settings for loading an image fast (durability off: the image is shut down cleanly and flushed to disk
     * once, at the end), passed to {@link #start} as {@link ServerSettings#parameters()}.
     */
    Map<String, String> buildParameters();

    /** Starts a server on the data directory and waits until it answers queries. */
    void start(EngineInstallation installation, Path dataDirectory, ServerSettings settings);

    /**
     * Starts a server like {@link #start}, then gives {@code user} a new password like {@link #changePassword}, as a
     * new container needs: engines may do both over the first connection.
     */
    default void startWithNewPassword(EngineInstallation installation, Path dataDirectory, ServerSettings settings, Endpoint superuser, String user,
            String newPassword)
    {
        start(installation, dataDirectory, settings);
        changePassword(superuser, user, newPassword);
    }

    /** Stops the server of that data directory cleanly; does nothing when none runs. */
    void stop(EngineInstallation installation, Path dataDirectory);

    /**
     * Whether the server's last start failed because another program held its port ("address already in use" in
     * its log), which another port or a later try may not.
     */
    default boolean portTaken(ServerSettings settings)
    {
        return false;
    }

    /** Whether a server is running on that data directory. */
    boolean isRunning(EngineInstallation installation, Path dataDirectory);

    /**
     * Prepares a running server to load the plan, and tells where its pre-script, backups and scripts start. They
     * start in the plan's initial database, which this creates, unless its plain SQL creates or drops that database
     * itself (the Chinook scripts: {@code DROP DATABASE IF EXISTS chinook; CREATE DATABASE chinook; \c chinook}):
     * then they start where psql or the mysql client would, in the engine's maintenance database or in none, and the
     * initial database is created beforehand only if no script creates it. Without an initial database they start in
     * the engine's default. After the last backup or script, {@link #checkDatabaseExists} checks that the initial
     * database is there.
     *
     * @return the database the pre-script, backups and scripts start in
     */
    String prepareLoad(EngineInstallation installation, Endpoint superuser, LoadPlan plan, ProgressListener progress);

    /**
     * Checks, after the last backup or script, that the plan's initial database exists.
     *
     * @throws dev.dolly.api.DollyException with {@code FAILED} when the load dropped it and did not create it again
     */
    void checkDatabaseExists(EngineInstallation installation, Endpoint superuser, String database);

    /** Runs SQL text in a database (a pre- or post-script), stopping at its first error; {@code label} names it in messages. */
    void execute(EngineInstallation installation, Endpoint superuser, String database, String sql, String label, ProgressListener progress);

    /**
     * Restores one backup into a database.
     *
     * @return the database the backup ended in: the one it connected to last ({@code \c chinook}, {@code USE
     *         chinook}), or {@code database}
     */
    String restore(EngineInstallation installation, Endpoint superuser, String database, LoadPlan.Backup backup, ProgressListener progress);

    /**
     * Restores one backup as {@link #restore} does, except that an engine that can leaves its indexes and constraints
     * out, for a transform to run before they are built ({@link DeferredIndexes}). By default it restores everything.
     */
    default RestoredBackup restoreWithoutIndexes(EngineInstallation installation, Endpoint superuser, String database, LoadPlan.Backup backup,
            ProgressListener progress)
    {
        return new RestoredBackup(restore(installation, superuser, database, backup, progress), Optional.empty());
    }

    /**
     * Runs one SQL file (of a scripts folder) in a database.
     *
     * @return the database the script ended in, as {@link #restore} does
     */
    String runScript(EngineInstallation installation, Endpoint superuser, String database, Path script, ProgressListener progress);

    /**
     * Loads an image's sources into a running server: pre-script, backups or scripts, post-script. An image build
     * runs the same calls as steps of its own; this runs them in one.
     *
     * @return the database the data ended up in: the initial database when the plan names one, otherwise the
     *         database the last script connected to (a dump that creates its own database and connects to it)
     */
    default String load(EngineInstallation installation, Endpoint superuser, LoadPlan plan, ProgressListener progress)
    {
        String startDatabase = prepareLoad(installation, superuser, plan, progress);
        if (plan.preScript().isPresent()) {
            progress.progress("Running the pre-script");
            execute(installation, superuser, startDatabase, plan.preScript().get(), "pre-script", progress);
        }
        String dataDatabase = plan.dataDatabase(startDatabase);
        for (LoadPlan.Backup backup : plan.backups()) {
            progress.progress("Restoring backup " + backup.path().getFileName());
            // plain SQL starts where the load starts; pg_restore restores into the initial database itself
            String database = backup.format() == LoadPlan.BackupFormat.PLAIN ? startDatabase : plan.dataDatabase(startDatabase);
            dataDatabase = plan.dataDatabase(restore(installation, superuser, database, backup, progress));
        }
        for (Path script : plan.scripts()) {
            progress.progress("Running script " + script.getFileName());
            dataDatabase = plan.dataDatabase(runScript(installation, superuser, startDatabase, script, progress));
        }
        if (plan.initialDatabase().isPresent()) {
            checkDatabaseExists(installation, superuser, plan.initialDatabase().get());
        }
        if (plan.postScript().isPresent()) {
            progress.progress("Running the post-script");
            execute(installation, superuser, dataDatabase, plan.postScript().get(), "post-script", progress);
        }
        return dataDatabase;
    }

    /** The format of a backup whose definition names none, told from its content. */
    LoadPlan.BackupFormat backupFormat(Path backup);

    /**
     * Makes a loaded server's state final: statistics, frozen tuples, everything flushed. The caller then stops it.
     * An engine may use up to {@code parallelism} connections at once for it.
     */
    void seal(Endpoint superuser, int parallelism);

    /** {@link #seal(Endpoint, int)} over one connection at a time. */
    default void seal(Endpoint superuser)
    {
        seal(superuser, 1);
    }

    /**
     * Opens the engine's statements for the transform stage of a build ({@code transform:}) on a database of a running
     * server, as its superuser; engines without them refuse definitions that have one.
     *
     * @param deferredIndexes the indexes and constraints the database does not have yet ({@link #restoreWithoutIndexes}),
     *         when it was restored without them: the transform reads the keys from their schema database
     */
    default dev.dolly.core.transform.TransformDatabase openTransform(Endpoint superuser, Optional<DeferredIndexes> deferredIndexes)
    {
        throw dev.dolly.api.DollyException.badInput("Engine " + name() + " cannot run a definition's 'transform:': remove it, or build for postgresql or mariadb.");
    }

    /** Gives the data owner a new password, for a container's fresh credentials. */
    void changePassword(Endpoint superuser, String user, String newPassword);

    /**
     * Makes {@link #changePassword} ready ahead of time, for a warm pool's container: engines that can log in as the
     * superuser now and prepare the statement, so that {@link PasswordChange#apply} only runs it. By default nothing
     * is opened and the change logs in when applied.
     *
     * @param superuser the superuser's endpoint, naming the database the container's user will connect to: an engine
     *         that logs in now logs in there, so that the server's first login to it is not the user's
     */
    default PasswordChange preparePasswordChange(Endpoint superuser, String user, String newPassword)
    {
        return PasswordChange.onApply(this, superuser, user, newPassword);
    }

    /** The server's own version string, as {@code select version()} reports it. */
    String serverVersion(Endpoint endpoint);

    /**
     * How many client connections the server has now, not counting the one that asks nor the server's own
     * processes: what decides that a container is idle.
     */
    int clientConnections(Endpoint superuser);

    /** Versions: the default, those installed, the majors that can be fetched, system installations. */
    dev.dolly.api.ServerInfo.EngineInfo describe();

    /** The user connection details point at: the superuser that owns the data. */
    String defaultUser();

    /** The database connection details point at when the image names none. */
    String defaultDatabase();

    /** How to reach a database of this engine, in every form users paste into their tools. */
    ConnectionStrings connectionStrings(Endpoint endpoint);
}
