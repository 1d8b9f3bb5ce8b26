package dev.dolly.core.image;

import dev.dolly.api.DollyException;
import dev.dolly.api.ErrorCode;
import dev.dolly.api.Upload;
import dev.dolly.core.storage.FileTrees;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipInputStream;

import static java.util.Objects.requireNonNull;

/**
 * Files clients send for image builds, each upload in a staging directory {@code DOLLY_HOME/uploads/<id>} of its
 * own. An upload is a ZIP stream, extracted as it arrives: entries may not be absolute or contain {@code ..}, may
 * not repeat, and cannot be links (a ZIP stream read this way holds only files and directories). The size the
 * client declares is checked against the free space first and enforced while extracting.
 *
 * <p>An upload belongs to the user who sent it. An image build claims it once, and the staging directory is removed
 * when the build is over, whether it succeeded or failed; uploads nobody claims go after {@link #UNCLAIMED_LIFETIME},
 * and whatever a daemon left behind goes when the next one starts.
 */
public final class Uploads
{
    public static final Duration UNCLAIMED_LIFETIME = Duration.ofHours(1);

    private static final Logger LOG = LoggerFactory.getLogger(Uploads.class);
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final int MAX_ENTRIES = 100_000;
    /** A central directory of {@link #MAX_ENTRIES} entries with names of a few hundred characters stays well below. */
    private static final long MAX_TRAILER_BYTES = 64L << 20;

    private final Path root;
    private final Clock clock;
    private final Map<String, Staged> uploads = new ConcurrentHashMap<>();

    public Uploads(Path root, Clock clock)
    {
        this.root = requireNonNull(root, "root is null");
        this.clock = requireNonNull(clock, "clock is null");
    }

    /** Removes the staging directories a stopped daemon left behind, and makes sure the root exists. */
    public void removeLeftovers()
    {
        try {
            if (Files.exists(root)) {
                try (var entries = Files.list(root)) {
                    for (Path leftover : entries.toList()) {
                        LOG.info("Removing the upload {} left behind by an earlier daemon", leftover.getFileName());
                        try {
                            FileTrees.deleteRecursively(leftover);
                        }
                        catch (RuntimeException e) {
                            // one that cannot go must not keep the daemon from starting
                            LOG.warn("Could not remove the upload {}", leftover, e);
                        }
                    }
                }
            }
            Files.createDirectories(root);
            // traversable, not listable: a build's account reaches its own staging directory (mode 0700, its random
            // name unknown to others) and nothing else here
            Files.setPosixFilePermissions(root, PosixFilePermissions.fromString("rwx--x--x"));
        }
        catch (IOException e) {
            throw DollyException.storageFailed("Cannot prepare the uploads directory " + root + ": " + e.getMessage(), e);
        }
    }

    /**
     * Extracts a ZIP stream into a new staging directory.
     *
     * @param declaredBytes the total size of the files, as the client declares it; more is refused
     */
    public Upload receive(InputStream zip, long declaredBytes, String owner)
    {
        requireNonNull(zip, "zip is null");
        requireNonNull(owner, "owner is null");
        if (declaredBytes < 0) {
            throw DollyException.badInput("An upload must declare the size of its files (?size=BYTES).");
        }
        checkSpace(declaredBytes);
        String id = newId();
        Path directory = root.resolve(id);
        try {
            Files.createDirectory(directory, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        }
        catch (IOException e) {
            throw DollyException.storageFailed("Cannot create the upload directory " + directory + ": " + e.getMessage(), e);
        }
        uploads.put(id, new Staged(owner, clock.instant(), false));
        try {
            Extracted extracted = extract(zip, directory, declaredBytes);
            LOG.info("Upload {} of {}: {} files, {} bytes", id, owner, extracted.files(), extracted.bytes());
            return new Upload(id, extracted.files(), extracted.bytes());
        }
        catch (RuntimeException e) {
            delete(id);
            throw e;
        }
    }

    /**
     * Takes an upload for a build: its staging directory, which only this caller gets. Another user's upload, or one
     * that does not exist (any more), is not found.
     */
    Path claim(String id, String owner)
    {
        requireNonNull(id, "id is null");
        requireNonNull(owner, "owner is null");
        Staged staged = uploads.get(id);
        if (staged == null || !staged.owner().equals(owner)) {
            throw DollyException.notFound("Upload '" + id + "' not found: it belongs to someone else, was used by another build, or is older than "
                    + UNCLAIMED_LIFETIME.toMinutes() + " minutes. Upload the files again.");
        }
        if (staged.claimed() || !uploads.replace(id, staged, new Staged(staged.owner(), staged.createdAt(), true))) {
            throw new DollyException(ErrorCode.IN_USE, "Upload '" + id + "' is used by another build already. Upload the files again.");
        }
        return root.resolve(id);
    }

    /** Removes an upload and its staging directory; nothing happens when it is gone already. */
    void delete(String id)
    {
        uploads.remove(id);
        Path directory = root.resolve(id);
        try {
            FileTrees.deleteRecursively(directory);
        }
        catch (DollyException e) {
            LOG.warn("Could not remove the upload directory {}", directory, e);
        }
    }

    /**
     * Takes an upload to keep: its staging directory moves to {@code destination} (on the same file system), and the
     * upload is gone. A scheduled build keeps its files this way, and hands a copy to each of its runs ({@link #stage}).
     */
    public void keep(String id, String owner, Path destination)
    {
        Path directory = claim(id, owner);
        try {
            Files.createDirectories(destination.getParent());
            Files.move(directory, destination, StandardCopyOption.ATOMIC_MOVE);
        }
        catch (IOException e) {
            delete(id);
            throw DollyException.storageFailed("Cannot keep the upload " + id + " in " + destination + ": " + e.getMessage(), e);
        }
        uploads.remove(id);
    }

    /**
     * A new upload of the owner holding a copy of the files of a directory: what a scheduled build's run claims and
     * its build consumes, as it would an upload a client sent.
     */
    public String stage(Path files, String owner)
    {
        requireNonNull(files, "files is null");
        requireNonNull(owner, "owner is null");
        String id = newId();
        Path directory = root.resolve(id);
        uploads.put(id, new Staged(owner, clock.instant(), false));
        try {
            copy(files, directory);
            Files.setPosixFilePermissions(directory, PosixFilePermissions.fromString("rwx------"));
        }
        catch (IOException | RuntimeException e) {
            delete(id);
            throw DollyException.storageFailed("Cannot copy the kept files " + files + " for a build: " + e.getMessage(), e);
        }
        return id;
    }

    /** Copies the files and directories of a tree (an upload's hold nothing else: a ZIP stream makes no links). */
    private static void copy(Path source, Path target)
            throws IOException
    {
        try (var paths = Files.walk(source)) {
            for (Path path : paths.toList()) {
                Path copy = target.resolve(source.relativize(path).toString());
                if (Files.isDirectory(path, LinkOption.NOFOLLOW_LINKS)) {
                    Files.createDirectories(copy);
                }
                else if (Files.isRegularFile(path, LinkOption.NOFOLLOW_LINKS)) {
                    Files.copy(path, copy);
                }
            }
        }
    }

    /** Removes uploads no build claimed in time. */
    public void deleteUnclaimed()
    {
        Instant limit = clock.instant().minus(UNCLAIMED_LIFETIME);
        uploads.forEach((id, staged) -> {
            if (!staged.claimed() && staged.createdAt().isBefore(limit)) {
                LOG.info("Upload {} of {} was not used within {} minutes: removing it", id, staged.owner(), UNCLAIMED_LIFETIME.toMinutes());
                delete(id);
            }
        });
    }

    /** Whether the staging directory of an upload exists; for tests and checks. */
    boolean exists(String id)
    {
        return Files.exists(root.resolve(id));
    }

    private Extracted extract(InputStream input, Path directory, long declaredBytes)
    {
        long bytes = 0;
        int files = 0;
        int entries = 0;
        byte[] buffer = new byte[1 << 16];
        // ZipInputStream reads in small pieces: buffer them, rather than asking the HTTP server for each
        BufferedInputStream buffered = new BufferedInputStream(input, 1 << 16);
        try (ZipInputStream zip = new ZipInputStream(buffered)) {
            ZipEntry entry;
            while ((entry = zip.getNextEntry()) != null) {
                if (++entries > MAX_ENTRIES) {
                    throw DollyException.badInput("The upload holds more than " + MAX_ENTRIES + " entries.");
                }
                Path target = target(directory, entry.getName());
                if (entry.isDirectory()) {
                    Files.createDirectories(target);
                    continue;
                }
                Files.createDirectories(target.getParent());
                try (OutputStream output = Files.newOutputStream(target, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
                    int read;
                    while ((read = zip.read(buffer)) > 0) {
                        bytes += read;
                        if (bytes > declaredBytes) {
                            throw DollyException.badInput("The upload holds more than the " + declaredBytes + " bytes it declared: refused.");
                        }
                        output.write(buffer, 0, read);
                    }
                }
                catch (FileAlreadyExistsException e) {
                    throw DollyException.badInput("The upload holds '" + entry.getName() + "' twice: refused.");
                }
                files++;
            }
            drainTrailer(buffered, buffer);
        }
        catch (ZipException e) {
            throw DollyException.badInput("The upload is not a valid ZIP stream: " + e.getMessage());
        }
        catch (IOException e) {
            throw DollyException.badInput("The upload was cut short or could not be stored: " + e.getMessage());
        }
        return new Extracted(files, bytes);
    }

    /**
     * Reads what follows the entries (the central directory and its end record) to the end of the body. Answered
     * before the body is read to its end, a client still sending may see its connection reset and lose the answer,
     * though the upload was taken.
     */
    private static void drainTrailer(InputStream input, byte[] buffer)
            throws IOException
    {
        long trailing = 0;
        int read;
        while ((read = input.read(buffer)) >= 0) {
            trailing += read;
            if (trailing > MAX_TRAILER_BYTES) {
                throw DollyException.badInput("The upload has more than " + MAX_TRAILER_BYTES + " bytes after its last entry: not a ZIP archive as a client makes one. Refused.");
            }
        }
    }

    /** Where an entry goes: refused when its name is absolute, has {@code ..}, or is not a plain relative path. */
    static Path target(Path directory, String name)
    {
        String path = name.endsWith("/") ? name.substring(0, name.length() - 1) : name;
        boolean valid = !path.isEmpty() && !path.startsWith("/") && !path.contains("\\") && !path.contains("\0");
        if (valid) {
            for (String segment : path.split("/", -1)) {
                if (segment.isEmpty() || segment.equals(".") || segment.equals("..")) {
                    valid = false;
                    break;
                }
            }
        }
        // resolved only once valid: a name with a NUL is no path at all
        Path target = valid ? directory.resolve(path).normalize() : directory;
        if (!valid || !target.startsWith(directory) || target.equals(directory)) {
            throw DollyException.badInput("The upload entry '" + name.replace("\0", "\\0") + "' is not a plain relative path (no '..', no absolute paths): refused.");
        }
        return target;
    }

    private void checkSpace(long declaredBytes)
    {
        try {
            long usable = Files.getFileStore(root).getUsableSpace();
            if (declaredBytes > usable) {
                throw new DollyException(ErrorCode.TOO_LARGE, "The upload needs " + declaredBytes + " bytes, but only " + usable + " are free where the daemon stages uploads ("
                        + root + "). Free some space on the server first.");
            }
        }
        catch (IOException e) {
            throw DollyException.storageFailed("Cannot check the free space of " + root + ": " + e.getMessage(), e);
        }
    }

    private static String newId()
    {
        byte[] bytes = new byte[16];
        RANDOM.nextBytes(bytes);
        return HexFormat.of().formatHex(bytes);
    }

    private record Staged(String owner, Instant createdAt, boolean claimed) {}

    private record Extracted(int files, long bytes) {}
}
