package dev.dolly.core.image;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.dolly.api.DefinitionSources;
import dev.dolly.api.DollyException;
import dev.dolly.core.engine.Engine;
import dev.dolly.core.engine.EngineRegistry;
import dev.dolly.core.engine.LoadPlan.BackupFormat;
import dev.dolly.core.image.ImageDefinition.BackupSource;
import dev.dolly.core.image.ImageDefinition.SourceType;
import dev.dolly.core.transform.TransformDefinition;
import dev.dolly.core.transform.TransformDefinitionParser;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

import static java.util.Objects.requireNonNull;

/**
 * Reads image definitions in Spawn's YAML format and checks them completely before anything is created: unknown
 * or misspelled keys, missing keys, wrong types and files that do not exist are all refused with a message naming
 * the key, file or value.
 */
public final class ImageDefinitionParser
{
    private static final Set<String> KEYS = Set.of(
            "name", "sourceType", "engine", "version", "initialDatabaseName", "backup", "backups", "scriptsFolders",
            "tags", "teams", "lifetime", "preScript", "postScript", "transform");
    private static final Set<String> BACKUP_KEYS = Set.of("folder", "file", "path", "format");

    static final Pattern NAME = Pattern.compile("[a-zA-Z0-9][a-zA-Z0-9_.-]{0,62}");
    static final Pattern TAG = Pattern.compile("[a-z0-9_][a-z0-9._-]{0,127}");
    static final Pattern TEAM = Pattern.compile("[a-zA-Z0-9][a-zA-Z0-9_.-]*:[a-zA-Z0-9][a-zA-Z0-9_.-]*");
    private static final Pattern DATABASE = Pattern.compile("[^\\x00]{1,63}");

    private static final YAMLMapper YAML = YAMLMapper.builder()
            // versions such as 14.10 must keep their digits as written
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .configure(com.fasterxml.jackson.databind.cfg.JsonNodeFeature.STRIP_TRAILING_BIGDECIMAL_ZEROES, false)
            .build();

    /** Where the files a definition names are, which decides how its paths are read. */
    public enum FileLocation
    {
        /**
         * The definition's directory on the daemon's machine, named by the local administrator: paths are read as they
         * are written, relative to that directory or absolute, wherever they lead (that caller can read the daemon's
         * files anyway).
         */
        ON_THIS_MACHINE,
        /**
         * An upload's staging directory: each path is found under its {@link DefinitionSources#uploadName upload name},
         * and nothing outside that directory is ever read.
         */
        UPLOADED,
    }

    private final EngineRegistry engines;

    /**
     * @param engines the engines this daemon knows, whose names and aliases definitions may use
     */
    public ImageDefinitionParser(EngineRegistry engines)
    {
        this.engines = requireNonNull(engines, "engines is null");
    }

    /**
     * @param yaml the definition's text
     * @param sourceDirectory the definition file's directory, or the upload's: relative paths start there
     * @param location whether {@code sourceDirectory} is an upload, whose files are found under their upload names
     * @param nameOverride the image name given on the command line, which makes {@code name} optional
     */
    public ImageDefinition parse(String yaml, Path sourceDirectory, FileLocation location, Optional<String> nameOverride)
    {
        return parse(yaml, sourceDirectory, location, nameOverride, Map.of());
    }

    /**
     * @param variables values for the variables of {@code transform:} ({@code --set name=value}), over its own
     */
    public ImageDefinition parse(String yaml, Path sourceDirectory, FileLocation location, Optional<String> nameOverride, Map<String, String> variables)
    {
        requireNonNull(variables, "variables is null");
        requireNonNull(yaml, "yaml is null");
        requireNonNull(sourceDirectory, "sourceDirectory is null");
        requireNonNull(location, "location is null");
        Sources base = new Sources(realDirectory(sourceDirectory), location);
        JsonNode root;
        try {
            root = YAML.readTree(yaml);
        }
        catch (JsonProcessingException e) {
            throw DollyException.badInput("The image definition is not valid YAML: " + e.getOriginalMessage()
                    + (e.getLocation() == null ? "" : " (line " + e.getLocation().getLineNr() + ")"));
        }
        if (root == null || root.isMissingNode() || root.isNull()) {
            throw DollyException.badInput("The image definition is empty: it needs at least 'sourceType' and 'engine'.");
        }
        if (!root.isObject()) {
            throw DollyException.badInput("The image definition must be a YAML mapping of keys such as 'name', 'sourceType' and 'engine'.");
        }
        checkKeys((ObjectNode) root, KEYS, "");

        String name = nameOverride.filter(value -> !value.isBlank()).orElseGet(() -> requiredText(root, "name"));
        checkName(name);
        SourceType sourceType = sourceType(requiredText(root, "sourceType"));
        String engine = engines.find(requiredText(root, "engine"))
                .map(Engine::name)
                .orElseThrow(() -> DollyException.badInput("Unknown engine '" + text(root, "engine").orElseThrow() + "': use one of "
                        + String.join(", ", engines.names().stream().sorted().toList()) + "."));
        Optional<String> version = text(root, "version");
        Optional<String> initialDatabaseName = text(root, "initialDatabaseName");
        initialDatabaseName.ifPresent(database -> {
            if (!DATABASE.matcher(database).matches()) {
                throw DollyException.badInput("initialDatabaseName '" + database + "' is not a valid database name (1 to 63 characters).");
            }
        });

        List<BackupSource> backups = backups(root, base);
        List<Path> scriptsFolders = new ArrayList<>();
        for (String folder : textList(root, "scriptsFolders")) {
            Path path = base.resolve(folder, "scriptsFolders entry");
            if (!Files.isDirectory(path)) {
                throw DollyException.badInput("scriptsFolders entry '" + folder + "' is not a directory (" + base.describe(folder, path) + ").");
            }
            scriptsFolders.add(path);
        }
        switch (sourceType) {
            case BACKUP -> {
                if (backups.isEmpty()) {
                    throw DollyException.badInput("sourceType 'backup' needs a 'backup' (folder and file, or path) or a 'backups' list.");
                }
                if (!scriptsFolders.isEmpty()) {
                    throw DollyException.badInput("'scriptsFolders' belongs to sourceType 'scripts', but sourceType is 'backup'.");
                }
            }
            case SCRIPTS -> {
                if (scriptsFolders.isEmpty()) {
                    throw DollyException.badInput("sourceType 'scripts' needs 'scriptsFolders', a list of folders whose .sql files are applied in name order.");
                }
                if (!backups.isEmpty()) {
                    throw DollyException.badInput("'backup' belongs to sourceType 'backup', but sourceType is 'scripts'.");
                }
            }
            case EMPTY -> {
                if (!backups.isEmpty() || !scriptsFolders.isEmpty()) {
                    throw DollyException.badInput("sourceType 'empty' takes no 'backup', 'backups' or 'scriptsFolders'.");
                }
            }
        }

        List<String> tags = textList(root, "tags");
        tags.forEach(ImageDefinitionParser::checkTag);
        List<String> teams = textList(root, "teams");
        teams.forEach(ImageDefinitionParser::checkTeam);
        Lifetime lifetime = Lifetime.parse(text(root, "lifetime").orElse(null), "lifetime");
        Optional<TransformDefinition> transform = transform(root.get("transform"), base, variables);
        if (transform.isEmpty() && !variables.isEmpty()) {
            throw DollyException.badInput("--set gives values to the variables of 'transform:', but the definition has no 'transform'.");
        }
        return new ImageDefinition(name, sourceType, engine, version, initialDatabaseName, backups, scriptsFolders, tags, teams, lifetime,
                text(root, "preScript"), text(root, "postScript"), transform);
    }

    /** The {@code transform:} key: a mapping, or the name of a YAML file holding one ({@code transform: ./shrink.yaml}). */
    private static Optional<TransformDefinition> transform(JsonNode node, Sources base, Map<String, String> variables)
    {
        if (node == null || node.isNull()) {
            return Optional.empty();
        }
        if (node.isTextual()) {
            String written = node.asText().strip();
            Path path = base.resolve(written, "transform");
            if (!Files.isRegularFile(path)) {
                throw DollyException.badInput("Transform file '" + written + "' not found: " + base.describe(written, path) + ".");
            }
            try {
                node = YAML.readTree(Files.readString(path));
            }
            catch (JsonProcessingException e) {
                throw DollyException.badInput("The transform file '" + written + "' is not valid YAML: " + e.getOriginalMessage()
                        + (e.getLocation() == null ? "" : " (line " + e.getLocation().getLineNr() + ")"));
            }
            catch (IOException e) {
                throw DollyException.badInput("Cannot read the transform file '" + written + "': " + e.getMessage());
            }
            if (node == null || node.isMissingNode() || node.isNull()) {
                throw DollyException.badInput("The transform file '" + written + "' is empty.");
            }
        }
        return Optional.of(TransformDefinitionParser.parse(node, variables));
    }

    /** The SQL files of a scripts folder, in the order they are applied: by name. */
    public static List<Path> scriptsOf(Path folder)
    {
        try (var files = Files.list(folder)) {
            return files.filter(file -> Files.isRegularFile(file) && file.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".sql"))
                    .sorted(Comparator.comparing(file -> file.getFileName().toString()))
                    .toList();
        }
        catch (IOException e) {
            throw DollyException.badInput("Cannot list the scripts folder " + folder + ": " + e.getMessage());
        }
    }

    public static void checkName(String name)
    {
        if (!NAME.matcher(name).matches()) {
            throw DollyException.badInput("Name '" + name + "' is not valid: use up to 63 letters, digits, '.', '_' or '-', starting with a letter or digit.");
        }
    }

    public static void checkTag(String tag)
    {
        if (!TAG.matcher(tag).matches()) {
            throw DollyException.badInput("Tag '" + tag + "' is not valid: use up to 128 lower-case letters, digits, '.', '_' or '-', not starting with '.' or '-'.");
        }
    }

    public static void checkTeam(String team)
    {
        if (!TEAM.matcher(team).matches()) {
            throw DollyException.badInput("Team '" + team + "' is not valid: write it as organisation:team, for example myorg:developers.");
        }
    }

    private static List<BackupSource> backups(JsonNode root, Sources base)
    {
        List<BackupSource> backups = new ArrayList<>();
        JsonNode single = root.get("backup");
        JsonNode list = root.get("backups");
        if (single != null && list != null) {
            throw DollyException.badInput("Use either 'backup' or 'backups', not both.");
        }
        if (single != null) {
            backups.add(backup(single, "backup", base));
        }
        if (list != null) {
            if (!list.isArray()) {
                throw DollyException.badInput("'backups' must be a list of entries with 'folder' and 'file', or 'path'.");
            }
            for (int index = 0; index < list.size(); index++) {
                backups.add(backup(list.get(index), "backups[" + index + "]", base));
            }
        }
        return backups;
    }

    private static BackupSource backup(JsonNode node, String key, Sources base)
    {
        if (!node.isObject()) {
            throw DollyException.badInput("'" + key + "' must be a mapping with 'folder' and 'file', or 'path'.");
        }
        checkKeys((ObjectNode) node, BACKUP_KEYS, key + ".");
        Optional<String> folder = text(node, "folder");
        Optional<String> file = text(node, "file");
        Optional<String> pathText = text(node, "path");
        String relative;
        if (pathText.isPresent()) {
            if (folder.isPresent() || file.isPresent()) {
                throw DollyException.badInput("'" + key + "' has 'path' together with 'folder'/'file': use one or the other.");
            }
            relative = pathText.get();
        }
        else if (file.isPresent()) {
            relative = DefinitionSources.backupPath(folder.orElse(null), file.get());
        }
        else {
            throw DollyException.badInput("'" + key + "' needs 'file' (and usually 'folder'), or 'path'.");
        }
        Path path = base.resolve(relative, key);
        if (!Files.exists(path)) {
            throw DollyException.badInput("Backup file '" + relative + "' (" + key + ") not found: " + base.describe(relative, path) + ".");
        }
        checkNotEmpty(path, relative, key);
        Optional<BackupFormat> format = text(node, "format").map(value -> {
            try {
                return BackupFormat.valueOf(value.toUpperCase(Locale.ROOT));
            }
            catch (IllegalArgumentException e) {
                throw DollyException.badInput(key + ".format '" + value + "' is unknown: use plain, custom, directory or tar, or leave it out to detect it.");
            }
        });
        return new BackupSource(path, format);
    }

    /** A backup file of 0 bytes is what a failed {@code pg_dump} or {@code mysqldump} leaves behind: never a backup. */
    private static void checkNotEmpty(Path path, String relative, String key)
    {
        try {
            if (Files.isRegularFile(path) && Files.size(path) == 0) {
                throw DollyException.badInput(DefinitionSources.emptyBackupMessage(relative, key));
            }
        }
        catch (IOException e) {
            throw DollyException.badInput("Cannot read backup file '" + relative + "' (" + key + "): " + e.getMessage());
        }
    }

    /** Where the paths of one definition lead. */
    private record Sources(Path directory, FileLocation location)
    {
        /** The real path of a path of the definition when it exists, else the normalized one. */
        Path resolve(String written, String key)
        {
            if (location == FileLocation.UPLOADED) {
                return DefinitionSources.confined(directory, DefinitionSources.uploadName(written), key);
            }
            try {
                Path path = directory.resolve(written).normalize();
                return Files.exists(path) ? path.toRealPath() : path;
            }
            catch (InvalidPathException e) {
                throw DollyException.badInput(key + " '" + written + "' is not a valid path: " + e.getMessage());
            }
            catch (IOException e) {
                throw DollyException.badInput("Cannot read " + key + " '" + written + "': " + e.getMessage());
            }
        }

        /** Where a path was looked for, in words. */
        String describe(String written, Path path)
        {
            if (location == FileLocation.UPLOADED) {
                return "it is not among the uploaded files (as '" + DefinitionSources.uploadName(written) + "'); the dolly CLI uploads every file the definition names";
            }
            return "looked for " + path;
        }
    }

    private static Path realDirectory(Path sourceDirectory)
    {
        if (!sourceDirectory.isAbsolute()) {
            throw DollyException.badInput("The definition's directory must be an absolute path, not " + sourceDirectory + ".");
        }
        try {
            Path real = sourceDirectory.toRealPath();
            if (!Files.isDirectory(real)) {
                throw DollyException.badInput("The definition's directory " + sourceDirectory + " is not a directory.");
            }
            return real;
        }
        catch (IOException e) {
            throw DollyException.badInput("The definition's directory " + sourceDirectory + " cannot be read: " + e.getMessage());
        }
    }

    private static void checkKeys(ObjectNode node, Set<String> allowed, String prefix)
    {
        for (Iterator<Map.Entry<String, JsonNode>> fields = node.properties().iterator(); fields.hasNext(); ) {
            String key = fields.next().getKey();
            if (!allowed.contains(key)) {
                String suggestion = closest(key, allowed).map(match -> ": did you mean '" + prefix + match + "'?").orElse(
                        ". Known keys: " + String.join(", ", new LinkedHashSet<>(allowed.stream().sorted().toList())) + ".");
                throw DollyException.badInput("Unknown key '" + prefix + key + "' in the image definition" + suggestion);
            }
        }
    }

    private static Optional<String> closest(String key, Set<String> candidates)
    {
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        for (String candidate : candidates) {
            int distance = distance(key.toLowerCase(Locale.ROOT), candidate.toLowerCase(Locale.ROOT));
            if (distance < bestDistance) {
                best = candidate;
                bestDistance = distance;
            }
        }
        return bestDistance <= Math.max(2, key.length() / 3) ? Optional.ofNullable(best) : Optional.empty();
    }

    /** Levenshtein distance. */
    private static int distance(String left, String right)
    {
        int[] previous = new int[right.length() + 1];
        int[] current = new int[right.length() + 1];
        for (int j = 0; j <= right.length(); j++) {
            previous[j] = j;
        }
        for (int i = 1; i <= left.length(); i++) {
            current[0] = i;
            for (int j = 1; j <= right.length(); j++) {
                int substitution = previous[j - 1] + (left.charAt(i - 1) == right.charAt(j - 1) ? 0 : 1);
                current[j] = Math.min(substitution, Math.min(previous[j] + 1, current[j - 1] + 1));
            }
            int[] swap = previous;
            previous = current;
            current = swap;
        }
        return previous[right.length()];
    }

    private static SourceType sourceType(String value)
    {
        return switch (value.toLowerCase(Locale.ROOT)) {
            case "backup" -> SourceType.BACKUP;
            case "scripts" -> SourceType.SCRIPTS;
            case "empty" -> SourceType.EMPTY;
            default -> throw DollyException.badInput("sourceType '" + value + "' is unknown: use backup, scripts or empty.");
        };
    }

    private static String requiredText(JsonNode node, String key)
    {
        return text(node, key).orElseThrow(() -> DollyException.badInput("The image definition has no '" + key + "': it is required."));
    }

    private static Optional<String> text(JsonNode node, String key)
    {
        JsonNode value = node.get(key);
        if (value == null || value.isNull()) {
            return Optional.empty();
        }
        if (!value.isValueNode()) {
            throw DollyException.badInput("'" + key + "' must be a single value, not a " + (value.isArray() ? "list" : "mapping") + ".");
        }
        String text = value.isBigDecimal() ? value.decimalValue().toPlainString() : value.asText();
        return text.isBlank() ? Optional.empty() : Optional.of(text.strip().equals(text) || key.endsWith("Script") ? text : text.strip());
    }

    private static List<String> textList(JsonNode node, String key)
    {
        JsonNode value = node.get(key);
        if (value == null || value.isNull()) {
            return List.of();
        }
        if (value.isValueNode()) {
            return List.of(value.asText());
        }
        if (!value.isArray()) {
            throw DollyException.badInput("'" + key + "' must be a list.");
        }
        List<String> items = new ArrayList<>();
        for (JsonNode item : value) {
            if (!item.isValueNode() || item.isNull()) {
                throw DollyException.badInput("'" + key + "' must be a list of text values.");
            }
            items.add(item.asText());
        }
        return items;
    }
}
