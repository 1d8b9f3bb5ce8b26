package dev.dolly.core.engine.postgresql;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * Directories for tests that run servers. JUnit's temporary directories are private to the current user; when the
 * tests run as root the servers run as the engine user, which must reach their data directories.
 */
final class TemporaryDirectories
{
    private TemporaryDirectories() {}

    /** A new directory that other users may traverse but not list. */
    static Path createBase()
    {
        try {
            Path base = Files.createTempDirectory("dolly-test");
            Files.setPosixFilePermissions(base, PosixFilePermissions.fromString("rwx--x--x"));
            return base;
        }
        catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Path createDirectory(Path base, String name)
    {
        try {
            Path directory = base.resolve(name);
            Files.createDirectories(directory);
            Files.setPosixFilePermissions(directory, PosixFilePermissions.fromString("rwx--x--x"));
            return directory;
        }
        catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static int freePort()
    {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
        catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static boolean isPortFree(int port)
    {
        try (ServerSocket ignored = new ServerSocket(port, 1, java.net.InetAddress.getLoopbackAddress())) {
            return true;
        }
        catch (IOException e) {
            return false;
        }
    }
}
