package dev.dolly.core.runtime;

import dev.dolly.api.ServerInfo;
import dev.dolly.core.engine.EngineUser;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The one way engine server processes are started, signalled, stopped, checked and killed: engines say what to run
 * and how to ask their server for a clean stop, the runtime decides where and how the process runs. Each server is
 * known by its data directory. {@link LocalProcessRuntime} runs servers as processes of this machine, sandboxed when
 * the daemon runs as root; a runtime that runs them elsewhere (Kubernetes) would be another implementation.
 */
public interface ContainerRuntime
{
    /**
     * Starts a server and keeps its handle. When the launch fails, nothing of it is left running.
     *
     * @throws dev.dolly.api.DollyException with {@code ENGINE_FAILED} when the process cannot be started
     */
    ServerProcess launch(ServerLaunch launch);

    /**
     * Whether a server runs on that data directory: the handle kept since its launch, else (after a restart of the
     * daemon) the processes of its cgroup, else, where there are no cgroups, the process {@code processFile} names
     * (a pid file the server wrote, which the caller checks for being that engine's server).
     */
    boolean isRunning(Path dataDirectory, Supplier<Optional<ProcessHandle>> processFile);

    /** The server process of a data directory, found as {@link #isRunning} finds it; empty when none runs. */
    Optional<ProcessHandle> server(Path dataDirectory, Supplier<Optional<ProcessHandle>> processFile);

    /**
     * Stops the server of a data directory: sends it {@code cleanStopSignal} ({@code INT}, {@code TERM}), waits up to
     * {@code timeout} for it to exit, then kills whatever is left of it (a program a query started and detached), and
     * removes what the runtime kept for it. Does nothing when no server runs there.
     *
     * @return whether the server exited on the signal within the timeout; {@code false} when it had to be killed
     */
    boolean stop(Path dataDirectory, Supplier<Optional<ProcessHandle>> processFile, String cleanStopSignal, Duration timeout);

    /** Kills the server of a data directory and everything it started, at once; for a server that failed to start. */
    void kill(Path dataDirectory);

    /**
     * A file the daemon writes for a server, outside its data directory, readable by the server's account and not
     * writable by it, such as PostgreSQL's {@code pg_hba.conf}; written anew at each call.
     *
     * @return its path, as the server sees it
     */
    Path writeServerFile(Path dataDirectory, EngineUser account, String fileName, String content);

    /**
     * A directory of the server's own, outside its data directory, that the server's account may read and write,
     * such as MariaDB's {@code secure_file_priv}; emptied when the server stops.
     */
    Path serverDirectory(Path dataDirectory, EngineUser account, String name);

    /** The memory and process limits each server runs with; empty when the runtime sets none. */
    Optional<ServerLimits> limits();

    /** The isolation in force, for {@code dolly info}. */
    ServerInfo.Isolation isolation(String accounts);
}
