package dev.dolly.api;

/**
 * Asks for an access token of the caller's own.
 *
 * @param purpose what it is for, such as {@code nightly refresh}
 * @param expires how long it works ({@code 90m}, {@code 48h}, {@code 7d}); {@code null} or {@code 0} for ever
 */
public record CreateAccessTokenRequest(
        String purpose,
        String expires) {}
