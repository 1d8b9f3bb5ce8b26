package dev.dolly.core.auth;

import dev.dolly.api.DollyException;
import dev.dolly.core.catalog.Catalog;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Optional;

import static java.util.Objects.requireNonNull;

/**
 * Bearer tokens for the API. A token is 256 random bits; only its SHA-256 hash is stored, so the catalog never
 * holds a usable token. The one exception is the local administrator's token, which the daemon writes at first
 * start into a file only its owner can read, for the local CLI.
 */
public final class AccessTokens
{
    public static final String ADMIN_USER = "admin";
    private static final String LOCAL_ADMIN_PURPOSE = "local administrator (DOLLY_HOME/admin-token)";
    private static final SecureRandom RANDOM = new SecureRandom();

    private final Catalog catalog;
    private final Clock clock;
    private volatile byte[] localAdministratorHash = new byte[0];

    public AccessTokens(Catalog catalog, Clock clock)
    {
        this.catalog = requireNonNull(catalog, "catalog is null");
        this.clock = requireNonNull(clock, "clock is null");
    }

    /** Makes sure the local administrator's token file exists and matches a stored hash; creates a new one if not. */
    public void ensureAdminToken(Path file)
    {
        try {
            if (Files.isRegularFile(file)) {
                String token = Files.readString(file, StandardCharsets.UTF_8).strip();
                if (catalog.useAccessToken(hash(token), clock.instant()).isPresent()) {
                    localAdministratorHash = hash(token).getBytes(StandardCharsets.US_ASCII);
                    return;
                }
            }
            catalog.deleteAccessTokensByPurpose(LOCAL_ADMIN_PURPOSE);
            String token = newToken();
            Path temporary = file.resolveSibling(file.getFileName() + ".tmp");
            Files.deleteIfExists(temporary);
            Files.createFile(temporary, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            Files.writeString(temporary, token + "\n", StandardCharsets.UTF_8, StandardOpenOption.TRUNCATE_EXISTING);
            catalog.insertAccessToken(hash(token), ADMIN_USER, LOCAL_ADMIN_PURPOSE, clock.instant());
            localAdministratorHash = hash(token).getBytes(StandardCharsets.US_ASCII);
            Files.move(temporary, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        }
        catch (IOException e) {
            throw DollyException.failed("Cannot write the administrator token to " + file + ": " + e.getMessage(), e);
        }
    }

    /** The user a token belongs to, when it is valid. */
    public Optional<String> authenticate(String token)
    {
        if (token == null || token.isBlank()) {
            return Optional.empty();
        }
        return catalog.useAccessToken(hash(token.strip()), clock.instant());
    }

    /**
     * Whether the token is the one of {@code DOLLY_HOME/admin-token}: whoever holds it can read the home, so it may
     * name directories of this machine (see {@code ImageService.create}). Compared in constant time.
     */
    public boolean isLocalAdministrator(String token)
    {
        if (token == null || token.isBlank()) {
            return false;
        }
        byte[] expected = localAdministratorHash;
        return expected.length > 0 && MessageDigest.isEqual(expected, hash(token.strip()).getBytes(StandardCharsets.US_ASCII));
    }

    static String newToken()
    {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        return "dolly_" + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    static String hash(String token)
    {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8)));
        }
        catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
