package dev.dolly.core.auth;

import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;

import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import java.util.Optional;

/**
 * Password hashes: PBKDF2-HMAC-SHA256 with a random 128-bit salt and 600,000 iterations (what OWASP recommends for
 * it), from the JDK, so no library is needed and it is available wherever the daemon runs (also in FIPS mode). A
 * hash is written {@code pbkdf2-sha256$<iterations>$<salt>$<hash>} (Base64), so the iterations can be raised later
 * without breaking stored hashes. Hashes are compared in constant time.
 */
public final class PasswordHashing
{
    public static final int ITERATIONS = 600_000;
    private static final String PREFIX = "pbkdf2-sha256";
    private static final int SALT_BYTES = 16;
    private static final int HASH_BITS = 256;
    private static final SecureRandom RANDOM = new SecureRandom();

    public String hash(String password)
    {
        byte[] salt = new byte[SALT_BYTES];
        RANDOM.nextBytes(salt);
        byte[] hash = derive(password, salt, ITERATIONS);
        return PREFIX + "$" + ITERATIONS + "$" + Base64.getEncoder().withoutPadding().encodeToString(salt) + "$"
                + Base64.getEncoder().withoutPadding().encodeToString(hash);
    }

    /** Whether the password matches the hash; a {@code null} or malformed hash matches nothing, and takes as long. */
    public boolean verify(String password, String storedHash)
    {
        Optional<Parsed> parsed = parse(storedHash);
        Parsed used = parsed.orElseGet(() -> Dummy.HASH);
        byte[] actual = derive(password, used.salt(), used.iterations());
        return MessageDigest.isEqual(used.hash(), actual) && parsed.isPresent();
    }

    private static Optional<Parsed> parse(String storedHash)
    {
        if (storedHash == null) {
            return Optional.empty();
        }
        String[] parts = storedHash.split("\\$");
        if (parts.length != 4 || !parts[0].equals(PREFIX)) {
            return Optional.empty();
        }
        try {
            return Optional.of(new Parsed(Integer.parseInt(parts[1]), Base64.getDecoder().decode(parts[2]), Base64.getDecoder().decode(parts[3])));
        }
        catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    private static byte[] derive(String password, byte[] salt, int iterations)
    {
        char[] characters = password.toCharArray();
        PBEKeySpec specification = new PBEKeySpec(characters, salt, iterations, HASH_BITS);
        try {
            return SecretKeyFactory.getInstance("PBKDF2WithHmacSHA256").generateSecret(specification).getEncoded();
        }
        catch (GeneralSecurityException e) {
            throw new IllegalStateException("PBKDF2WithHmacSHA256 is not available", e);
        }
        finally {
            specification.clearPassword();
            Arrays.fill(characters, '\0');
        }
    }

    @SuppressWarnings("ArrayRecordComponent") // read once where parsed, never compared or kept
    private record Parsed(int iterations, byte[] salt, byte[] hash) {}

    /**
     * Verified against when a user does not exist, so that an unknown user takes as long as a wrong password. Made on
     * first use, not when the daemon starts.
     */
    private static final class Dummy
    {
        private static final Parsed HASH = parse(new PasswordHashing().hash("no user has this password")).orElseThrow();
    }
}
