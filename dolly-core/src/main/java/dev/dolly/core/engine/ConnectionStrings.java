package dev.dolly.core.engine;

/**
 * @param uri for example {@code postgresql://user:password@127.0.0.1:54321/chinook}
 * @param jdbcUrl for example {@code jdbc:postgresql://127.0.0.1:54321/chinook}
 * @param keyValue for example {@code host=127.0.0.1 port=54321 user=postgres password=… dbname=chinook}
 */
public record ConnectionStrings(String uri, String jdbcUrl, String keyValue) {}
