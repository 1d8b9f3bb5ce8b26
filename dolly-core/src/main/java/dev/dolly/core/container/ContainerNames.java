package dev.dolly.core.container;

import dev.dolly.core.engine.Passwords;

import java.util.Locale;

/** Generated container names, such as {@code widgetstore-k3vq9x}: the image's name and six random characters. */
final class ContainerNames
{
    private static final String ALPHABET = "abcdefghijklmnopqrstuvwxyz0123456789";

    private ContainerNames() {}

    static String generate(String imageName)
    {
        String base = imageName.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9_.-]", "-");
        if (base.length() > 56) {
            base = base.substring(0, 56);
        }
        return base + "-" + Passwords.random(6, ALPHABET);
    }
}
