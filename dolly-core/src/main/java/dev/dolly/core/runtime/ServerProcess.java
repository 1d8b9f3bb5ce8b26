package dev.dolly.core.runtime;

import java.util.OptionalInt;

/** A server the runtime launched, as its engine sees it while it starts. */
public interface ServerProcess
{
    /** The process id the server has for itself, as it writes it into its pid file: {@code 1} in a PID namespace of its own. */
    long ownProcessId();

    /** Whether the server still runs. */
    boolean isAlive();

    /** Its exit code once it has exited. */
    OptionalInt exitCode();
}
