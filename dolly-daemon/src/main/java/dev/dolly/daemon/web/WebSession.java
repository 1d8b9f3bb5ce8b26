package dev.dolly.daemon.web;

import dev.dolly.core.auth.Authentication;
import dev.dolly.core.auth.Caller;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;

import static java.util.Objects.requireNonNull;

/**
 * A signed-in browser: the session token of its cookie, who it belongs to, and the session's token against cross-site
 * requests. That token is derived from the session token (a SHA-256 digest of it), so it is the same for the whole
 * session, different for every session, and tells nothing about the session token itself; it needs no storage and
 * survives a restart of the daemon, as the session does.
 */
record WebSession(Authentication authentication, String csrfToken)
{
    WebSession
    {
        requireNonNull(authentication, "authentication is null");
        requireNonNull(csrfToken, "csrfToken is null");
    }

    static WebSession of(Authentication authentication, String sessionToken)
    {
        return new WebSession(authentication, csrfToken(sessionToken));
    }

    Caller caller()
    {
        return authentication.caller();
    }

    /** Whether a request carries this session's token, compared in constant time. */
    boolean isCsrfToken(String sent)
    {
        return sent != null && MessageDigest.isEqual(csrfToken.getBytes(StandardCharsets.UTF_8), sent.getBytes(StandardCharsets.UTF_8));
    }

    static String csrfToken(String sessionToken)
    {
        requireNonNull(sessionToken, "sessionToken is null");
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            digest.update("dolly web dashboard form token\0".getBytes(StandardCharsets.UTF_8));
            return Base64.getUrlEncoder().withoutPadding().encodeToString(digest.digest(sessionToken.getBytes(StandardCharsets.UTF_8)));
        }
        catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("Every Java platform has SHA-256", e);
        }
    }
}
