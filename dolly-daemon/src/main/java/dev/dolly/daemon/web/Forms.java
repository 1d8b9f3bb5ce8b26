package dev.dolly.daemon.web;

import dev.dolly.api.DollyException;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;

/** Reading the fields of a form. */
final class Forms
{
    private Forms() {}

    /** The value, stripped; null when the field is missing or blank. */
    static String optional(String value)
    {
        return value == null || value.isBlank() ? null : value.strip();
    }

    static String required(String value, String what)
    {
        String present = optional(value);
        if (present == null) {
            throw DollyException.badInput("The form lacks " + what + ": fill it in and send it again.");
        }
        return present;
    }

    /** A name as one path segment of a URL. */
    static String pathSegment(String value)
    {
        return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
