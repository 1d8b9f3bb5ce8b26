package dev.dolly.api;

/**
 * Every failure Dolly reports carries one of these codes. Each code is mapped here, once, to the HTTP status the
 * daemon answers with and to the exit code of the {@code dolly} command.
 */
public enum ErrorCode
{
    /** Something went wrong while doing what was asked, and none of the codes below says better what; the message says what. */
    OPERATION_FAILED(500, 1),
    /**
     * The user's own backup or script failed to load (a broken dump, a failing SQL statement, no database where the
     * definition says): the input is at fault, not the server.
     */
    LOAD_FAILED(422, 1),
    /** A database server failed to install, initialise, start, stop or answer. */
    ENGINE_FAILED(500, 1),
    /** Dolly's storage failed: a volume, snapshot, mount or file could not be made, read or removed. */
    STORAGE_FAILED(500, 1),
    /**
     * The resource is in a state that does not allow this now: being built, being deleted, expired, or changed at the
     * same time by another request. Waiting, or changing the resource first, may help.
     */
    CONFLICT(409, 1),
    /**
     * The resource is still needed by others (an image used by containers, a revision another one is stacked on): a
     * conflict that lasts until those others are gone.
     */
    IN_USE(409, 1),
    /** No such image, container or revision, or the caller may not see it. */
    NOT_FOUND(404, 2),
    /** The request is malformed: a bad YAML key, a missing file, an unknown engine version. */
    BAD_INPUT(400, 3),
    /**
     * The request is larger than the daemon takes: a JSON body past its limit, or an upload larger than the free space
     * where the daemon stages uploads.
     */
    TOO_LARGE(413, 3),
    /** The request's body arrived too slowly (a client that trickles it), and the daemon stopped waiting for it. */
    REQUEST_TOO_SLOW(408, 3),
    /** A resource of that name exists already. */
    ALREADY_EXISTS(409, 3),
    /** The request carries no valid access token, or a sign-in failed. */
    NOT_AUTHENTICATED(401, 7),
    /** The CLI stopped waiting ({@code --timeout}); what it waited for goes on. */
    TIMED_OUT(504, 4),
    /** The caller may see the resource but not do this to it (delete a team's image), or the command is for administrators. */
    NOT_PERMITTED(403, 8),
    /**
     * The caller has as many containers, images or builds at once as a per-user quota of the daemon allows: deleting
     * some, waiting for a build, or a higher limit from an administrator helps. Exit code 8, like other refusals.
     */
    QUOTA_EXCEEDED(403, 8),
    /** Too many failed sign-ins for a user name or from an address: wait, then try again. */
    TOO_MANY_ATTEMPTS(429, 9),
    /** The CLI could not reach a daemon. */
    DAEMON_UNREACHABLE(503, 1),
    /** The server's TLS certificate is not trusted, or the TLS handshake failed: nothing was sent. */
    TLS_FAILURE(502, 10),
    /** A bug: the message and the daemon log tell more. */
    INTERNAL_ERROR(500, 1);

    private final int httpStatus;
    private final int exitCode;

    ErrorCode(int httpStatus, int exitCode)
    {
        this.httpStatus = httpStatus;
        this.exitCode = exitCode;
    }

    public int httpStatus()
    {
        return httpStatus;
    }

    public int exitCode()
    {
        return exitCode;
    }
}
