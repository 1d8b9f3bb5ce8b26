package dev.dolly.api;

import java.time.Instant;
import java.util.List;

/**
 * A running, isolated database server created from a data image, with everything needed to connect to it.
 *
 * @param uri a libpq connection URI, for example {@code postgresql://user:password@127.0.0.1:54321/chinook}
 * @param jdbcUrl a JDBC URL without credentials
 * @param keyValueConnectionString libpq's {@code key=value} form
 * @param sizeBytes bytes the container's data directory takes, {@code null} while unknown
 * @param limits the resources its server may use; {@code null} when the daemon sets none (it does not run as root)
 * @param teams the teams it is shared with ({@code org:team}); empty for a private container
 * @param following the tag it follows and its last refresh, or {@code null} when it follows none
 * @param idleStop how long its server may go without a client connection before the daemon stops it ({@code 30m}), or
 *         {@code null} when it is never stopped for that
 * @param stoppedBy why a {@code STOPPED} container's server was stopped on purpose: {@link #STOPPED_IDLE} or
 *         {@link #STOPPED_BY_REQUEST}; the daemon then holds its port and the next connection starts it again.
 *         {@code null} when it runs, or is stopped because it could not start ({@code statusMessage} says why)
 */
public record DataContainer(
        long id,
        String name,
        long imageId,
        String imageName,
        String revision,
        ResourceStatus status,
        String statusMessage,
        String engine,
        String engineVersion,
        String host,
        int port,
        String user,
        String password,
        String database,
        String uri,
        String jdbcUrl,
        String keyValueConnectionString,
        String owner,
        Instant createdAt,
        Instant expiresAt,
        Long sizeBytes,
        Limits limits,
        List<String> teams,
        Following following,
        String idleStop,
        String stoppedBy)
{
    /** Stopped after its idle time with no client connection. */
    public static final String STOPPED_IDLE = "idle";
    /** Stopped by its owner or an administrator ({@code dolly stop data-container}). */
    public static final String STOPPED_BY_REQUEST = "request";

    public DataContainer
    {
        teams = teams == null ? List.of() : List.copyOf(teams);
    }

    /** Never stopped for being idle, as servers of earlier versions answer. */
    public DataContainer(long id, String name, long imageId, String imageName, String revision, ResourceStatus status, String statusMessage, String engine,
            String engineVersion, String host, int port, String user, String password, String database, String uri, String jdbcUrl,
            String keyValueConnectionString, String owner, Instant createdAt, Instant expiresAt, Long sizeBytes, Limits limits, List<String> teams,
            Following following)
    {
        this(id, name, imageId, imageName, revision, status, statusMessage, engine, engineVersion, host, port, user, password, database, uri, jdbcUrl,
                keyValueConnectionString, owner, createdAt, expiresAt, sizeBytes, limits, teams, following, null, null);
    }

    /** Its status as the CLI shows it: {@code Ready}, {@code Stopped}, {@code Stopped (idle)}. */
    public String statusDisplayName()
    {
        if (status == null) {
            return "";
        }
        if (status == ResourceStatus.STOPPED && STOPPED_IDLE.equals(stoppedBy)) {
            return "Stopped (idle)";
        }
        return status.displayName();
    }

    /** Shared with no team and following no tag, as servers of earlier versions answer. */
    public DataContainer(long id, String name, long imageId, String imageName, String revision, ResourceStatus status, String statusMessage, String engine,
            String engineVersion, String host, int port, String user, String password, String database, String uri, String jdbcUrl,
            String keyValueConnectionString, String owner, Instant createdAt, Instant expiresAt, Long sizeBytes, Limits limits)
    {
        this(id, name, imageId, imageName, revision, status, statusMessage, engine, engineVersion, host, port, user, password, database, uri, jdbcUrl,
                keyValueConnectionString, owner, createdAt, expiresAt, sizeBytes, limits, List.of(), null, null, null);
    }

    /** Without limits, as servers of earlier versions answer. */
    public DataContainer(long id, String name, long imageId, String imageName, String revision, ResourceStatus status, String statusMessage, String engine,
            String engineVersion, String host, int port, String user, String password, String database, String uri, String jdbcUrl,
            String keyValueConnectionString, String owner, Instant createdAt, Instant expiresAt, Long sizeBytes)
    {
        this(id, name, imageId, imageName, revision, status, statusMessage, engine, engineVersion, host, port, user, password, database, uri, jdbcUrl,
                keyValueConnectionString, owner, createdAt, expiresAt, sizeBytes, null, List.of(), null, null, null);
    }

    /**
     * @param memoryBytes the memory the server may use, in bytes
     * @param processes the processes and threads it may run
     */
    public record Limits(long memoryBytes, long processes) {}
}
