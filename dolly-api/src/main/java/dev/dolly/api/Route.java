package dev.dolly.api;

import java.time.Instant;

/**
 * A stable port the daemon listens on and relays to a data container: applications keep one address, and what is
 * behind it changes with {@code update route}.
 *
 * @param host the host clients connect to, as in the containers' connection details
 * @param containerId the container it relays to, {@code null} once that container was deleted
 * @param container that container's name, {@code null} once it was deleted
 * @param connections the connections open through it now
 * @param listening whether the daemon listens on its port; not when the port was taken when the daemon started
 * @param statusMessage why it does not listen, or {@code null}
 */
public record Route(
        long id,
        String name,
        String host,
        int port,
        Long containerId,
        String container,
        int connections,
        String owner,
        Instant createdAt,
        boolean listening,
        String statusMessage) {}
