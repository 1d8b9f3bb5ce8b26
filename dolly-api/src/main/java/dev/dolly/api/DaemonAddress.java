package dev.dolly.api;

/**
 * The content of {@code DOLLY_HOME/daemon.json}: how to reach the local daemon of that home.
 *
 * @param url for example {@code http://127.0.0.1:7370}, or {@code https://…} when the daemon serves TLS
 * @param pid the daemon's process ID
 * @param certificate the PEM certificate a daemon serving https presents, which the local CLI trusts (whatever host
 *         name the URL has); {@code null} for http
 */
public record DaemonAddress(String url, long pid, String version, String certificate)
{
    public DaemonAddress(String url, long pid, String version)
    {
        this(url, pid, version, null);
    }
}
