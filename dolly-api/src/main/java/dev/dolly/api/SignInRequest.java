package dev.dolly.api;

/** A user name and a password, in exchange for a session token: the only request that needs no token. */
public record SignInRequest(
        String name,
        String password) {}
