package dev.dolly.tests;

import dev.dolly.api.DataContainer;
import dev.dolly.api.DataImage;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;

import static java.util.Objects.requireNonNull;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A daemon shared by several users, each signed in with a CLI of their own, and its local administrator, who removes
 * everything at the end: the set-up of the suites that play a team's or a pipeline's part.
 */
final class DaemonUsers
{
    private final DaemonProcess daemon;
    private final Cli admin;

    /** @param admin the local administrator's CLI, which reads DOLLY_HOME/admin-token */
    DaemonUsers(DaemonProcess daemon, Cli admin)
    {
        this.daemon = requireNonNull(daemon, "daemon is null");
        this.admin = requireNonNull(admin, "admin is null");
    }

    /** Where the CLI of a user keeps its settings and session (DOLLY_CONFIG), next to the daemon's home. */
    Path configFile(String user)
    {
        return daemon.home().getParent().resolve(user + "-config");
    }

    /** A CLI of its own for a user (its own DOLLY_CONFIG), signed in with the password on stdin. */
    Cli signIn(String user, String password)
            throws IOException
    {
        Cli cli = admin.with(Map.of("DOLLY_CONFIG", configFile(user).toString()));
        Cli.Result login = cli.succeedWithStdin(password + "\n", "auth", "login", "--server", daemon.address().url(), "--username", user, "--password-stdin");
        assertThat(login.stdout()).startsWith("Signed in to " + daemon.address().url() + " as " + user + ".");
        return cli;
    }

    /** Deletes every container, then every image (the newest first: an image may be made from another's container), then stops the daemon. */
    void deleteEverythingAndStop()
            throws Exception
    {
        for (DataContainer container : admin.json(DataContainer[].class, "get", "data-containers")) {
            admin.succeed("delete", "data-container", container.name());
        }
        for (DataImage image : Arrays.asList(admin.json(DataImage[].class, "get", "data-images")).reversed()) {
            admin.succeed("delete", "data-image", String.valueOf(image.id()));
        }
        daemon.close();
    }
}
