package dev.dolly.core.auth;

import dev.dolly.api.AccessToken;
import dev.dolly.api.CreateAccessTokenRequest;
import dev.dolly.api.DollyException;
import dev.dolly.api.NewAccessToken;
import dev.dolly.api.NextStep;
import dev.dolly.api.Session;
import dev.dolly.api.SessionToken;
import dev.dolly.api.SignInRequest;
import dev.dolly.core.catalog.TokenRecord;
import dev.dolly.core.catalog.UserCatalog;
import dev.dolly.core.catalog.UserRecord;
import dev.dolly.core.image.Lifetime;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import static java.util.Objects.requireNonNull;

/**
 * Bearer tokens for the API: access tokens users make for themselves (CI pipelines), sessions from signing in with a
 * password, and the local administrator's token. A token is 256 random bits; only its SHA-256 hash is stored (a
 * slow hash buys nothing for 256 random bits), so the catalog never holds a usable token. The one exception is the
 * local administrator's token, which the daemon writes at first start into a file only its owner can read, for the
 * local CLI.
 */
public final class AccessTokens
{
    private static final Logger LOG = LoggerFactory.getLogger(AccessTokens.class);
    public static final String ADMIN_USER = "admin";
    private static final String LOCAL_ADMIN_PURPOSE = "local administrator (DOLLY_HOME/admin-token)";
    private static final String SESSION_PURPOSE = "session";
    private static final int MAXIMUM_PURPOSE_LENGTH = 200;
    private static final SecureRandom RANDOM = new SecureRandom();

    private final UserCatalog catalog;
    private final Clock clock;
    private final Duration sessionLifetime;
    private final PasswordHashing passwords;
    private final SignInThrottle throttle;

    public AccessTokens(UserCatalog catalog, Clock clock, Duration sessionLifetime, PasswordHashing passwords)
    {
        this.catalog = requireNonNull(catalog, "catalog is null");
        this.clock = requireNonNull(clock, "clock is null");
        this.sessionLifetime = requireNonNull(sessionLifetime, "sessionLifetime is null");
        this.passwords = requireNonNull(passwords, "passwords is null");
        this.throttle = new SignInThrottle(clock);
    }

    /**
     * Makes sure the local administrator exists as an administrator, and that the token file exists and matches a
     * stored hash; writes a new token if not.
     */
    public void ensureAdminToken(Path file)
    {
        catalog.ensureAdministrator(ADMIN_USER, clock.instant());
        try {
            if (Files.isRegularFile(file)) {
                String token = Files.readString(file, StandardCharsets.UTF_8).strip();
                if (catalog.useAccessToken(hash(token), clock.instant()).filter(record -> record.kind().equals(TokenRecord.LOCAL_ADMIN)).isPresent()) {
                    return;
                }
            }
            catalog.deleteAccessTokensOfKind(TokenRecord.LOCAL_ADMIN);
            String token = newToken();
            Path temporary = file.resolveSibling(file.getFileName() + ".tmp");
            Files.deleteIfExists(temporary);
            Files.createFile(temporary, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            Files.writeString(temporary, token + "\n", StandardCharsets.UTF_8, StandardOpenOption.TRUNCATE_EXISTING);
            catalog.insertAccessToken(hash(token), ADMIN_USER, TokenRecord.LOCAL_ADMIN, LOCAL_ADMIN_PURPOSE, clock.instant(), null);
            Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        }
        catch (IOException e) {
            throw DollyException.storageFailed("Cannot write the administrator token to " + file + ": " + e.getMessage(), e);
        }
    }

    /** Who a token belongs to, when it is valid (known, not revoked, not expired, of a user who still exists). */
    public Optional<Authentication> authenticate(String token)
    {
        if (token == null || token.isBlank()) {
            return Optional.empty();
        }
        Optional<TokenRecord> record = catalog.useAccessToken(hash(token.strip()), clock.instant());
        if (record.isEmpty()) {
            return Optional.empty();
        }
        return catalog.findUser(record.get().userName())
                .map(user -> new Authentication(new Caller(user.name(), user.admin(), Set.copyOf(user.teams())), record.get()));
    }

    /**
     * Signs a user in with their password, for a session token that expires after the session lifetime. An unknown
     * user and a wrong password get the same answer, in about the same time; repeated failures are throttled.
     *
     * @param address the client's address, for throttling
     */
    public SessionToken signIn(SignInRequest request, String address)
    {
        requireNonNull(request, "request is null");
        String name = request.name() == null ? "" : request.name().strip();
        String password = request.password() == null ? "" : request.password();
        // counted as a failure from here until it succeeds, so that parallel guesses cannot all pass the check; names no
        // user can have count as one, so that the throttle never keeps text of any length a client sends
        String throttledName = UserService.isUserName(name) ? name : "";
        throttle.attempt(throttledName, address);
        Optional<UserRecord> user = catalog.findUser(name);
        // verified even for an unknown user or one without a password, so that the time does not tell which
        boolean valid = passwords.verify(password, user.map(UserRecord::passwordHash).orElse(null)) && user.isPresent();
        if (!valid) {
            // an unknown name is not logged: it may be a password typed into the wrong field
            LOG.info("Failed sign-in for {} from {}", user.isPresent() ? "user " + name : "an unknown user name", address);
            throw new DollyException(dev.dolly.api.ErrorCode.NOT_AUTHENTICATED, "Wrong user name or password.");
        }
        throttle.succeeded(throttledName, address);
        Instant now = clock.instant();
        catalog.deleteExpiredAccessTokens(now);
        String token = newToken();
        Instant expiresAt = now.plus(sessionLifetime);
        catalog.insertAccessToken(hash(token), name, TokenRecord.SESSION, SESSION_PURPOSE, now, expiresAt);
        LOG.info("User {} signed in from {}", name, address);
        return new SessionToken(token, name, expiresAt);
    }

    /** Who the caller is, with the token they used. */
    public Session describe(Authentication authentication)
    {
        Caller caller = authentication.caller();
        return new Session(caller.name(), caller.admin(), caller.teams().stream().sorted().toList(), authentication.token().purpose(),
                authentication.token().expiresAt());
    }

    /**
     * Signs out: revokes the token the request carried. Not the local administrator's, which would leave the local
     * CLI without a valid token until the daemon starts again.
     */
    public void signOut(Authentication authentication)
    {
        TokenRecord token = authentication.token();
        if (authentication.isLocalAdministrator()) {
            throw DollyException.badInput("The local administrator's token (DOLLY_HOME/admin-token) cannot be signed out. "
                    + "To replace it, delete the file and start the daemon again.");
        }
        catalog.deleteAccessToken(token.id(), token.userName(), token.kind());
    }

    /** A new access token of the caller's own; the token is in the answer, and nowhere else. */
    public NewAccessToken create(Caller caller, CreateAccessTokenRequest request)
    {
        requireNonNull(caller, "caller is null");
        requireNonNull(request, "request is null");
        String purpose = request.purpose() == null ? "" : request.purpose().strip();
        if (purpose.isEmpty() || purpose.length() > MAXIMUM_PURPOSE_LENGTH || purpose.chars().anyMatch(Character::isISOControl)) {
            throw DollyException.badInput("Say what the token is for with --purpose TEXT (up to " + MAXIMUM_PURPOSE_LENGTH
                    + " characters on one line), such as --purpose \"nightly refresh\".");
        }
        Lifetime lifetime = Lifetime.parse(request.expires(), "--expires");
        Instant now = clock.instant();
        Instant expiresAt = lifetime.expiry(now).orElse(null);
        String token = newToken();
        long id = catalog.insertAccessToken(hash(token), caller.name(), TokenRecord.ACCESS_TOKEN, purpose, now, expiresAt);
        LOG.info("User {} created access token {} ({})", caller.name(), id, printable(purpose));
        return new NewAccessToken(id, token, purpose, now, expiresAt);
    }

    /** The caller's own access tokens (not their sessions), oldest first. */
    public List<AccessToken> list(Caller caller)
    {
        return catalog.listAccessTokens(caller.name(), TokenRecord.ACCESS_TOKEN).stream().map(AccessTokens::view).toList();
    }

    /** Revokes one of the caller's access tokens at once; another user's ID is not found. */
    public AccessToken delete(Caller caller, String id)
    {
        DollyException notFound = DollyException.notFound("Access token '" + id + "' not found.", NextStep.of(NextStep.Kind.LIST_ACCESS_TOKENS));
        if (id == null || !id.strip().matches("\\d{1,18}")) {
            throw notFound;
        }
        long number = Long.parseLong(id.strip());
        TokenRecord token = catalog.listAccessTokens(caller.name(), TokenRecord.ACCESS_TOKEN).stream()
                .filter(record -> record.id() == number)
                .findFirst()
                .orElseThrow(() -> notFound);
        if (!catalog.deleteAccessToken(number, caller.name(), TokenRecord.ACCESS_TOKEN)) {
            throw notFound;
        }
        LOG.info("User {} revoked access token {}", caller.name(), number);
        return view(token);
    }

    private static AccessToken view(TokenRecord token)
    {
        return new AccessToken(token.id(), token.purpose(), token.createdAt(), token.lastUsedAt(), token.expiresAt());
    }

    /** A user name from a request, safe for the log: no line breaks, not too long. */
    private static String printable(String text)
    {
        String cleaned = text.replaceAll("\\p{Cntrl}", "?");
        return cleaned.length() > 64 ? cleaned.substring(0, 64) + "…" : cleaned;
    }

    static String newToken()
    {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        return "dolly_" + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    static String hash(String token)
    {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8)));
        }
        catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
