package dev.dolly.core.storage;

import dev.dolly.api.DollyException;
import dev.dolly.core.process.CommandRunner;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.Collectors;

import static java.nio.charset.StandardCharsets.UTF_8;
import static java.util.Objects.requireNonNull;

/**
 * Copy-on-write with overlayfs, on any file system (ext4 included); needs root. An image's volume is a plain
 * directory, the read-only lower layer. A clone is a directory holding {@code upper/} (the files the container
 * wrote), {@code work/} (overlayfs' own), {@code merged/} (the overlay mount, the directory PostgreSQL runs on) and
 * {@code layers} (the keys of its lower layers, one a line, so that it can be mounted again after a restart):
 *
 * <pre>mount -t overlay overlay -o lowerdir=IMAGE,upperdir=UPPER,workdir=WORK,metacopy=on MERGED</pre>
 *
 * <p>Writing to a file of the image copies the whole file up first: PostgreSQL keeps tables in files of up to
 * 1 GB, so the first write to a big table costs a copy of that segment (a reflink instead, when the storage root is
 * on XFS or btrfs). Mounts are gone after a reboot; {@link #activate} mounts a clone again.
 *
 * <p>A {@link #snapshot} of a stopped clone (a revision) is a <em>stacked</em> volume: {@code layer/}, a copy of the
 * clone's upper directory ({@code cp -a --reflink=auto}, whiteouts and opaque directories included), and
 * {@code layers}, naming the volume below it. A clone of a stacked volume mounts its whole chain:
 * {@code lowerdir=REVISION_2/layer:REVISION_1/layer:IMAGE}. A chain longer than {@link #MAXIMUM_LAYERS} is flattened
 * into one plain volume (a copy of a read-only mount of the chain). A stacked volume can {@link #absorb} the layers
 * of the volumes below it, as an image made from a revision does so that it never needs the revision; they are kept
 * as volumes nested in it ({@code images/9/lowers/1}).
 *
 * <p>A clone made for a container's own account ({@link #clone(String, String, VolumeOwner)}) is mounted on
 * ID-mapped views of its layers, its upper one included (overlayfs takes them from Linux 5.19 on): the account sees
 * the image build's files as its own, and what it writes is stored as the build's account, so the chain's layers
 * stay of one account and the next clone maps them the same way. Its {@code owners} file keeps the mapping for
 * {@link #activate}; the views are attached below {@code views/} only while the overlay is mounted.
 */
public final class OverlayStorageDriver
        implements StorageDriver
{
    /** Lower layers beyond which a snapshot is flattened: each layer slows lookups, and mount options must fit in a page. */
    static final int MAXIMUM_LAYERS = 8;

    private static final String LAYERS = "layers";
    private static final String LAYER = "layer";
    private static final String LOWERS = "lowers";
    private static final String UPPER = "upper";
    private static final String WORK = "work";
    private static final String MERGED = "merged";
    /** A clone's mapping of owners, {@code FROM_UID FROM_GID TO_UID TO_GID}, when its layers are mounted ID-mapped. */
    private static final String OWNERS = "owners";
    /** Where the ID-mapped views of a clone's layers are attached while its overlay is mounted, and only then. */
    private static final String VIEWS = "views";
    private static final Logger LOG = LoggerFactory.getLogger(OverlayStorageDriver.class);
    /** Present when the kernel's overlayfs copies up metadata alone ({@code metacopy=on}). */
    private static final Path METACOPY_PARAMETER = Path.of("/sys/module/overlay/parameters/metacopy");

    private final Path root;
    private final CommandRunner runner;

    public OverlayStorageDriver(Path root)
    {
        this(root, CommandRunner.system());
    }

    OverlayStorageDriver(Path root, CommandRunner runner)
    {
        this.root = requireNonNull(root, "root is null").toAbsolutePath().normalize();
        this.runner = requireNonNull(runner, "runner is null");
        checkMountable(this.root);
    }

    /**
     * Checks that overlay mounts work in a directory: mounts a small overlay there, reads a file of its lower layer
     * through it and unmounts it. Returns why it cannot, or empty when it can. Needs root.
     */
    public static Optional<String> probe(Path directory, CommandRunner runner)
    {
        Path probe = directory.resolve(".overlay-probe-" + Long.toHexString(ThreadLocalRandom.current().nextLong()));
        Path merged = probe.resolve(MERGED);
        try {
            checkMountable(directory);
            for (String name : List.of("lower", UPPER, WORK, MERGED)) {
                Files.createDirectories(probe.resolve(name));
            }
            Files.writeString(probe.resolve("lower").resolve("file"), "lower");
            CommandRunner.Result mounted = runner.run(mountCommand(List.of(probe.resolve("lower")), probe.resolve(UPPER), probe.resolve(WORK), merged));
            if (!mounted.succeeded()) {
                return Optional.of("mounting an overlay there fails: " + mounted.output());
            }
            try {
                if (!Files.readString(merged.resolve("file")).equals("lower")) {
                    return Optional.of("an overlay mounted there does not show its lower layer");
                }
            }
            finally {
                runner.run(List.of("umount", merged.toString()));
            }
            return Optional.empty();
        }
        catch (IOException | DollyException e) {
            return Optional.of("the probe failed in " + directory + ": " + e.getMessage());
        }
        finally {
            if (!isMountPoint(merged)) {
                FileTrees.deleteRecursively(probe);
            }
        }
    }

    @Override
    public String name()
    {
        return "overlay";
    }

    @Override
    public Path createVolume(String key)
    {
        Path path = directory(key);
        try {
            Files.createDirectories(path.getParent());
            Files.createDirectory(path);
            return path;
        }
        catch (IOException e) {
            throw DollyException.storageFailed("Cannot create the volume " + path + ": " + e.getMessage(), e);
        }
    }

    @Override
    public void seal(String key)
    {
        Path path = directory(key);
        if (isLayered(path)) {
            throw DollyException.storageFailed("Cannot seal " + key + ": it is a mounted overlay; take a snapshot of it instead");
        }
        Volumes.setMode(path(key), Volumes.SEALED_MODE);
    }

    @Override
    public Path clone(String sourceKey, String targetKey)
    {
        return cloneFor(sourceKey, targetKey, Optional.empty());
    }

    /**
     * A clone whose files the owner's processes see as theirs: when every layer below it belongs to one account (the
     * image build's, as every layer of a chain made by these clones does), the overlay is mounted on ID-mapped views
     * of its layers, the upper one included, which show that account's files as the owner's. Nothing is copied up
     * or changed; what the owner writes is stored as the layers' account, so that its revisions, and images made
     * from them, stay of one account. Otherwise the files keep their owners, for the runtime to change.
     */
    @Override
    public Path clone(String sourceKey, String targetKey, VolumeOwner owner)
    {
        return cloneFor(sourceKey, targetKey, Optional.of(requireNonNull(owner, "owner is null")));
    }

    private Path cloneFor(String sourceKey, String targetKey, Optional<VolumeOwner> owner)
    {
        Path lower = path(sourceKey);
        Path target = directory(targetKey);
        if (!Files.isDirectory(lower, LinkOption.NOFOLLOW_LINKS)) {
            throw DollyException.storageFailed("Cannot clone " + lower + ": it does not exist");
        }
        if (isLayered(directory(sourceKey))) {
            throw DollyException.storageFailed("Cannot clone " + sourceKey + ": it is a mounted overlay; take a snapshot of it and clone that");
        }
        if (Files.exists(target, LinkOption.NOFOLLOW_LINKS)) {
            throw DollyException.storageFailed("Cannot clone " + lower + " to " + target + ": the target exists already");
        }
        try {
            Files.createDirectories(target.getParent());
            Files.createDirectory(target);
            Files.createDirectory(target.resolve(WORK));
            // the mount point, root's and closed: a server's namespace made before this overlay was mounted sees
            // this directory instead of the overlay, and must find nothing it may list
            Files.createDirectory(target.resolve(MERGED), PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
            Path upper = Files.createDirectory(target.resolve(UPPER));
            // the merged root shows the upper root's owner and mode: those PostgreSQL checks
            PosixFileAttributes lowerAttributes = Files.readAttributes(lower, PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
            PosixFileAttributeView upperView = Files.getFileAttributeView(upper, PosixFileAttributeView.class, LinkOption.NOFOLLOW_LINKS);
            upperView.setOwner(lowerAttributes.owner());
            upperView.setGroup(lowerAttributes.group());
            Volumes.setMode(upper, Volumes.WRITABLE_MODE);
            Files.writeString(target.resolve(LAYERS), sourceKey + "\n", UTF_8);
            Optional<IdMappedMounts.OwnerMap> owners = owner.isPresent() ? ownersFor(lowers(sourceKey), owner.get()) : Optional.empty();
            if (owners.isPresent()) {
                IdMappedMounts.OwnerMap map = owners.get();
                Files.writeString(target.resolve(OWNERS), map.fromUid() + " " + map.fromGid() + " " + map.toUid() + " " + map.toGid() + "\n", UTF_8);
            }
            mount(target);
            return target.resolve(MERGED);
        }
        catch (IOException | RuntimeException e) {
            throw undone(e, () -> delete(targetKey), "Cannot clone " + lower + " to " + target + ": " + e.getMessage());
        }
    }

    /**
     * A copy of the clone's upper directory (or of a stacked volume's own layer) above the volume the source is
     * stacked on; flattened into a plain volume when the chain would be longer than {@link #MAXIMUM_LAYERS}.
     */
    @Override
    public void snapshot(String sourceKey, String targetKey)
    {
        Path source = directory(sourceKey);
        Path target = directory(targetKey);
        Volumes.requireSourceAndFreeTarget("snapshot", source, target);
        try {
            Volumes.createParent(target);
            if (!isLayered(source) && !isStacked(source)) {
                copyTree(source, target);
                Volumes.setMode(target, Volumes.SEALED_MODE);
                return;
            }
            Files.createDirectory(target);
            copyTree(isLayered(source) ? source.resolve(UPPER) : source.resolve(LAYER), target.resolve(LAYER));
            Files.writeString(target.resolve(LAYERS), String.join("\n", lowerKeys(source)) + "\n", UTF_8);
            Volumes.setMode(target.resolve(LAYER), Volumes.SEALED_MODE);
            if (lowers(targetKey).size() > MAXIMUM_LAYERS) {
                flatten(targetKey);
            }
        }
        catch (IOException | RuntimeException e) {
            throw undone(e, () -> delete(targetKey), "Cannot snapshot " + source + " to " + target + ": " + e.getMessage());
        }
    }

    /**
     * What a failed operation throws once {@code undo} has removed what it made: its own {@link DollyException}, or
     * one saying {@code message}; a failure of the undo is added to it.
     */
    private static DollyException undone(Exception failure, Runnable undo, String message)
    {
        try {
            undo.run();
        }
        catch (RuntimeException undoFailure) {
            failure.addSuppressed(undoFailure);
        }
        return failure instanceof DollyException dollyException ? dollyException : DollyException.storageFailed(message, failure);
    }

    /** The volumes below this one, all the way down, except those nested in it. */
    @Override
    public List<String> dependencies(String key)
    {
        List<String> dependencies = new ArrayList<>();
        collectLowerKeys(key, dependencies);
        return dependencies.stream().filter(dependency -> !dependency.startsWith(key + "/")).distinct().toList();
    }

    /**
     * Copies the stacked volume {@code dependency} into {@code key} as a nested volume ({@code KEY/lowers/N}) and
     * stacks on that copy instead. The copy stays stacked on what the dependency was stacked on.
     */
    @Override
    public void absorb(String key, String dependency)
    {
        Path directory = directory(key);
        String current = key;
        for (int depth = 0; depth < 10_000; depth++) {
            List<String> lowerKeys = lowerKeys(directory(current));
            if (lowerKeys.contains(dependency)) {
                String copyKey = key + "/" + LOWERS + "/" + (nestedCount(directory) + 1);
                Path copy = directory(copyKey);
                Path source = directory(dependency);
                try {
                    Volumes.createParent(copy);
                    if (isStacked(source)) {
                        Files.createDirectory(copy);
                        copyTree(source.resolve(LAYER), copy.resolve(LAYER));
                        Files.writeString(copy.resolve(LAYERS), String.join("\n", lowerKeys(source)) + "\n", UTF_8);
                    }
                    else {
                        copyTree(source, copy);
                    }
                    List<String> replaced = lowerKeys.stream().map(lower -> lower.equals(dependency) ? copyKey : lower).toList();
                    Files.writeString(directory(current).resolve(LAYERS), String.join("\n", replaced) + "\n", UTF_8);
                }
                catch (IOException e) {
                    throw DollyException.storageFailed("Cannot copy " + source + " into " + copy + ": " + e.getMessage(), e);
                }
                return;
            }
            if (lowerKeys.size() != 1) {
                break;
            }
            current = lowerKeys.getFirst();
        }
        throw DollyException.storageFailed("Cannot copy " + dependency + " into " + key + ": " + key + " is not stacked on it");
    }

    /** The volume's directory; for a clone the overlay mounted below it, for a stacked volume its own layer. */
    @Override
    public Path path(String key)
    {
        Path directory = directory(key);
        if (isLayered(directory)) {
            return directory.resolve(MERGED);
        }
        return isStacked(directory) ? directory.resolve(LAYER) : directory;
    }

    @Override
    public boolean exists(String key)
    {
        return Files.isDirectory(directory(key), LinkOption.NOFOLLOW_LINKS);
    }

    /** Mounts a clone's overlay unless it is mounted already (as {@code /proc/self/mountinfo} tells). */
    @Override
    public void activate(String key)
    {
        Path directory = directory(key);
        if (isLayered(directory) && !isMountPoint(directory.resolve(MERGED))) {
            mount(directory);
        }
    }

    /** Unmounts a clone (lazily when it stays busy), then removes its directory. */
    @Override
    public void delete(String key)
    {
        Path directory = directory(key);
        if (!Files.exists(directory, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        Path merged = directory.resolve(MERGED);
        if (isLayered(directory) && isMountPoint(merged)) {
            unmount(merged);
        }
        detachViews(directory);
        FileTrees.deleteRecursively(directory);
    }

    /** For a clone, the size of the files it wrote (its upper layer); otherwise the size of its own files. */
    @Override
    public List<String> list()
    {
        return VolumeKeys.list(root);
    }

    @Override
    public OptionalLong sizeBytes(String key)
    {
        Path directory = directory(key);
        return isLayered(directory) ? Volumes.treeSize(directory.resolve(UPPER)) : Volumes.treeSize(directory);
    }

    @Override
    public StorageUsage usage()
    {
        return Volumes.fileStoreUsage(root);
    }

    private Path directory(String key)
    {
        return Volumes.resolve(root, key);
    }

    private void mount(Path directory)
    {
        List<Path> lowers = new ArrayList<>();
        for (String lowerKey : lowerKeys(directory)) {
            lowers.addAll(lowers(lowerKey));
        }
        for (Path lower : lowers) {
            if (!Files.isDirectory(lower, LinkOption.NOFOLLOW_LINKS)) {
                throw DollyException.storageFailed("Cannot mount " + directory.resolve(MERGED) + ": its image " + lower + " is missing. Delete the container and create a new one");
            }
        }
        Optional<IdMappedMounts.OwnerMap> owners = readOwners(directory);
        if (owners.isPresent()) {
            try {
                mountMapped(directory, lowers, owners.get());
                return;
            }
            catch (DollyException e) {
                // the files stay as they are, and the runtime changes their owners (metadata copied up)
                LOG.warn("Mounting {} with its layers' owners mapped failed, mounting it as it is: {}", directory.resolve(MERGED), e.getMessage());
                deleteOwners(directory);
            }
        }
        Volumes.run(runner, mountCommand(lowers, directory.resolve(UPPER), directory.resolve(WORK), directory.resolve(MERGED)),
                "Cannot mount the overlay " + directory.resolve(MERGED), "Overlay mounts need root, and a kernel with overlayfs; set DOLLY_STORAGE_DRIVER=copy to copy every byte instead");
    }

    /**
     * Mounts the overlay on ID-mapped views of its layers and of the clone's own directory (its upper and work
     * directories, which must share a mount), then detaches the views: the overlay keeps its own copies of them, and
     * nothing else, the servers' namespaces included, ever sees them.
     */
    private void mountMapped(Path directory, List<Path> lowers, IdMappedMounts.OwnerMap owners)
    {
        Path views = directory.resolve(VIEWS);
        detachViews(directory);
        List<IdMappedMounts.View> mapped = new ArrayList<>();
        try {
            Files.createDirectory(views, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
            for (int index = 0; index < lowers.size(); index++) {
                mapped.add(new IdMappedMounts.View(lowers.get(index), Files.createDirectory(views.resolve(Integer.toString(index)))));
            }
            Path own = Files.createDirectory(views.resolve("own"));
            mapped.add(new IdMappedMounts.View(directory, own));
            IdMappedMounts.mountAll(mapped, owners);
            try {
                List<Path> lowerViews = mapped.subList(0, lowers.size()).stream().map(IdMappedMounts.View::target).toList();
                Volumes.run(runner, mountCommand(lowerViews, own.resolve(UPPER), own.resolve(WORK), directory.resolve(MERGED)),
                        "Cannot mount the overlay " + directory.resolve(MERGED) + " on ID-mapped layers", "Overlayfs takes ID-mapped layers from Linux 5.19 on");
            }
            finally {
                detachViews(directory);
            }
        }
        catch (IOException | RuntimeException e) {
            throw undone(e, () -> detachViews(directory), "Cannot prepare the ID-mapped views of " + directory + ": " + e.getMessage());
        }
    }

    /**
     * Detaches what is mounted on the views of a clone's layers (a daemon stopped between their mount and their
     * detach leaves them) and removes their directories: a recursive delete must never reach an image through them.
     */
    private static void detachViews(Path directory)
    {
        Path views = directory.resolve(VIEWS);
        if (!Files.isDirectory(views, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        try (var entries = Files.list(views)) {
            for (Path view : entries.toList()) {
                if (isMountPoint(view)) {
                    IdMappedMounts.unmount(view);
                }
                Files.delete(view);
            }
            Files.delete(views);
        }
        catch (IOException e) {
            throw DollyException.storageFailed("Cannot remove the ID-mapped views below " + views + ": " + e.getMessage(), e);
        }
    }

    /**
     * The mapping that shows a clone's layers as the owner's: from the account every layer's root belongs to, when
     * they all belong to one and it is not the owner already.
     */
    private static Optional<IdMappedMounts.OwnerMap> ownersFor(List<Path> lowers, VolumeOwner owner)
            throws IOException
    {
        Set<List<Integer>> accounts = new java.util.HashSet<>();
        for (Path lower : lowers) {
            accounts.add(List.of((Integer) Files.getAttribute(lower, "unix:uid", LinkOption.NOFOLLOW_LINKS), (Integer) Files.getAttribute(lower, "unix:gid", LinkOption.NOFOLLOW_LINKS)));
        }
        if (accounts.size() != 1) {
            return Optional.empty();
        }
        List<Integer> account = accounts.iterator().next();
        if (account.get(0) == owner.uid() && account.get(1) == owner.gid()) {
            return Optional.empty();
        }
        return Optional.of(new IdMappedMounts.OwnerMap(account.get(0), account.get(1), owner.uid(), owner.gid(), true));
    }

    private static Optional<IdMappedMounts.OwnerMap> readOwners(Path directory)
    {
        Path owners = directory.resolve(OWNERS);
        if (!Files.isRegularFile(owners, LinkOption.NOFOLLOW_LINKS)) {
            return Optional.empty();
        }
        try {
            String[] fields = Files.readString(owners, UTF_8).strip().split(" ");
            return Optional.of(new IdMappedMounts.OwnerMap(Integer.parseInt(fields[0]), Integer.parseInt(fields[1]), Integer.parseInt(fields[2]), Integer.parseInt(fields[3]), true));
        }
        catch (IOException | RuntimeException e) {
            throw DollyException.storageFailed("Cannot read the owners of the layers of " + directory + " from " + owners + ": " + e.getMessage(), e);
        }
    }

    private static void deleteOwners(Path directory)
    {
        try {
            Files.deleteIfExists(directory.resolve(OWNERS));
        }
        catch (IOException e) {
            throw DollyException.storageFailed("Cannot remove " + directory.resolve(OWNERS) + ": " + e.getMessage(), e);
        }
    }

    private void unmount(Path merged)
    {
        for (int attempt = 0; attempt < 2; attempt++) {
            if (runner.run(List.of("umount", merged.toString())).succeeded() || !isMountPoint(merged)) {
                return;
            }
            try {
                Thread.sleep(500);
            }
            catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        // still busy, such as a shell in it: detach it now, the kernel lets go when the last user leaves
        Volumes.run(runner, List.of("umount", "-l", merged.toString()), "Cannot unmount " + merged, "Stop what uses it and delete again");
        if (isMountPoint(merged)) {
            throw DollyException.storageFailed("Cannot unmount " + merged + ". Stop what uses it and delete again.");
        }
    }

    /** The directories a clone of a volume mounts as its lower layers, topmost first. */
    private List<Path> lowers(String key)
    {
        Path directory = directory(key);
        if (!isStacked(directory)) {
            return List.of(directory);
        }
        List<Path> lowers = new ArrayList<>();
        lowers.add(directory.resolve(LAYER));
        for (String lowerKey : lowerKeys(directory)) {
            lowers.addAll(lowers(lowerKey));
        }
        return lowers;
    }

    private void collectLowerKeys(String key, List<String> keys)
    {
        for (String lowerKey : lowerKeys(directory(key))) {
            keys.add(lowerKey);
            collectLowerKeys(lowerKey, keys);
        }
    }

    /** The keys a clone or stacked volume names in its {@code layers} file; none for a plain volume. */
    private static List<String> lowerKeys(Path directory)
    {
        Path layers = directory.resolve(LAYERS);
        if (!Files.isRegularFile(layers, LinkOption.NOFOLLOW_LINKS)) {
            return List.of();
        }
        try {
            return Files.readAllLines(layers, UTF_8).stream().map(String::strip).filter(line -> !line.isEmpty()).toList();
        }
        catch (IOException e) {
            throw DollyException.storageFailed("Cannot read the layers of " + directory + ": " + e.getMessage(), e);
        }
    }

    /**
     * Replaces a stacked volume by a plain one holding what its chain shows: a copy of a read-only overlay mount of
     * the chain, with reflinks where the file system shares blocks.
     */
    private void flatten(String key)
    {
        Path directory = directory(key);
        Path mountPoint = directory.resolveSibling(directory.getFileName() + ".flattening");
        Path flat = directory.resolveSibling(directory.getFileName() + ".flat");
        FileTrees.deleteRecursively(flat);
        try {
            Files.createDirectories(mountPoint);
            String lowerDirectories = lowers(key).stream().map(Path::toString).collect(Collectors.joining(":"));
            Volumes.run(runner, List.of("mount", "-t", "overlay", "overlay", "-o", "ro,lowerdir=" + lowerDirectories + metacopyOption(), mountPoint.toString()),
                    "Cannot mount the layers of " + key + " to flatten them", "");
            try {
                copyTree(mountPoint, flat);
            }
            finally {
                unmount(mountPoint);
            }
            Files.delete(mountPoint);
            FileTrees.deleteRecursively(directory);
            Files.move(flat, directory);
            Volumes.setMode(directory, Volumes.SEALED_MODE);
        }
        catch (IOException | RuntimeException e) {
            FileTrees.deleteRecursively(flat);
            if (!isMountPoint(mountPoint)) {
                FileTrees.deleteRecursively(mountPoint);
            }
            if (e instanceof DollyException dollyException) {
                throw dollyException;
            }
            throw DollyException.storageFailed("Cannot flatten " + directory + ": " + e.getMessage(), e);
        }
    }

    /** {@code cp -a}: owners, modes, extended attributes (opaque directories) and whiteouts (device files) included. */
    private void copyTree(Path source, Path target)
    {
        Volumes.run(runner, List.of("cp", "-a", "--reflink=auto", source.toString(), target.toString()), "Cannot copy " + source + " to " + target, "");
    }

    private static int nestedCount(Path directory)
    {
        Path lowers = directory.resolve(LOWERS);
        if (!Files.isDirectory(lowers, LinkOption.NOFOLLOW_LINKS)) {
            return 0;
        }
        try (var entries = Files.list(lowers)) {
            return (int) entries.count();
        }
        catch (IOException e) {
            throw DollyException.storageFailed("Cannot list " + lowers + ": " + e.getMessage(), e);
        }
    }

    private static List<String> mountCommand(List<Path> lowers, Path upper, Path work, Path merged)
    {
        String lowerDirectories = lowers.stream().map(Path::toString).collect(Collectors.joining(":"));
        return List.of("mount", "-t", "overlay", "overlay", "-o", "lowerdir=" + lowerDirectories + ",upperdir=" + upper + ",workdir=" + work + metacopyOption(),
                merged.toString());
    }

    /**
     * {@code metacopy=on} where the kernel has it: a change of owner or mode copies up the file's metadata only, not
     * its data, so giving a clone to its container's account costs no copy of the image (it implies
     * {@code redirect_dir=on}). Every mount of a chain needs it once a layer holds such metadata-only files, which
     * revisions copy along (their extended attributes): without it, reading them fails.
     */
    private static String metacopyOption()
    {
        return Files.exists(METACOPY_PARAMETER) ? ",metacopy=on" : "";
    }

    /** A sealed snapshot: its own layer above the volume named in its {@code layers} file. */
    private static boolean isStacked(Path directory)
    {
        return Files.isRegularFile(directory.resolve(LAYERS), LinkOption.NOFOLLOW_LINKS) && Files.isDirectory(directory.resolve(LAYER), LinkOption.NOFOLLOW_LINKS);
    }

    /** A clone: an overlay mounted on {@code merged}. */
    private static boolean isLayered(Path directory)
    {
        return Files.isRegularFile(directory.resolve(LAYERS), LinkOption.NOFOLLOW_LINKS) && Files.isDirectory(directory.resolve(MERGED), LinkOption.NOFOLLOW_LINKS);
    }

    /** Mount options separate with commas and lower layers with colons: paths must not hold them. */
    private static void checkMountable(Path root)
    {
        String path = root.toString();
        if (path.contains(",") || path.contains(":") || path.contains("\\")) {
            throw DollyException.storageFailed("The overlay storage driver cannot use " + root + ": overlay mount options cannot name paths with ',', ':' or '\\'. "
                    + "Choose a DOLLY_HOME without them, or set DOLLY_STORAGE_DRIVER=copy");
        }
    }

    /** Whether a directory is a mount point, as {@code /proc/self/mountinfo} tells. */
    static boolean isMountPoint(Path directory)
    {
        Path resolved;
        try {
            resolved = directory.toRealPath();
        }
        catch (IOException e) {
            return false;
        }
        return mountPoints().contains(resolved.toString());
    }

    private static Set<String> mountPoints()
    {
        try {
            return Files.readAllLines(Path.of("/proc/self/mountinfo"), UTF_8).stream()
                    .map(line -> line.split(" "))
                    .filter(fields -> fields.length > 4)
                    .map(fields -> unescape(fields[4]))
                    .collect(Collectors.toSet());
        }
        catch (IOException e) {
            throw DollyException.storageFailed("Cannot read /proc/self/mountinfo: " + e.getMessage(), e);
        }
    }

    /** mountinfo writes space, tab, newline and backslash in paths as octal escapes such as {@code \040}. */
    private static String unescape(String field)
    {
        StringBuilder result = new StringBuilder(field.length());
        for (int index = 0; index < field.length(); index++) {
            char character = field.charAt(index);
            if (character == '\\' && index + 3 < field.length() && field.substring(index + 1, index + 4).chars().allMatch(digit -> digit >= '0' && digit <= '7')) {
                result.append((char) Integer.parseInt(field.substring(index + 1, index + 4), 8));
                index += 3;
            }
            else {
                result.append(character);
            }
        }
        return result.toString();
    }
}
