package dev.dolly.api;

import java.time.Instant;

/**
 * What a data container follows: it is recreated on the image its tag moves to, keeping its name, port, user and password.
 *
 * @param image {@code name:tag}
 * @param refreshAt {@code HH:MM} (the daemon's time zone) or {@code now}
 * @param refreshedAt when it last moved to a new image, or {@code null}
 * @param message how the last refresh went (what moved and which revisions were dropped, or why it failed), or {@code null}
 */
public record Following(String image, String refreshAt, Instant refreshedAt, String message) {}
