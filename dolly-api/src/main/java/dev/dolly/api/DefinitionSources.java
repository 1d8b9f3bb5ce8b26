package dev.dolly.api;

import com.fasterxml.jackson.databind.JsonNode;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import static java.util.Objects.requireNonNull;

/**
 * The files an image definition names, and where they go in an upload. Paths are relative to the definition's
 * directory, or absolute; they may lead anywhere the client can read, since the client reads and sends the files.
 * In an upload each file has a name derived from its path as the definition writes it ({@link #uploadName}), and
 * the daemon finds it there, never outside the upload's directory ({@link #confined}). The daemon's parser and the
 * client that uploads a definition's files share this one implementation.
 */
public final class DefinitionSources
{
    /** The folder of an upload that holds the files a definition names outside its own directory. */
    public static final String OUTSIDE_DIRECTORY = ".outside";

    private DefinitionSources() {}

    /**
     * A path of the definition.
     *
     * @param key where the definition names it, such as {@code backups[1]} or {@code scriptsFolders entry}
     * @param relativePath the path as the definition writes it
     */
    public record Source(String key, String relativePath) {}

    /**
     * The backups and scripts folders a definition names, read leniently: whatever is not where a path belongs is
     * ignored here, since the daemon checks the whole definition.
     */
    public static List<Source> of(String yaml)
    {
        requireNonNull(yaml, "yaml is null");
        JsonNode root;
        try {
            root = Json.yaml().readTree(yaml);
        }
        catch (IOException e) {
            throw DollyException.badInput("The image definition is not valid YAML: " + e.getMessage());
        }
        List<Source> sources = new ArrayList<>();
        if (root == null || !root.isObject()) {
            return sources;
        }
        backup(root.get("backup"), "backup").ifPresent(sources::add);
        JsonNode backups = root.get("backups");
        if (backups != null && backups.isArray()) {
            for (int index = 0; index < backups.size(); index++) {
                backup(backups.get(index), "backups[" + index + "]").ifPresent(sources::add);
            }
        }
        String transformFile = text(root.get("transform"));
        if (transformFile != null) {
            sources.add(new Source("transform", transformFile));
        }
        JsonNode folders = root.get("scriptsFolders");
        if (folders != null && folders.isValueNode() && !folders.isNull()) {
            sources.add(new Source("scriptsFolders entry", folders.asText()));
        }
        else if (folders != null && folders.isArray()) {
            for (JsonNode folder : folders) {
                if (folder.isValueNode() && !folder.isNull()) {
                    sources.add(new Source("scriptsFolders entry", folder.asText()));
                }
            }
        }
        return sources;
    }

    /**
     * The environment variable the masking salt is read from, {@code transform.salt: env:NAME}, in the definition or in
     * the transform file it names (relative to {@code directory}); empty when there is none. Read leniently: the daemon
     * checks the whole definition.
     */
    public static Optional<String> saltVariable(String yaml, Path directory)
    {
        requireNonNull(yaml, "yaml is null");
        requireNonNull(directory, "directory is null");
        try {
            JsonNode root = Json.yaml().readTree(yaml);
            JsonNode transform = root == null || !root.isObject() ? null : root.get("transform");
            String file = text(transform);
            if (file != null) {
                Path path = directory.resolve(file);
                transform = Files.isRegularFile(path) ? Json.yaml().readTree(Files.readString(path)) : null;
            }
            String salt = transform == null || !transform.isObject() ? null : text(transform.get("salt"));
            if (salt == null || !salt.startsWith("env:")) {
                return Optional.empty();
            }
            return Optional.of(salt.substring("env:".length()).strip()).filter(name -> !name.isEmpty());
        }
        catch (IOException | InvalidPathException e) {
            return Optional.empty();
        }
    }

    /** A backup's path from {@code folder} (optional) and {@code file}. */
    public static String backupPath(String folder, String file)
    {
        requireNonNull(file, "file is null");
        if (folder == null) {
            return file;
        }
        return folder.endsWith("/") ? folder + file : folder + "/" + file;
    }

    /**
     * The name under which the file or folder a definition names so is uploaded: its path as written, normalized;
     * an absolute path below {@code .outside/root}, a path that climbs out of the definition's directory with
     * {@code ..} below {@code .outside/up} (once per {@code ..}). Client and daemon compute it from the definition's
     * text alone, so the definition travels unchanged. The empty name is the definition's directory itself.
     */
    public static String uploadName(String path)
    {
        requireNonNull(path, "path is null");
        Path normalized;
        try {
            normalized = Path.of(path).normalize();
        }
        catch (InvalidPathException e) {
            throw DollyException.badInput("'" + path + "' is not a valid path: " + e.getMessage());
        }
        List<String> segments = new ArrayList<>();
        int index = 0;
        if (normalized.isAbsolute()) {
            segments.add(OUTSIDE_DIRECTORY);
            segments.add("root");
        }
        else {
            while (index < normalized.getNameCount() && normalized.getName(index).toString().equals("..")) {
                if (index == 0) {
                    segments.add(OUTSIDE_DIRECTORY);
                }
                segments.add("up");
                index++;
            }
        }
        for (; index < normalized.getNameCount(); index++) {
            String segment = normalized.getName(index).toString();
            if (!segment.isEmpty()) {
                segments.add(segment);
            }
        }
        return String.join("/", segments);
    }

    /**
     * Resolves a path below {@code base} and refuses it if it leads outside (through {@code ..}, an absolute path or
     * a symbolic link): the rule for an upload's directory, where the daemon reads for a caller.
     *
     * @param base the directory, as a real path
     * @return the real path when it exists, else the normalized one
     */
    public static Path confined(Path base, String relative, String key)
    {
        Path path = base.resolve(relative).normalize();
        Path real = path;
        try {
            if (Files.exists(path)) {
                real = path.toRealPath();
            }
        }
        catch (IOException e) {
            throw DollyException.badInput("Cannot read " + key + " '" + relative + "': " + e.getMessage());
        }
        if (!real.startsWith(base)) {
            throw DollyException.badInput(key + " '" + relative + "' leads outside the directory " + base
                    + ", which the daemon reads for this request: name a file of the definition's upload.");
        }
        return real;
    }

    /**
     * The message for a backup file of 0 bytes (what a failed {@code pg_dump} or {@code mysqldump} leaves), the same
     * from the CLI, before it uploads anything, and from the daemon.
     */
    public static String emptyBackupMessage(String relativePath, String key)
    {
        return "Backup file '" + relativePath + "' (" + key + ") is empty (0 bytes): a failed pg_dump or mysqldump leaves such a file. Make the backup again.";
    }

    private static Optional<Source> backup(JsonNode node, String key)
    {
        if (node == null || !node.isObject()) {
            return Optional.empty();
        }
        String path = text(node.get("path"));
        String file = text(node.get("file"));
        if (path != null) {
            return Optional.of(new Source(key, path));
        }
        if (file != null) {
            return Optional.of(new Source(key, backupPath(text(node.get("folder")), file)));
        }
        return Optional.empty();
    }

    private static String text(JsonNode node)
    {
        if (node == null || !node.isValueNode() || node.isNull() || node.asText().isBlank()) {
            return null;
        }
        return node.asText().strip();
    }
}
