package dev.dolly.cli.command;

import dev.dolly.api.DollyException;
import dev.dolly.api.Json;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Optional;

import static java.util.Objects.requireNonNull;

/**
 * The CLI's configuration file: {@code DOLLY_CONFIG}, default {@code ~/.dolly/config}. It holds the session of
 * {@code dolly auth login} and is readable by its owner only (mode 0600), since the session token is in it. It is
 * written as JSON, and read as YAML or JSON.
 */
final class ClientConfiguration
{
    static final String CONFIG_VARIABLE = "DOLLY_CONFIG";

    private final Path file;

    ClientConfiguration(Path file)
    {
        this.file = requireNonNull(file, "file is null");
    }

    static ClientConfiguration of(CommandContext context)
    {
        Path file = context.variable(CONFIG_VARIABLE).map(Path::of)
                .orElseGet(() -> Path.of(context.variable("HOME").orElse(System.getProperty("user.home")), ".dolly", "config"));
        return new ClientConfiguration(file.toAbsolutePath());
    }

    Path file()
    {
        return file;
    }

    Optional<StoredSession> session()
    {
        byte[] content;
        try {
            content = Files.readAllBytes(file);
        }
        catch (NoSuchFileException e) {
            return Optional.empty();
        }
        catch (IOException e) {
            throw DollyException.failed("Cannot read the CLI configuration " + file + ": " + e.getMessage() + ". Fix or remove it, or set "
                    + CONFIG_VARIABLE + " to another file.", e);
        }
        if (content.length == 0) {
            return Optional.empty();
        }
        try {
            StoredSession session = Json.yaml().readValue(content, StoredSession.class);
            if (session == null || session.server() == null || session.token() == null) {
                return Optional.empty();
            }
            return Optional.of(session);
        }
        catch (IOException e) {
            throw DollyException.badInput("The CLI configuration " + file + " is not valid YAML or JSON: " + e.getMessage()
                    + ". Remove it and sign in again with 'dolly auth login'.");
        }
    }

    /** Writes the session, readable by the owner only; the file is replaced atomically. */
    void save(StoredSession session)
    {
        try {
            Path directory = file.getParent();
            if (!Files.isDirectory(directory)) {
                Files.createDirectories(directory, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
            }
            Path temporary = directory.resolve(file.getFileName() + ".tmp");
            Files.deleteIfExists(temporary);
            Files.createFile(temporary, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            Files.write(temporary, Json.json().writerWithDefaultPrettyPrinter().writeValueAsBytes(session));
            Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        }
        catch (IOException e) {
            throw DollyException.failed("Cannot write the CLI configuration " + file + ": " + e.getMessage() + ". Set " + CONFIG_VARIABLE
                    + " to a file you can write.", e);
        }
    }

    void remove()
    {
        try {
            Files.deleteIfExists(file);
        }
        catch (IOException e) {
            throw DollyException.failed("Cannot remove the CLI configuration " + file + ": " + e.getMessage(), e);
        }
    }
}
