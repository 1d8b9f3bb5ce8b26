package dev.dolly.cli.command;

import dev.dolly.api.DefinitionSources;
import dev.dolly.api.DefinitionSources.Source;
import dev.dolly.api.DollyException;
import dev.dolly.api.client.DollyClient.UploadFile;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The files of an image definition that go to a server: its backups, and every file below its scripts folders (or
 * below a backup that is a directory dump). Nothing else. They may lie anywhere this user can read, also outside the
 * definition's directory (an absolute {@code folder: /backups/}): the CLI reads them with the user's rights, and
 * each goes under its {@link DefinitionSources#uploadName upload name}, where the daemon looks for it.
 */
final class SourceFiles
{
    private SourceFiles() {}

    /**
     * @param directory the definition's directory, as a real path
     */
    static List<UploadFile> of(String definition, Path directory)
    {
        Map<String, Path> files = new LinkedHashMap<>();
        for (Source source : DefinitionSources.of(definition)) {
            // first: it refuses what is no path
            String name = DefinitionSources.uploadName(source.relativePath());
            Path named = directory.resolve(source.relativePath()).normalize();
            if (!Files.exists(named)) {
                throw DollyException.badInput("'" + source.relativePath() + "' (" + source.key() + ") not found: looked for " + named + ".");
            }
            if (source.key().startsWith("backup") && isEmptyFile(named)) {
                throw DollyException.badInput(DefinitionSources.emptyBackupMessage(source.relativePath(), source.key()));
            }
            if (Files.isDirectory(named)) {
                addDirectory(name, named, files);
            }
            else {
                add(name, named, files);
            }
        }
        return files.entrySet().stream().map(entry -> new UploadFile(entry.getKey(), entry.getValue())).toList();
    }

    /** Every regular file below a folder, symbolic links to files included. */
    private static void addDirectory(String name, Path folder, Map<String, Path> files)
    {
        List<Path> paths;
        try (Stream<Path> walk = Files.walk(folder)) {
            paths = new ArrayList<>(walk.filter(path -> !Files.isDirectory(path, LinkOption.NOFOLLOW_LINKS)).sorted().toList());
        }
        catch (IOException e) {
            throw DollyException.badInput("Cannot list " + folder + ": " + e.getMessage());
        }
        for (Path path : paths) {
            if (Files.isRegularFile(path)) {
                String relative = folder.relativize(path).toString().replace('\\', '/');
                add(name.isEmpty() ? relative : name + "/" + relative, path, files);
            }
        }
    }

    private static void add(String name, Path path, Map<String, Path> files)
    {
        Path real = real(path);
        Path previous = files.putIfAbsent(name, real);
        if (previous != null && !previous.equals(real)) {
            throw DollyException.badInput("Two files of the image definition would be uploaded as '" + name + "': " + previous + " and " + real
                    + ". Name them by paths that differ.");
        }
    }

    private static boolean isEmptyFile(Path path)
    {
        try {
            return Files.isRegularFile(path) && Files.size(path) == 0;
        }
        catch (IOException e) {
            throw DollyException.badInput("Cannot read " + path + ": " + e.getMessage());
        }
    }

    private static Path real(Path path)
    {
        try {
            return path.toRealPath();
        }
        catch (IOException e) {
            throw DollyException.badInput("Cannot read " + path + ": " + e.getMessage());
        }
    }
}
