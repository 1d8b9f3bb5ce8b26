package dev.dolly.core.storage;

import com.sun.jna.Library;
import com.sun.jna.Memory;
import com.sun.jna.Native;
import com.sun.jna.Pointer;
import dev.dolly.api.DollyException;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static java.util.Objects.requireNonNull;

/**
 * ID-mapped bind mounts (Linux 5.12 and later): a directory tree whose files belong to one account, shown at another
 * place as if they belonged to another account, without changing a file. Files that the other account creates through
 * the mount are stored as the first account's. A clone of an image can so be handed to its container's own account
 * in well under a millisecond of system calls, where changing the owner of every file of a 1 GB clone takes tens of
 * milliseconds and, on overlayfs, copies metadata up for every file.
 *
 * <p>The kernel takes the mapping from a user namespace. The JVM has many threads and so cannot enter a new user
 * namespace itself: {@code unshare --user} makes one in a short-lived child process, whose maps the daemon writes as
 * root, and whose namespace stays alive for as long as the mount refers to it. Starting that process takes several
 * milliseconds, so one is always started ahead, in the background, for the next mount; it reads a pipe from the
 * daemon until the daemon closes it, and so never outlives the daemon.
 *
 * <p>Needs root. btrfs (5.15), XFS and ext4 support it; overlayfs does not allow its own mounts to be ID-mapped, but
 * accepts ID-mapped layers.
 */
public final class IdMappedMounts
{
    private static final long SYSTEM_CALL_OPEN_TREE = 428;
    private static final long SYSTEM_CALL_MOVE_MOUNT = 429;
    private static final long SYSTEM_CALL_MOUNT_SETATTR = 442;
    private static final int AT_FDCWD = -100;
    private static final int OPEN_TREE_CLONE = 1;
    private static final int OPEN_TREE_CLOEXEC = 0x80000;
    private static final int AT_EMPTY_PATH = 0x1000;
    private static final int MOVE_MOUNT_F_EMPTY_PATH = 0x4;
    private static final long MOUNT_ATTR_IDMAP = 0x100000;
    private static final int MOUNT_ATTR_SIZE = 32;
    private static final int O_RDONLY_CLOEXEC = 0x80000;
    private static final int MNT_DETACH = 2;
    private static final long MS_BIND = 4096;
    private static final long MS_PRIVATE = 1 << 18;
    private static final Duration NAMESPACE_TIMEOUT = Duration.ofSeconds(10);
    private static final Object SPARE_HOLDER_LOCK = new Object();
    /** A process in a user namespace whose maps are not written yet, for the next mount; guarded by the lock. */
    private static Process spareHolder;

    /** The C library calls used, through JNA. */
    private interface SystemLibrary
            extends Library
    {
        long syscall(long number, Object... arguments);

        int open(String path, int flags);

        int close(int descriptor);

        int umount2(String target, int flags);

        int mount(String source, String target, String type, long flags, Pointer data);

        String strerror(int error);
    }

    private static final class Holder
    {
        private static final SystemLibrary LIBRARY = Native.load("c", SystemLibrary.class);
    }

    private IdMappedMounts() {}

    /**
     * Mounts {@code source} at {@code target} (an existing directory, which may be {@code source} itself), with files
     * of {@code fromUid}/{@code fromGid} shown as {@code toUid}/{@code toGid}. Other files show as the overflow account
     * ({@code nobody}).
     *
     * @throws DollyException with {@code STORAGE_FAILED} when the kernel or the file system refuses
     */
    public static void mount(Path source, Path target, int fromUid, int fromGid, int toUid, int toGid)
    {
        mountAll(List.of(new View(source, target)), new OwnerMap(fromUid, fromGid, toUid, toGid, false));
    }

    /** A directory tree and where its ID-mapped view goes. */
    public record View(Path source, Path target)
    {
        public View
        {
            requireNonNull(source, "source is null");
            requireNonNull(target, "target is null");
        }
    }

    /**
     * Files of {@code fromUid}/{@code fromGid} shown as {@code toUid}/{@code toGid}. With {@code rootKept}, root's
     * files stay root's, and root may create files through the view: overlayfs does so in its upper layer (its work
     * directory, copies up) with the credentials of whoever mounted it.
     */
    public record OwnerMap(int fromUid, int fromGid, int toUid, int toGid, boolean rootKept)
    {
        String uidMap()
        {
            return map(fromUid, toUid);
        }

        String gidMap()
        {
            return map(fromGid, toGid);
        }

        private String map(int from, int to)
        {
            // the lines of a map may not overlap
            return from + " " + to + " 1\n" + (rootKept && from != 0 && to != 0 ? "0 0 1\n" : "");
        }
    }

    /**
     * Mounts each source at its target with the same mapping of owners, through one user namespace: several views
     * cost one process started ahead. A failure detaches the views made before it.
     *
     * @throws DollyException with {@code STORAGE_FAILED} when the kernel or the file system refuses
     */
    public static void mountAll(List<View> views, OwnerMap owners)
    {
        requireNonNull(views, "views is null");
        requireNonNull(owners, "owners is null");
        Process namespaceHolder = takeNamespaceHolder();
        List<Path> mounted = new ArrayList<>();
        try {
            long pid = namespaceHolder.pid();
            awaitOwnUserNamespace(pid, namespaceHolder);
            Files.writeString(Path.of("/proc", Long.toString(pid), "uid_map"), owners.uidMap(), StandardCharsets.US_ASCII);
            Files.writeString(Path.of("/proc", Long.toString(pid), "gid_map"), owners.gidMap(), StandardCharsets.US_ASCII);
            SystemLibrary library = Holder.LIBRARY;
            int namespace = library.open("/proc/" + pid + "/ns/user", O_RDONLY_CLOEXEC);
            if (namespace < 0) {
                throw failure("open the user namespace of process " + pid, views.getFirst().source(), views.getFirst().target());
            }
            try {
                for (View view : views) {
                    mountView(library, namespace, view.source(), view.target());
                    mounted.add(view.target());
                }
            }
            finally {
                library.close(namespace);
            }
        }
        catch (IOException | RuntimeException e) {
            for (Path target : mounted.reversed()) {
                Holder.LIBRARY.umount2(target.toString(), MNT_DETACH);
            }
            if (e instanceof DollyException dollyException) {
                throw dollyException;
            }
            if (e instanceof RuntimeException runtimeException) {
                throw runtimeException;
            }
            throw DollyException.storageFailed("Cannot map the owners of " + views.getFirst().source() + " for " + views.getFirst().target() + ": " + e.getMessage(), e);
        }
        finally {
            // the JVM reaps it; the mounts keep the namespace
            namespaceHolder.destroyForcibly();
        }
    }

    private static void mountView(SystemLibrary library, int namespace, Path source, Path target)
    {
        int tree = (int) library.syscall(SYSTEM_CALL_OPEN_TREE, (long) AT_FDCWD, source.toString(), (long) (OPEN_TREE_CLONE | OPEN_TREE_CLOEXEC));
        if (tree < 0) {
            throw failure("open_tree", source, target);
        }
        try {
            Memory attributes = new Memory(MOUNT_ATTR_SIZE);
            attributes.clear();
            attributes.setLong(0, MOUNT_ATTR_IDMAP);
            attributes.setLong(24, namespace);
            if (library.syscall(SYSTEM_CALL_MOUNT_SETATTR, (long) tree, "", (long) AT_EMPTY_PATH, attributes, (long) MOUNT_ATTR_SIZE) < 0) {
                throw failure("mount_setattr", source, target);
            }
            if (library.syscall(SYSTEM_CALL_MOVE_MOUNT, (long) tree, "", (long) AT_FDCWD, target.toString(), (long) MOVE_MOUNT_F_EMPTY_PATH) < 0) {
                throw failure("move_mount", source, target);
            }
        }
        finally {
            library.close(tree);
        }
    }

    /** A process in a user namespace of its own, whose maps are not written yet; the next one starts in the background. */
    private static Process takeNamespaceHolder()
    {
        Process holder;
        synchronized (SPARE_HOLDER_LOCK) {
            holder = spareHolder;
            spareHolder = null;
        }
        if (holder == null || !holder.isAlive()) {
            holder = startNamespaceHolder();
        }
        Thread.ofVirtual().name("dolly-spare-user-namespace").start(IdMappedMounts::startSpareHolder);
        return holder;
    }

    private static void startSpareHolder()
    {
        Process holder;
        try {
            holder = startNamespaceHolder();
        }
        catch (DollyException e) {
            // the next mount starts its own, and says why it cannot
            return;
        }
        synchronized (SPARE_HOLDER_LOCK) {
            if (spareHolder == null) {
                spareHolder = holder;
                return;
            }
        }
        holder.destroyForcibly();
    }

    private static Process startNamespaceHolder()
    {
        try {
            // cat reads the pipe the daemon holds open: it ends when the daemon closes it or dies
            return new ProcessBuilder("unshare", "--user", "--", "cat")
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .redirectError(ProcessBuilder.Redirect.DISCARD)
                    .start();
        }
        catch (IOException e) {
            throw DollyException.storageFailed("Cannot run unshare --user: " + e.getMessage() + ". ID-mapped mounts need unshare from util-linux.", e);
        }
    }

    /**
     * Detaches the mount at {@code target} from this mount namespace (lazily: the kernel frees it once nothing uses
     * it). Copies made by {@code unshare --mount} before this keep theirs.
     *
     * @throws DollyException with {@code STORAGE_FAILED} when nothing is mounted there or the kernel refuses
     */
    public static void unmount(Path target)
    {
        requireNonNull(target, "target is null");
        if (Holder.LIBRARY.umount2(target.toString(), MNT_DETACH) < 0) {
            throw DollyException.storageFailed("Cannot unmount " + target + ": " + errorText());
        }
    }

    /**
     * Makes {@code directory} a mount of its own whose mounts neither propagate to other mount namespaces nor receive
     * theirs (a private bind mount of itself), unless it is one already. Mounts attached below it then stay in this
     * namespace, and in copies of it made afterwards.
     *
     * @throws DollyException with {@code STORAGE_FAILED} when the kernel refuses
     */
    public static void makePrivateMount(Path directory)
    {
        requireNonNull(directory, "directory is null");
        String path = directory.toAbsolutePath().toString();
        SystemLibrary library = Holder.LIBRARY;
        if (!isMountPoint(directory) && library.mount(path, path, null, MS_BIND, null) < 0) {
            throw DollyException.storageFailed("Cannot bind-mount " + directory + " on itself: " + errorText());
        }
        if (library.mount("none", path, null, MS_PRIVATE, null) < 0) {
            throw DollyException.storageFailed("Cannot make the mount of " + directory + " private: " + errorText());
        }
    }

    /** Whether a mount of this namespace has {@code directory} as its mount point. */
    static boolean isMountPoint(Path directory)
    {
        String target = directory.toAbsolutePath().normalize().toString();
        try {
            // /proc/self/mountinfo: id, parent id, major:minor, root, mount point (octal escapes for spaces), …
            return Files.readAllLines(Path.of("/proc/self/mountinfo"), StandardCharsets.UTF_8).stream()
                    .map(line -> line.split(" "))
                    .filter(fields -> fields.length > 4)
                    .anyMatch(fields -> unescape(fields[4]).equals(target));
        }
        catch (IOException e) {
            throw DollyException.storageFailed("Cannot read the mounts of this process: " + e.getMessage(), e);
        }
    }

    private static String unescape(String field)
    {
        return field.replace("\\040", " ").replace("\\011", "\t").replace("\\012", "\n").replace("\\134", "\\");
    }

    /** {@code unshare} has made its user namespace once its {@code ns/user} link differs from ours. */
    private static void awaitOwnUserNamespace(long pid, Process namespaceHolder)
            throws IOException
    {
        Path ours = Files.readSymbolicLink(Path.of("/proc/self/ns/user"));
        Path link = Path.of("/proc", Long.toString(pid), "ns", "user");
        long deadline = System.nanoTime() + NAMESPACE_TIMEOUT.toNanos();
        while (Files.readSymbolicLink(link).equals(ours)) {
            if (!namespaceHolder.isAlive()) {
                throw DollyException.storageFailed("unshare --user exited with code " + namespaceHolder.exitValue()
                        + " before making a user namespace: ID-mapped mounts need unshare from util-linux and a kernel with user namespaces.");
            }
            if (System.nanoTime() - deadline > 0) {
                throw DollyException.storageFailed("unshare --user did not make a user namespace within " + NAMESPACE_TIMEOUT.toSeconds() + " s.");
            }
            pauseWhileWaitingFor("a user namespace");
        }
    }

    private static DollyException failure(String call, Path source, Path target)
    {
        return DollyException.storageFailed("Cannot mount " + source + " at " + target + " with its owners mapped: " + call + " failed: " + errorText()
                + ". ID-mapped mounts need Linux 5.12 or later, root, and a file system that supports them (btrfs, XFS, ext4).");
    }

    private static String errorText()
    {
        int error = Native.getLastError();
        return Holder.LIBRARY.strerror(error) + " (errno " + error + ")";
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
