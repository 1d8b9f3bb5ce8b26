package dev.dolly.core.engine;

import java.security.SecureRandom;

/** Random, strong passwords: 24 characters from 62, about 143 bits, safe in URIs and connection strings. */
public final class Passwords
{
    private static final String ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
    private static final SecureRandom RANDOM = new SecureRandom();

    private Passwords() {}

    public static String generate()
    {
        return random(24, ALPHABET);
    }

    public static String random(int length, String alphabet)
    {
        StringBuilder password = new StringBuilder(length);
        for (int index = 0; index < length; index++) {
            password.append(alphabet.charAt(RANDOM.nextInt(alphabet.length())));
        }
        return password.toString();
    }
}
