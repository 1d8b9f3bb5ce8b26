package dev.dolly.api;

/**
 * Asks the daemon to create a user (administrators only).
 *
 * @param password the password in clear; the daemon stores only a slow, salted hash of it
 */
public record CreateUserRequest(
        String name,
        String password,
        boolean admin) {}
