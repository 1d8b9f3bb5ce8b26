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
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.UserPrincipalLookupService;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static java.util.Objects.requireNonNull;

/**
 * The operating-system account engine processes run as. PostgreSQL refuses to run as root, and a database server
 * has no business running as root anyway: when the daemon runs as root, engines run as an unprivileged account
 * ({@code dolly} unless configured), which is created when missing. Otherwise they run as the daemon's own user.
 */
public final class EngineUser
{
    private static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(30);

    private final String name;
    private final int uid;
    private final int gid;
    private final boolean switching;
    /** Looked up once: {@link #takeOwnership} runs several times for each container start. */
    private volatile String groupName;

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
        int currentUid = numericId("-u", null);
        if (currentUid != 0) {
            return new EngineUser(System.getProperty("user.name"), currentUid, numericId("-g", null), false);
        }
        if (unprivilegedName.equals("root")) {
            throw DollyException.badInput("Engines cannot run as root. Configure another engine user (engineUser in dolly.yaml or DOLLY_ENGINE_USER).");
        }
        if (!exists(unprivilegedName)) {
            create(unprivilegedName);
        }
        return new EngineUser(unprivilegedName, numericId("-u", unprivilegedName), numericId("-g", unprivilegedName), true);
    }

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

    /** Gives a file tree to this account, so that engines can write it. */
    public void takeOwnership(Path path)
    {
        if (!switching) {
            return;
        }
        try {
            UserPrincipalLookupService lookup = path.getFileSystem().getUserPrincipalLookupService();
            var user = lookup.lookupPrincipalByName(name);
            var group = lookup.lookupPrincipalByGroupName(groupName());
            Files.walkFileTree(path, new SimpleFileVisitor<>()
            {
                @Override
                public FileVisitResult preVisitDirectory(Path directory, BasicFileAttributes attributes)
                        throws IOException
                {
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

                private void setOwner(Path file)
                        throws IOException
                {
                    PosixFileAttributeView view = Files.getFileAttributeView(file, PosixFileAttributeView.class, LinkOption.NOFOLLOW_LINKS);
                    view.setOwner(user);
                    view.setGroup(group);
                }
            });
        }
        catch (IOException e) {
            throw DollyException.engineFailed("Cannot give " + path + " to the engine user " + name + ": " + e.getMessage(), e);
        }
    }

    private String groupName()
    {
        String group = groupName;
        if (group == null) {
            group = run(List.of("id", "-gn", name)).strip();
            groupName = group;
        }
        return group;
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
