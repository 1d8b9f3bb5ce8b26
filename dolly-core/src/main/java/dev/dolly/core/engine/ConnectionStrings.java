package dev.dolly.core.engine;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;

/**
 * @param uri for example {@code postgresql://user:password@127.0.0.1:54321/chinook}
 * @param jdbcUrl for example {@code jdbc:postgresql://127.0.0.1:54321/chinook}
 * @param keyValue for example {@code host=127.0.0.1 port=54321 user=postgres password=… dbname=chinook}
 */
public record ConnectionStrings(String uri, String jdbcUrl, String keyValue)
{
    /** A user, password or database name in a URI: percent-encoded, a space as {@code %20}. */
    public static String uriEncode(String text)
    {
        return URLEncoder.encode(text, StandardCharsets.UTF_8).replace("+", "%20");
    }

    /** A host in a URI: an IPv6 address in brackets. */
    public static String uriHost(String host)
    {
        return host.contains(":") && !host.startsWith("[") ? "[" + host + "]" : host;
    }
}
