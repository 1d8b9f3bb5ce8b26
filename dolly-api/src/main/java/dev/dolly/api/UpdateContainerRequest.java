package dev.dolly.api;

/**
 * Changes a container: its name and lifetime. Only what is given changes.
 *
 * @param name a new name, or {@code null}
 * @param lifetime counted from now ({@code 90m}, {@code 48h}, {@code 7d}; {@code 0} for never), or {@code null} to keep the expiry
 */
public record UpdateContainerRequest(
        String name,
        String lifetime) {}
