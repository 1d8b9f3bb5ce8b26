package dev.dolly.core.auth;

import dev.dolly.core.catalog.TokenRecord;

import static java.util.Objects.requireNonNull;

/** A valid token and who it belongs to. */
public record Authentication(
        Caller caller,
        TokenRecord token)
{
    public Authentication
    {
        requireNonNull(caller, "caller is null");
        requireNonNull(token, "token is null");
    }
}
