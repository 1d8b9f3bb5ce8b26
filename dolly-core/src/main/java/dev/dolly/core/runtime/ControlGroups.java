package dev.dolly.core.runtime;

import dev.dolly.api.DollyException;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

import static java.util.Objects.requireNonNull;

/**
 * The cgroups of servers, one per server below {@code dolly/}: on a cgroup v2 host in the unified hierarchy when it
 * offers the memory and pids controllers, else in the cgroup v1 hierarchies {@code memory} and {@code pids} (a
 * hybrid host). Writable as root only.
 */
final class ControlGroups
{
    static final Path SYSTEM_ROOT = Path.of("/sys/fs/cgroup");
    static final String PARENT = "dolly";

    enum Version
    {
        V1("cgroup v1 (memory and pids hierarchies)"),
        V2("cgroup v2");

        private final String description;

        Version(String description)
        {
            this.description = description;
        }

        String description()
        {
            return description;
        }
    }

    private final Path root;
    private final Optional<Version> version;
    private final String reason;

    private ControlGroups(Path root, Optional<Version> version, String reason)
    {
        this.root = requireNonNull(root, "root is null");
        this.version = requireNonNull(version, "version is null");
        this.reason = requireNonNull(reason, "reason is null");
    }

    /**
     * The cgroups below {@code root} ({@link #SYSTEM_ROOT} but in tests), or none, with the reason, when the daemon
     * does not run as root or the host offers no memory and pids controllers.
     */
    static ControlGroups detect(Path root, boolean runningAsRoot)
    {
        if (!runningAsRoot) {
            return new ControlGroups(root, Optional.empty(), "the daemon does not run as root, and only root may create cgroups");
        }
        Path controllers = root.resolve("cgroup.controllers");
        if (Files.isRegularFile(controllers)) {
            List<String> available = List.of(read(controllers).strip().split("\\s+"));
            if (available.contains("memory") && available.contains("pids")) {
                return new ControlGroups(root, Optional.of(Version.V2), "");
            }
            return new ControlGroups(root, Optional.empty(), "the cgroup v2 hierarchy at " + root + " offers no memory and pids controllers");
        }
        if (Files.isRegularFile(root.resolve("memory").resolve("memory.limit_in_bytes")) && Files.isRegularFile(root.resolve("pids").resolve("cgroup.procs"))) {
            return new ControlGroups(root, Optional.of(Version.V1), "");
        }
        return new ControlGroups(root, Optional.empty(), "no cgroup hierarchy with memory and pids controllers is mounted at " + root);
    }

    Optional<Version> version()
    {
        return version;
    }

    /** Why there are no cgroups; empty when there are. */
    String reason()
    {
        return reason;
    }

    /** A new cgroup (an old one of the same name, left by a crash, is emptied and reused) with these limits. */
    ControlGroup create(String name, ServerLimits limits)
    {
        requireNonNull(limits, "limits is null");
        Version current = version.orElseThrow(() -> new IllegalStateException("no cgroups: " + reason));
        List<Path> directories = directories(current, name);
        try {
            if (current == Version.V2) {
                enableControllers(root);
                Files.createDirectories(root.resolve(PARENT));
                enableControllers(root.resolve(PARENT));
            }
            for (Path directory : directories) {
                Files.createDirectories(directory);
            }
            ControlGroup group = new ControlGroup(name, directories, current == Version.V2);
            if (current == Version.V2) {
                write(directories.getFirst().resolve("memory.max"), String.valueOf(limits.memoryBytes()));
                write(directories.getFirst().resolve("pids.max"), String.valueOf(limits.processes()));
            }
            else {
                write(directories.get(0).resolve("memory.limit_in_bytes"), String.valueOf(limits.memoryBytes()));
                write(directories.get(1).resolve("pids.max"), String.valueOf(limits.processes()));
            }
            return group;
        }
        catch (IOException e) {
            throw DollyException.engineFailed("Cannot create the cgroup " + PARENT + "/" + name + " below " + root + ": " + e.getMessage(), e);
        }
    }

    /** The cgroup of that name when it exists: a server started before the daemon restarted. */
    Optional<ControlGroup> existing(String name)
    {
        if (version.isEmpty()) {
            return Optional.empty();
        }
        List<Path> directories = directories(version.get(), name);
        if (!Files.isDirectory(directories.getFirst(), LinkOption.NOFOLLOW_LINKS)) {
            return Optional.empty();
        }
        return Optional.of(new ControlGroup(name, directories, version.get() == Version.V2));
    }

    private List<Path> directories(Version current, String name)
    {
        if (name.isEmpty() || name.contains("/") || name.startsWith(".")) {
            throw new IllegalArgumentException("not a cgroup name: " + name);
        }
        return switch (current) {
            case V2 -> List.of(root.resolve(PARENT).resolve(name));
            case V1 -> List.of(root.resolve("memory").resolve(PARENT).resolve(name), root.resolve("pids").resolve(PARENT).resolve(name));
        };
    }

    private static void enableControllers(Path group)
            throws IOException
    {
        Path control = group.resolve("cgroup.subtree_control");
        String enabled = Files.isRegularFile(control) ? Files.readString(control) : "";
        if (!List.of(enabled.strip().split("\\s+")).containsAll(List.of("memory", "pids"))) {
            write(control, "+memory +pids");
        }
    }

    static void write(Path file, String value)
            throws IOException
    {
        Files.writeString(file, value + "\n");
    }

    private static String read(Path file)
    {
        try {
            return Files.readString(file);
        }
        catch (IOException e) {
            return "";
        }
    }
}
