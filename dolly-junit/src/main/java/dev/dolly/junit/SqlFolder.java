package dev.dolly.junit;

import dev.dolly.api.DollyException;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;

import static java.util.Objects.requireNonNull;

/**
 * A folder of SQL files that an image is built from: {@code classpath:db/migration} (a folder of the test class path,
 * as Maven and Gradle lay test resources out) or a path, relative to the working directory.
 *
 * @param files the {@code .sql} files below it, by their path relative to it, in name order
 */
record SqlFolder(String location, Path directory, List<Path> files)
{
    private static final String CLASSPATH_PREFIX = "classpath:";

    SqlFolder
    {
        requireNonNull(location, "location is null");
        requireNonNull(directory, "directory is null");
        files = List.copyOf(files);
    }

    static SqlFolder of(String location, ClassLoader classLoader)
    {
        Path directory;
        if (location.startsWith(CLASSPATH_PREFIX)) {
            String resource = location.substring(CLASSPATH_PREFIX.length()).replaceAll("^/+", "").replaceAll("/+$", "");
            URL url = classLoader.getResource(resource);
            if (url == null) {
                throw DollyException.badInput("@DollyDatabase: " + location + " is not on the test class path. Put the SQL files in "
                        + "src/test/resources/" + resource + " (or src/main/resources/" + resource + ").");
            }
            if (!"file".equals(url.getProtocol())) {
                throw DollyException.badInput("@DollyDatabase: " + location + " is in " + url + "; only folders of the class path are "
                        + "read, not jars. Name the folder by its path instead.");
            }
            try {
                directory = Path.of(url.toURI());
            }
            catch (URISyntaxException e) {
                throw DollyException.badInput("@DollyDatabase: cannot read " + url + ": " + e.getMessage());
            }
        }
        else {
            directory = Path.of(location).toAbsolutePath().normalize();
        }
        if (!Files.isDirectory(directory)) {
            throw DollyException.badInput("@DollyDatabase: " + location + " (" + directory + ") is not a folder. Name a folder of .sql files.");
        }
        List<Path> files;
        try (Stream<Path> walk = Files.walk(directory)) {
            files = walk.filter(Files::isRegularFile)
                    .filter(file -> file.getFileName().toString().endsWith(".sql"))
                    .map(directory::relativize)
                    .sorted()
                    .toList();
        }
        catch (IOException e) {
            throw DollyException.badInput("@DollyDatabase: cannot read " + directory + ": " + e.getMessage());
        }
        if (files.isEmpty()) {
            throw DollyException.badInput("@DollyDatabase: " + location + " (" + directory + ") holds no .sql file.");
        }
        return new SqlFolder(location, directory, files);
    }

    /** SHA-256 of what makes the image: the kind of build, the engine, and each file's name and content. */
    String digest(String kind, String engine)
    {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            update(digest, kind);
            update(digest, engine);
            for (Path file : files) {
                update(digest, file.toString());
                byte[] content = Files.readAllBytes(directory.resolve(file));
                update(digest, Integer.toString(content.length));
                digest.update(content);
            }
            return HexFormat.of().formatHex(digest.digest());
        }
        catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JDK", e);
        }
        catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void update(MessageDigest digest, String text)
    {
        digest.update(text.getBytes(StandardCharsets.UTF_8));
        digest.update((byte) 0);
    }
}
