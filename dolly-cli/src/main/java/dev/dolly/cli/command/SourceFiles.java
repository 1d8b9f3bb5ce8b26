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
 * below a backup that is a directory dump). Nothing else, and nothing outside the definition's directory: the paths
 * follow {@link DefinitionSources}, the rule the daemon applies too.
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
            Path real = DefinitionSources.confined(directory, source.relativePath(), source.key());
            Path named = directory.resolve(source.relativePath()).normalize();
            if (!Files.exists(real)) {
                throw DollyException.badInput("'" + source.relativePath() + "' (" + source.key() + ") not found: looked for " + named + ".");
            }
            if (Files.isDirectory(real)) {
                addDirectory(directory, named, files);
            }
            else {
                files.put(name(directory, named), real);
            }
        }
        return files.entrySet().stream().map(entry -> new UploadFile(entry.getKey(), entry.getValue())).toList();
    }

    /** Every regular file below a folder; links are followed only to files inside the definition's directory. */
    private static void addDirectory(Path directory, Path folder, Map<String, Path> files)
    {
        List<Path> paths;
        try (Stream<Path> walk = Files.walk(folder)) {
            paths = new ArrayList<>(walk.filter(path -> !Files.isDirectory(path, LinkOption.NOFOLLOW_LINKS)).sorted().toList());
        }
        catch (IOException e) {
            throw DollyException.badInput("Cannot list " + folder + ": " + e.getMessage());
        }
        for (Path path : paths) {
            String relative = directory.relativize(path).toString();
            Path real = DefinitionSources.confined(directory, relative, "the file");
            if (Files.isRegularFile(real)) {
                files.put(name(directory, path), real);
            }
        }
    }

    private static String name(Path directory, Path path)
    {
        return directory.relativize(path).toString().replace('\\', '/');
    }
}
