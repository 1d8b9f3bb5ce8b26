package dev.dolly.core.engine;

import dev.dolly.api.DollyException;
import dev.dolly.core.process.Command;
import dev.dolly.core.process.CommandRunner;

import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

import static java.util.Objects.requireNonNull;

/**
 * The operating-system account engine processes run as. PostgreSQL refuses to run as root, and a database server
 * has no business running as root anyway. When the daemon runs as root, each container and each image build has an
 * account of its own ({@link #ofIds}: numeric IDs from {@link EngineUidRange}, allocated by {@link EngineAccounts},
 * with no entry in {@code /etc/passwd}), so that one container's processes cannot read, write or signal another's.
 * The one named, shared account ({@code dolly} unless configured, created when missing) only runs {@code initdb},
 * which refuses to run as a user without a name. Without root, engines run as the daemon's own user.
 */
public final class EngineUser
{
    private static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(30);

    private final String name;
    private final int uid;
    private final int gid;
    private final boolean switching;

    private EngineUser(String name, int uid, int gid, boolean switching)
    {
        this.name = requireNonNull(name, "name is null");
        this.uid = uid;
        this.gid = gid;
        this.switching = switching;
    }

    /** The account to run engines as, given the configured account name for when the daemon runs as root. */
    public static EngineUser resolve(String unprivilegedName)
    {
        requireNonNull(unprivilegedName, "unprivilegedName is null");
        EngineUser daemon = daemonUser();
        if (daemon.uid() != 0) {
            return daemon;
        }
        if (unprivilegedName.equals("root")) {
            throw DollyException.badInput("Engines cannot run as root. Configure another engine user (engineUser in dolly.yaml or DOLLY_ENGINE_USER).");
        }
        if (!exists(unprivilegedName)) {
            create(unprivilegedName);
        }
        return new EngineUser(unprivilegedName, numericId("-u", unprivilegedName), numericId("-g", unprivilegedName), true);
    }

    /** The daemon's own user: commands run as it run unchanged. */
    public static EngineUser daemonUser()
    {
        try {
            int uid = (Integer) Files.getAttribute(Path.of("/proc/self"), "unix:uid");
            int gid = (Integer) Files.getAttribute(Path.of("/proc/self"), "unix:gid");
            return new EngineUser(System.getProperty("user.name"), uid, gid, false);
        }
        catch (IOException e) {
            throw DollyException.failed("Cannot tell the daemon's own user from /proc/self: " + e.getMessage(), e);
        }
    }

    /**
     * An account of numeric IDs only, for a daemon running as root: {@code setpriv} and {@code chown} need no name,
     * and neither do the servers.
     */
    public static EngineUser ofIds(int uid, int gid)
    {
        if (uid <= 0 || gid <= 0) {
            throw new IllegalArgumentException("not an unprivileged account: " + uid + ":" + gid);
        }
        return new EngineUser(String.valueOf(uid), uid, gid, true);
    }

    /** The account's name; for an account of numeric IDs only ({@link #ofIds}), its UID. */
    public String name()
    {
        return name;
    }

    /** The numeric user id of the account. */
    public int uid()
    {
        return uid;
    }

    /** The numeric group id of the account's group. */
    public int gid()
    {
        return gid;
    }

    /** Whether engine processes run as another account than the daemon. */
    public boolean switchesUser()
    {
        return switching;
    }

    /** The command line that runs {@code command} as this account. */
    public List<String> wrap(List<String> command)
    {
        if (!switching) {
            return List.copyOf(command);
        }
        List<String> wrapped = new ArrayList<>(List.of("setpriv", "--reuid=" + uid, "--regid=" + gid, "--clear-groups", "--"));
        wrapped.addAll(command);
        return wrapped;
    }

    /**
     * Gives a file tree to this account, so that engines can write it. Links are changed, never followed. A
     * directory changes owner after what it holds, so that a tree whose root is the account's is the account's
     * all through, even after an interrupted call ({@link #owns} of the root tells).
     */
    public void takeOwnership(Path path)
    {
        if (!switching) {
            return;
        }
        try {
            Files.walkFileTree(path, new SimpleFileVisitor<>()
            {
                @Override
                public FileVisitResult postVisitDirectory(Path directory, IOException failure)
                        throws IOException
                {
                    if (failure != null) {
                        throw failure;
                    }
                    setOwner(directory);
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attributes)
                        throws IOException
                {
                    setOwner(file);
                    return FileVisitResult.CONTINUE;
                }
            });
        }
        catch (IOException e) {
            throw DollyException.engineFailed("Cannot give " + path + " to the engine user " + name + ": " + e.getMessage(), e);
        }
    }

    /** Whether this account owns {@code path} (not following a link). */
    public boolean owns(Path path)
            throws IOException
    {
        return ((Integer) Files.getAttribute(path, "unix:uid", LinkOption.NOFOLLOW_LINKS)) == uid
                && ((Integer) Files.getAttribute(path, "unix:gid", LinkOption.NOFOLLOW_LINKS)) == gid;
    }

    private void setOwner(Path file)
            throws IOException
    {
        Files.setAttribute(file, "unix:uid", uid, LinkOption.NOFOLLOW_LINKS);
        Files.setAttribute(file, "unix:gid", gid, LinkOption.NOFOLLOW_LINKS);
    }

    @Override
    public boolean equals(Object other)
    {
        return other instanceof EngineUser that && uid == that.uid && gid == that.gid && switching == that.switching && name.equals(that.name);
    }

    @Override
    public int hashCode()
    {
        return Objects.hash(name, uid, gid, switching);
    }

    @Override
    public String toString()
    {
        return name.equals(String.valueOf(uid)) ? "uid " + uid : name + " (uid " + uid + ")";
    }

    private static boolean exists(String name)
    {
        return CommandRunner.system().run(Command.of("id", "-u", name).withTimeout(COMMAND_TIMEOUT)).succeeded();
    }

    private static void create(String name)
    {
        try {
            run(List.of("useradd", "--system", "--user-group", "--no-create-home", "--home-dir", "/nonexistent", "--shell", "/usr/sbin/nologin", name));
        }
        catch (DollyException e) {
            throw DollyException.engineFailed("Cannot create the engine user '" + name + "' (engines do not run as root): " + e.getMessage()
                    + ". Create it by hand (useradd --system " + name + ") or configure another with DOLLY_ENGINE_USER.", e);
        }
    }

    private static int numericId(String flag, String user)
    {
        List<String> command = new ArrayList<>(List.of("id", flag));
        if (user != null) {
            command.add(user);
        }
        return Integer.parseInt(run(command).strip());
    }

    private static String run(List<String> command)
    {
        CommandRunner.Result result = CommandRunner.system().run(Command.of(command).withTimeout(COMMAND_TIMEOUT));
        if (!result.succeeded()) {
            throw DollyException.engineFailed(String.join(" ", command) + " failed: " + result.output());
        }
        return result.output();
    }
}
