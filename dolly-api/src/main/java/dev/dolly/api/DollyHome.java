package dev.dolly.api;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/**
 * Where a Dolly installation keeps its state, and the files in it that the daemon and the local CLI share.
 * {@code DOLLY_HOME} chooses it; the default is {@code ~/.dolly}, or {@code /var/lib/dolly} for root, because
 * unprivileged engine processes must be able to reach their data directories and root's home is closed to them.
 */
public final class DollyHome
{
    public static final String HOME_VARIABLE = "DOLLY_HOME";

    private DollyHome() {}

    public static Path resolve(Map<String, String> environment)
    {
        String configured = environment.get(HOME_VARIABLE);
        if (configured != null && !configured.isBlank()) {
            return Path.of(configured).toAbsolutePath().normalize();
        }
        if ("root".equals(System.getProperty("user.name"))) {
            return Path.of("/var/lib/dolly");
        }
        return Path.of(System.getProperty("user.home"), ".dolly");
    }

    /** Written by a running local daemon: where it listens. */
    public static Path daemonFile(Path home)
    {
        return home.resolve("daemon.json");
    }

    /**
     * What {@code daemon.json} of the home says, whether or not that daemon still runs; empty when there is none, or
     * when it is being written or was left half-written by a crash, which is the same as no daemon.
     */
    public static Optional<DaemonAddress> readDaemonAddress(Path home)
    {
        try {
            return Optional.of(Json.json().readValue(Files.readAllBytes(daemonFile(home)), DaemonAddress.class));
        }
        catch (IOException e) {
            return Optional.empty();
        }
    }

    /** The local administrator's access token, readable by the owner only. */
    public static Path adminTokenFile(Path home)
    {
        return home.resolve("admin-token");
    }

    /** Where a daemon started in the background writes its log. */
    public static Path daemonLogFile(Path home)
    {
        return home.resolve("logs").resolve("daemon.log");
    }
}
