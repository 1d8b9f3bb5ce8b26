package dev.dolly.core.runtime;

import dev.dolly.api.DollyException;
import dev.dolly.api.ServerInfo;
import dev.dolly.core.engine.EngineUser;
import dev.dolly.core.process.Command;
import dev.dolly.core.process.CommandRunner;
import dev.dolly.core.storage.FileTrees;
import dev.dolly.core.storage.IdMappedMounts;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SeekableByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.stream.Stream;

import static java.util.Objects.requireNonNull;

/**
 * Runs servers as processes of this machine. As root, each server runs in PID, mount and IPC namespaces of its own
 * with a private {@code /tmp}, in a cgroup of its own with memory and process limits, as its account; without root,
 * as the daemon's user, without either (what {@link #isolation} says). The handle of every server launched is kept
 * by data directory and is what stops and signals it; after a restart of the daemon, servers are found through their
 * cgroup, and only without cgroups through their pid file.
 * <p>
 * Per server, the runtime keeps a directory of its own below the state directory, named after the data directory:
 * the files the daemon writes for the server (read-only to it), its private {@code /tmp}, and directories it may
 * write. The state directory and each server's directory belong to the daemon.
 */
public final class LocalProcessRuntime
        implements ContainerRuntime
{
    private static final Logger LOG = LoggerFactory.getLogger(LocalProcessRuntime.class);
    private static final Duration KILL_TIMEOUT = Duration.ofSeconds(10);
    private static final String PRIVATE_TEMPORARY = "tmp";
    private static final String MAPPED_VIEWS = "mapped";
    /** The mounts the server's namespace makes, read by its shell as root; a dot name, which no server file has. */
    private static final String MOUNT_TABLE = ".mounts";
    private static final int NAME_PATH_CHARACTERS = 48;
    private static final Map<Path, LocalProcessRuntime> STANDALONE = new ConcurrentHashMap<>();

    private final Path stateDirectory;
    private final ServerLimits limits;
    private final boolean runningAsRoot;
    private final ControlGroups controlGroups;
    private final Optional<Path> setsid;
    private final Optional<Path> unshare;
    private final String namespacesReason;
    private final Map<Path, Launched> servers = new ConcurrentHashMap<>();
    /** Guards the directory of data views, whose mount is made private once. */
    private final Object mappedViews = new Object();
    private boolean mappedViewsPrivate;

    LocalProcessRuntime(Path stateDirectory, ServerLimits limits, boolean runningAsRoot, ControlGroups controlGroups, Optional<Path> unshare)
    {
        this.stateDirectory = requireNonNull(stateDirectory, "stateDirectory is null").toAbsolutePath();
        this.limits = requireNonNull(limits, "limits is null");
        this.runningAsRoot = runningAsRoot;
        this.controlGroups = requireNonNull(controlGroups, "controlGroups is null");
        this.setsid = program("setsid");
        this.unshare = runningAsRoot ? requireNonNull(unshare, "unshare is null") : Optional.empty();
        this.namespacesReason = runningAsRoot
                ? (this.unshare.isPresent() ? "" : "unshare (util-linux) is not installed")
                : "the daemon does not run as root, and only root may create them for another account";
    }

    /** A runtime keeping its state in {@code stateDirectory}, with cgroups and namespaces when the daemon runs as root. */
    public static LocalProcessRuntime create(Path stateDirectory, ServerLimits limits)
    {
        boolean root = isRoot();
        return new LocalProcessRuntime(stateDirectory, limits, root, ControlGroups.detect(ControlGroups.SYSTEM_ROOT, root), program("unshare"));
    }

    /**
     * The runtime of engines created without one (tests, tools): one per process and user, with the default limits,
     * keeping its state in {@code <tmp>/dolly-runtime-<uid>}.
     */
    public static LocalProcessRuntime standalone()
    {
        Path directory = Path.of(System.getProperty("java.io.tmpdir"), "dolly-runtime-" + currentUid());
        return STANDALONE.computeIfAbsent(directory, path -> create(path, ServerLimits.defaults()));
    }

    @Override
    public ServerProcess launch(ServerLaunch launch)
    {
        requireNonNull(launch, "launch is null");
        Path dataDirectory = launch.dataDirectory();
        Launched previous = servers.get(dataDirectory);
        if (previous != null && previous.process().isAlive()) {
            throw DollyException.engineFailed("A server already runs on " + dataDirectory + " (process " + previous.process().pid() + ").");
        }
        String name = serverName(dataDirectory);
        Optional<ControlGroup> group = Optional.empty();
        long started = System.nanoTime();
        try {
            Path serverDirectory = serverDirectory(name);
            Path temporary = serverDirectory.resolve(PRIVATE_TEMPORARY);
            if (unshare.isPresent()) {
                // empty and the daemon's until the server's namespace mounts it: nothing planted by an earlier run is followed
                FileTrees.deleteRecursively(temporary);
                Files.createDirectory(temporary, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
                if (launch.account().switchesUser()) {
                    // nothing of the account runs yet: it owns its /tmp from the start, as a shell's chown would make it later
                    Files.setAttribute(temporary, "unix:uid", launch.account().uid(), LinkOption.NOFOLLOW_LINKS);
                    Files.setAttribute(temporary, "unix:gid", launch.account().gid(), LinkOption.NOFOLLOW_LINKS);
                }
            }
            long prepared = System.nanoTime();
            if (controlGroups.version().isPresent()) {
                Optional<ControlGroup> old = controlGroups.existing(name);
                if (old.isPresent() && !old.get().processes().isEmpty()) {
                    throw DollyException.engineFailed("A server of " + dataDirectory + " still runs (cgroup " + ControlGroups.PARENT + "/" + name + ", processes "
                            + old.get().processes() + "): stop it first.");
                }
                group = Optional.of(controlGroups.create(name, limits));
            }
            long grouped = System.nanoTime();
            openLog(launch.logFile());
            // what the server reads below /tmp, where tests keep everything: its data, its installation, its own directory
            Path program = Path.of(launch.command().getFirst()).toAbsolutePath();
            Path installation = program.getParent().getParent() == null ? program.getParent() : program.getParent().getParent();
            List<Path> visible = Stream.concat(launch.visibleDirectories().stream(), Stream.of(dataDirectory, installation, serverDirectory)).toList();
            Process process;
            long locked;
            long claimed;
            long forked;
            // one mapped launch at a time: a namespace copied while another's view is attached would keep a copy of it
            synchronized (mappedViews) {
                locked = System.nanoTime();
                Optional<SandboxCommand.DataView> dataView = claim(dataDirectory, launch.account(), name);
                claimed = System.nanoTime();
                SandboxCommand sandbox = new SandboxCommand(setsid, group.map(ControlGroup::processFiles).orElse(List.of()), unshare, temporary,
                        serverDirectory.resolve(MOUNT_TABLE), visible,
                        launch.account().switchesUser() ? Optional.of(new SandboxCommand.Ids(launch.account().uid(), launch.account().gid())) : Optional.empty(),
                        dataView);
                if (unshare.isPresent()) {
                    writeMountTable(serverDirectory.resolve(MOUNT_TABLE), sandbox.mountTable());
                }
                process = CommandRunner.system().launch(Command.of(sandbox.wrap(launch.command())).inDirectory(dataDirectory), launch.logFile());
                forked = System.nanoTime();
                if (dataView.isPresent()) {
                    detachOnceCopied(process, dataView.get().view());
                }
            }
            long ended = System.nanoTime();
            Launched launched = new Launched(name, process, group, unshare.isPresent());
            servers.put(dataDirectory, launched);
            // where a start's time goes before the server itself runs: its directory and /tmp, its cgroup, the data's owners
            // (an ID-mapped view, or every file changed), the fork and exec of the sandbox's first program, and the wait for
            // its namespaces while the view is attached
            LOG.info("Server of {} launched in {} ms (directory {} ms, cgroup {} ms, owners {} ms, process {} ms, namespaces {} ms)", dataDirectory,
                    millis(started, ended), millis(started, prepared), millis(prepared, grouped), millis(locked, claimed), millis(claimed, forked),
                    millis(forked, ended));
            return launched;
        }
        catch (IOException e) {
            group.ifPresent(this::removeGroup);
            throw DollyException.engineFailed("Cannot prepare the start of the server of " + dataDirectory + ": " + e.getMessage(), e);
        }
        catch (RuntimeException e) {
            group.ifPresent(this::removeGroup);
            throw e;
        }
    }

    @Override
    public boolean isRunning(Path dataDirectory, Supplier<Optional<ProcessHandle>> processFile)
    {
        Path directory = requireNonNull(dataDirectory, "dataDirectory is null").toAbsolutePath();
        requireNonNull(processFile, "processFile is null");
        Launched launched = servers.get(directory);
        if (launched != null) {
            if (launched.process().isAlive()) {
                return true;
            }
            // it exited by itself (a crash, a kill by hand): clear what is left of it
            servers.remove(directory, launched);
            launched.group().ifPresent(this::removeGroup);
            return false;
        }
        if (controlGroups.version().isPresent()) {
            return controlGroups.existing(serverName(directory)).map(group -> !group.processes().isEmpty()).orElse(false);
        }
        return processFile.get().filter(process -> Processes.isRunning(process.pid())).isPresent();
    }

    @Override
    public Optional<ProcessHandle> server(Path dataDirectory, Supplier<Optional<ProcessHandle>> processFile)
    {
        Path directory = requireNonNull(dataDirectory, "dataDirectory is null").toAbsolutePath();
        requireNonNull(processFile, "processFile is null");
        if (!isRunning(directory, processFile)) {
            return Optional.empty();
        }
        Launched launched = servers.get(directory);
        if (launched != null) {
            return serverProcess(launched).flatMap(ProcessHandle::of);
        }
        if (controlGroups.version().isPresent()) {
            return controlGroups.existing(serverName(directory)).flatMap(group -> serverInGroup(group.processes())).flatMap(ProcessHandle::of);
        }
        return processFile.get().filter(process -> Processes.isRunning(process.pid()));
    }

    /** The server among the processes of its cgroup: the first process of its PID namespace, or without namespaces the oldest. */
    private static Optional<Long> serverInGroup(List<Long> processes)
    {
        return processes.stream().filter(Processes::isNamespaceInit).findFirst().or(() -> processes.stream().min(Long::compare));
    }

    @Override
    public boolean stop(Path dataDirectory, Supplier<Optional<ProcessHandle>> processFile, String cleanStopSignal, Duration timeout)
    {
        Path directory = requireNonNull(dataDirectory, "dataDirectory is null").toAbsolutePath();
        requireNonNull(processFile, "processFile is null");
        requireNonNull(cleanStopSignal, "cleanStopSignal is null");
        requireNonNull(timeout, "timeout is null");
        String name = serverName(directory);
        Launched launched = servers.remove(directory);
        boolean clean = true;
        if (launched != null) {
            Process process = launched.process();
            if (process.isAlive()) {
                serverProcess(launched).ifPresent(server -> Processes.signal(server, cleanStopSignal));
                clean = awaitExit(process, timeout);
                if (!clean) {
                    LOG.warn("The server of {} did not stop within {} seconds of SIG{}: killing it", directory, timeout.toSeconds(), cleanStopSignal);
                    process.destroyForcibly();
                    awaitExit(process, KILL_TIMEOUT);
                }
            }
            launched.group().ifPresent(this::removeGroup);
        }
        else if (controlGroups.version().isPresent()) {
            Optional<ControlGroup> group = controlGroups.existing(name);
            if (group.isPresent()) {
                Optional<Long> server = serverInGroup(group.get().processes());
                if (server.isPresent()) {
                    Processes.signal(server.get(), cleanStopSignal);
                    clean = awaitGone(server.get(), timeout);
                }
                removeGroup(group.get());
            }
        }
        else {
            Optional<ProcessHandle> server = processFile.get().filter(process -> Processes.isRunning(process.pid()));
            if (server.isPresent()) {
                Processes.signal(server.get().pid(), cleanStopSignal);
                clean = awaitGone(server.get().pid(), timeout);
                if (!clean) {
                    server.get().destroyForcibly();
                    awaitGone(server.get().pid(), KILL_TIMEOUT);
                }
            }
        }
        clearServerDirectory(name);
        return clean;
    }

    @Override
    public void kill(Path dataDirectory)
    {
        Path directory = requireNonNull(dataDirectory, "dataDirectory is null").toAbsolutePath();
        Launched launched = servers.remove(directory);
        if (launched != null) {
            launched.process().destroyForcibly();
            awaitExit(launched.process(), KILL_TIMEOUT);
            launched.group().ifPresent(this::removeGroup);
        }
        else {
            controlGroups.existing(serverName(directory)).ifPresent(this::removeGroup);
        }
        clearServerDirectory(serverName(directory));
    }

    @Override
    public Path writeServerFile(Path dataDirectory, EngineUser account, String fileName, String content)
    {
        requireNonNull(account, "account is null");
        requireNonNull(content, "content is null");
        checkFileName(fileName);
        Path directory = requireNonNull(dataDirectory, "dataDirectory is null").toAbsolutePath();
        try {
            Path file = serverDirectory(serverName(directory)).resolve(fileName);
            Path temporary = file.resolveSibling(fileName + ".new");
            Files.deleteIfExists(temporary);
            Files.createFile(temporary, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            Files.writeString(temporary, content, StandardCharsets.UTF_8);
            if (account.switchesUser()) {
                // readable by the server through its group, writable by the daemon only
                Files.setAttribute(temporary, "unix:gid", account.gid(), LinkOption.NOFOLLOW_LINKS);
                Files.setPosixFilePermissions(temporary, PosixFilePermissions.fromString("rw-r-----"));
            }
            Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            return file;
        }
        catch (IOException e) {
            throw DollyException.engineFailed("Cannot write " + fileName + " for the server of " + directory + ": " + e.getMessage(), e);
        }
    }

    @Override
    public Path serverDirectory(Path dataDirectory, EngineUser account, String name)
    {
        requireNonNull(account, "account is null");
        checkFileName(name);
        if (name.equals(PRIVATE_TEMPORARY)) {
            throw new IllegalArgumentException("reserved: " + name);
        }
        Path directory = requireNonNull(dataDirectory, "dataDirectory is null").toAbsolutePath();
        try {
            Path owned = serverDirectory(serverName(directory)).resolve(name);
            if (!Files.isDirectory(owned, LinkOption.NOFOLLOW_LINKS)) {
                FileTrees.deleteRecursively(owned);
                Files.createDirectory(owned, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
            }
            if (account.switchesUser()) {
                Files.setAttribute(owned, "unix:uid", account.uid(), LinkOption.NOFOLLOW_LINKS);
                Files.setAttribute(owned, "unix:gid", account.gid(), LinkOption.NOFOLLOW_LINKS);
            }
            return owned;
        }
        catch (IOException e) {
            throw DollyException.engineFailed("Cannot prepare the directory " + name + " for the server of " + directory + ": " + e.getMessage(), e);
        }
    }

    @Override
    public Optional<ServerLimits> limits()
    {
        return controlGroups.version().isPresent() ? Optional.of(limits) : Optional.empty();
    }

    @Override
    public ServerInfo.Isolation isolation(String accounts)
    {
        String namespaces = unshare.isPresent()
                ? "PID, mount and IPC namespaces per server, with a private /tmp"
                : "none: " + namespacesReason;
        String cgroups = controlGroups.version().map(version -> version.description() + ", one cgroup per server")
                .orElse("none: " + controlGroups.reason());
        Optional<ServerLimits> limits = limits();
        return new ServerInfo.Isolation(accounts, namespaces, cgroups, limits.map(ServerLimits::memoryBytes).orElse(null), limits.map(ServerLimits::processes).orElse(null));
    }

    /** The cgroup a server runs in, for tests and {@code dolly info}: empty without cgroups. */
    public Optional<List<Path>> controlGroupDirectories(Path dataDirectory)
    {
        return controlGroups.existing(serverName(dataDirectory.toAbsolutePath())).map(ControlGroup::directories);
    }

    /**
     * The name of a data directory's server: the end of its path, readable, and a hash of the whole path, so that
     * the name is the same after a restart of the daemon and differs for every data directory.
     */
    static String serverName(Path dataDirectory)
    {
        String path = dataDirectory.toAbsolutePath().normalize().toString();
        String readable = path.replaceAll("[^A-Za-z0-9_.-]+", "-").replaceAll("^[-.]+", "");
        if (readable.length() > NAME_PATH_CHARACTERS) {
            readable = readable.substring(readable.length() - NAME_PATH_CHARACTERS).replaceAll("^[-.]+", "");
        }
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256").digest(path.getBytes(StandardCharsets.UTF_8));
            return readable + "-" + HexFormat.of().formatHex(hash, 0, 6);
        }
        catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Makes a data directory the server's account's when its files belong to another account (a clone of an image,
     * whose files are the build's): where the file system allows it, through an ID-mapped view that shows the files
     * as the account's without changing any (mounted over the data directory inside the server's namespaces), else
     * by changing the owner of every file. An overlay mount cannot be ID-mapped itself: the overlay driver mounts a
     * container's clone on ID-mapped layers, so it is the account's already; one it could not map has its owners
     * changed here, which with {@code metacopy=on} copies up metadata only.
     *
     * @return the view to mount over the data directory, if any
     */
    private Optional<SandboxCommand.DataView> claim(Path dataDirectory, EngineUser account, String name)
            throws IOException
    {
        if (!account.switchesUser() || account.owns(dataDirectory)) {
            return Optional.empty();
        }
        if (unshare.isPresent() && !Files.getFileStore(dataDirectory).type().equals("overlay")) {
            Path views = stateDirectory.resolve(MAPPED_VIEWS);
            ensureDaemonDirectory(views, "rwx------");
            if (!mappedViewsPrivate) {
                // views attached below a private mount are not copied into the namespaces of other servers
                IdMappedMounts.makePrivateMount(views);
                mappedViewsPrivate = true;
            }
            Path view = views.resolve(name);
            ensureDaemonDirectory(view, "rwx------");
            int ownerUid = (Integer) Files.getAttribute(dataDirectory, "unix:uid", LinkOption.NOFOLLOW_LINKS);
            int ownerGid = (Integer) Files.getAttribute(dataDirectory, "unix:gid", LinkOption.NOFOLLOW_LINKS);
            try {
                IdMappedMounts.mount(dataDirectory, view, ownerUid, ownerGid, account.uid(), account.gid());
                return Optional.of(new SandboxCommand.DataView(view, dataDirectory));
            }
            catch (DollyException e) {
                LOG.warn("Changing the owner of every file of {} instead of mapping them: {}", dataDirectory, e.getMessage());
            }
        }
        account.takeOwnership(dataDirectory);
        return Optional.empty();
    }

    /**
     * Detaches a data view from the daemon's mount namespace as soon as the server's namespace has its copy of it
     * ({@code unshare} has run): the view then exists in that namespace only, and goes with it.
     */
    private static void detachOnceCopied(Process process, Path view)
    {
        try {
            Path ours = Files.readSymbolicLink(Path.of("/proc/self/ns/mnt"));
            Path theirs = Path.of("/proc", Long.toString(process.pid()), "ns", "mnt");
            long deadline = System.nanoTime() + KILL_TIMEOUT.toNanos();
            while (process.isAlive() && System.nanoTime() - deadline < 0) {
                try {
                    if (!Files.readSymbolicLink(theirs).equals(ours)) {
                        break;
                    }
                }
                catch (IOException e) {
                    // the process is gone
                    break;
                }
                pauseWhileWaitingFor("the namespace of the server");
            }
        }
        catch (IOException e) {
            LOG.warn("Cannot tell whether the server's namespace exists yet: {}", e.getMessage());
        }
        IdMappedMounts.unmount(view);
    }

    /** The server's directory below the state directory, the daemon's, traversable by the server's account. */
    private Path serverDirectory(String name)
            throws IOException
    {
        String mode = runningAsRoot ? "rwx--x--x" : "rwx------";
        ensureDaemonDirectory(stateDirectory, mode);
        Path directory = stateDirectory.resolve(name);
        ensureDaemonDirectory(directory, mode);
        return directory;
    }

    private static void ensureDaemonDirectory(Path directory, String mode)
            throws IOException
    {
        if (!Files.isDirectory(directory, LinkOption.NOFOLLOW_LINKS)) {
            if (Files.exists(directory, LinkOption.NOFOLLOW_LINKS)) {
                Files.delete(directory);
            }
            Files.createDirectories(directory);
        }
        if (!Files.getOwner(directory, LinkOption.NOFOLLOW_LINKS).equals(Files.getOwner(Path.of("/proc/self")))) {
            throw DollyException.engineFailed(directory + " belongs to another user: remove it.");
        }
        Files.setPosixFilePermissions(directory, PosixFilePermissions.fromString(mode));
    }

    /** The table of the namespace's mounts: the daemon's and readable by it only, written anew for every launch. */
    private static void writeMountTable(Path file, String table)
            throws IOException
    {
        Files.deleteIfExists(file);
        // one exclusive open, written through the descriptor it returns: nothing put in the file's place between a
        // create and a write (a link, say) is ever followed
        try (SeekableByteChannel channel = Files.newByteChannel(file, Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS),
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")))) {
            ByteBuffer bytes = ByteBuffer.wrap(table.getBytes(StandardCharsets.UTF_8));
            while (bytes.hasRemaining()) {
                channel.write(bytes);
            }
        }
    }

    /** The log is the daemon's: created by it, in a directory only it writes, and handed to the server open. */
    private static void openLog(Path logFile)
            throws IOException
    {
        Path directory = logFile.getParent();
        if (!Files.isDirectory(directory, LinkOption.NOFOLLOW_LINKS)) {
            Files.createDirectories(directory, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        }
        if (Files.isSymbolicLink(logFile)) {
            throw DollyException.engineFailed("The log file " + logFile + " is a symbolic link, which the daemon never follows: remove it.");
        }
        if (!Files.exists(logFile, LinkOption.NOFOLLOW_LINKS)) {
            Files.createFile(logFile, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        }
    }

    private void clearServerDirectory(String name)
    {
        FileTrees.deleteRecursively(stateDirectory.resolve(name));
    }

    private void removeGroup(ControlGroup group)
    {
        if (!group.killAll(KILL_TIMEOUT)) {
            LOG.warn("Processes of the cgroup {} outlived SIGKILL: {}", group.name(), group.processes());
        }
        group.remove();
    }

    /** The server itself: the first process of its namespace (the child of unshare), or the launched process. */
    private static Optional<Long> serverProcess(Launched launched)
    {
        if (!launched.namespaced()) {
            return Optional.of(launched.process().pid());
        }
        return Processes.children(launched.process().pid()).stream().findFirst();
    }

    private static boolean awaitExit(Process process, Duration timeout)
    {
        try {
            return process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
        }
        catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw DollyException.failed("Interrupted while waiting for a server to stop");
        }
    }

    /** Waits in steps of a few milliseconds for a process that is not the daemon's child to exit. */
    private static boolean awaitGone(long process, Duration timeout)
    {
        long deadline = System.nanoTime() + timeout.toNanos();
        long pause = 1;
        while (Processes.isRunning(process)) {
            if (System.nanoTime() - deadline >= 0) {
                return false;
            }
            Processes.pause(Duration.ofMillis(pause));
            pause = Math.min(pause * 2, 20);
        }
        return true;
    }

    private static void checkFileName(String name)
    {
        requireNonNull(name, "name is null");
        if (name.isEmpty() || name.contains("/") || name.startsWith(".")) {
            throw new IllegalArgumentException("not a file name: " + name);
        }
    }

    private static Optional<Path> program(String name)
    {
        return Stream.of("/usr/bin", "/bin", "/usr/sbin", "/sbin").map(directory -> Path.of(directory, name)).filter(Files::isExecutable).findFirst();
    }

    private static boolean isRoot()
    {
        return currentUid() == 0;
    }

    private static int currentUid()
    {
        try {
            return (Integer) Files.getAttribute(Path.of("/proc/self"), "unix:uid");
        }
        catch (IOException | UnsupportedOperationException e) {
            return -1;
        }
    }

    /** A server launched by this runtime. */
    private record Launched(String name, Process process, Optional<ControlGroup> group, boolean namespaced)
            implements ServerProcess
    {
        @Override
        public long ownProcessId()
        {
            return namespaced ? 1 : process.pid();
        }

        @Override
        public boolean isAlive()
        {
            return process.isAlive();
        }

        @Override
        public OptionalInt exitCode()
        {
            return process.isAlive() ? OptionalInt.empty() : OptionalInt.of(process.exitValue());
        }
    }

    private static String millis(long from, long to)
    {
        return String.format(Locale.ROOT, "%.1f", (to - from) / 1e6);
    }

    /** A millisecond between looks: a spinning loop would take a core from the very process it waits for. */
    private static void pauseWhileWaitingFor(String what)
    {
        try {
            Thread.sleep(1);
        }
        catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw DollyException.failed("Interrupted while waiting for " + what);
        }
    }
}
