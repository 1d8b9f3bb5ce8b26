package dev.dolly.api;

/**
 * The content of {@code DOLLY_HOME/daemon.json}: how to reach the local daemon of that home.
 *
 * @param url for example {@code http://127.0.0.1:7370}
 * @param pid the daemon's process ID
 */
public record DaemonAddress(String url, long pid, String version) {}
