package dev.dolly.bench;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/** The progress lines of a run, on standard output with the time of day. */
final class Log
{
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss").withZone(ZoneOffset.UTC);

    private Log() {}

    static void log(String message)
    {
        System.out.println("[" + TIME.format(Instant.now()) + "] " + message);
        System.out.flush();
    }
}
