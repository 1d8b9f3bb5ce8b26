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

    /**
     * Whether the token is the one of {@code DOLLY_HOME/admin-token}: whoever holds it can read the home, so it may
     * name directories of this machine (see {@code ImageService.create}). The catalog holds no other token of that
     * kind: the daemon replaces it whenever it writes the file.
     */
    public boolean isLocalAdministrator()
    {
        return token.kind().equals(TokenRecord.LOCAL_ADMIN);
    }
}
