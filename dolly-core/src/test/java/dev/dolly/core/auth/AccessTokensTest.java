package dev.dolly.core.auth;

import dev.dolly.api.AccessToken;
import dev.dolly.api.CreateAccessTokenRequest;
import dev.dolly.api.CreateTeamRequest;
import dev.dolly.api.CreateUserRequest;
import dev.dolly.api.DollyException;
import dev.dolly.api.ErrorCode;
import dev.dolly.api.NewAccessToken;
import dev.dolly.api.SessionToken;
import dev.dolly.api.SignInRequest;
import dev.dolly.api.UpdateTeamRequest;
import dev.dolly.core.catalog.Catalog;
import dev.dolly.core.testing.MutableClock;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Sign-in, sessions, access tokens, users and teams on a real catalog. */
class AccessTokensTest
{
    private static final String PASSWORD = "a long password for alice";

    @TempDir
    Path directory;

    private final MutableClock clock = new MutableClock(Instant.parse("2026-11-21T10:00:00Z"));
    private Catalog catalog;
    private AccessTokens tokens;
    private UserService users;
    private Caller admin;

    @BeforeEach
    void setUp()
    {
        catalog = Catalog.open(directory.resolve("catalog.db"));
        PasswordHashing hashing = new PasswordHashing();
        tokens = new AccessTokens(catalog.users(), clock, Duration.ofHours(12), hashing);
        users = new UserService(catalog.users(), clock, hashing, true);
        tokens.ensureAdminToken(directory.resolve("admin-token"));
        admin = tokens.authenticate(read(directory.resolve("admin-token"))).orElseThrow().caller();
        users.create(admin, new CreateUserRequest("alice", PASSWORD, false));
        users.createTeam(admin, new CreateTeamRequest("myorg:developers"));
        users.updateTeam(admin, "myorg:developers", new UpdateTeamRequest(List.of("alice"), List.of()));
    }

    @Test
    void theLocalAdministratorIsAnAdministratorWithAPrivateTokenFile()
            throws Exception
    {
        assertThat(admin.name()).isEqualTo("admin");
        assertThat(admin.admin()).isTrue();
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(directory.resolve("admin-token")))).isEqualTo("rw-------");
        // its token is not one of the access tokens it lists
        assertThat(tokens.list(admin)).isEmpty();
    }

    @Test
    void signingInGivesASessionThatKnowsTheTeamsAndExpires()
    {
        SessionToken session = tokens.signIn(new SignInRequest("alice", PASSWORD), "10.0.0.1");

        assertThat(session.expiresAt()).isEqualTo(clock.instant().plus(Duration.ofHours(12)));
        Authentication authentication = tokens.authenticate(session.token()).orElseThrow();
        assertThat(authentication.caller()).isEqualTo(new Caller("alice", false, Set.of("myorg:developers")));
        assertThat(tokens.describe(authentication).purpose()).isEqualTo("session");

        clock.advance(Duration.ofHours(12));
        assertThat(tokens.authenticate(session.token())).isEmpty();
    }

    @Test
    void anUnknownUserAndAWrongPasswordGetTheSameAnswer()
    {
        assertThatThrownBy(() -> tokens.signIn(new SignInRequest("alice", "not the password"), "10.0.0.1"))
                .isInstanceOf(DollyException.class)
                .hasMessage("Wrong user name or password.")
                .extracting(exception -> ((DollyException) exception).errorCode()).isEqualTo(ErrorCode.NOT_AUTHENTICATED);
        assertThatThrownBy(() -> tokens.signIn(new SignInRequest("mallory", PASSWORD), "10.0.0.1"))
                .hasMessage("Wrong user name or password.");
        // the local administrator has no password: it cannot sign in
        assertThatThrownBy(() -> tokens.signIn(new SignInRequest("admin", ""), "10.0.0.1"))
                .hasMessage("Wrong user name or password.");
    }

    @Test
    void repeatedFailuresAreRefusedEvenWithTheRightPassword()
    {
        for (int attempt = 0; attempt < SignInThrottle.FREE_FAILURES_PER_USER; attempt++) {
            assertThatThrownBy(() -> tokens.signIn(new SignInRequest("alice", "guess"), "10.0.0.1")).hasMessage("Wrong user name or password.");
        }
        assertThatThrownBy(() -> tokens.signIn(new SignInRequest("alice", PASSWORD), "10.0.0.1"))
                .extracting(exception -> ((DollyException) exception).errorCode()).isEqualTo(ErrorCode.TOO_MANY_ATTEMPTS);
        clock.advance(SignInThrottle.FIRST_DELAY);
        assertThat(tokens.signIn(new SignInRequest("alice", PASSWORD), "10.0.0.1").user()).isEqualTo("alice");
    }

    @Test
    void namesNoUserCanHaveAreThrottledAsOne()
    {
        for (int attempt = 0; attempt < SignInThrottle.FREE_FAILURES_PER_USER; attempt++) {
            String name = "Not A User Name " + "x".repeat(10_000 * attempt);
            assertThatThrownBy(() -> tokens.signIn(new SignInRequest(name, "guess"), "10.0.0.1")).hasMessage("Wrong user name or password.");
        }
        assertThatThrownBy(() -> tokens.signIn(new SignInRequest("ANOTHER", "guess"), "10.0.0.2"))
                .extracting(exception -> ((DollyException) exception).errorCode()).isEqualTo(ErrorCode.TOO_MANY_ATTEMPTS);
        // real users are not affected, from the same address
        assertThat(tokens.signIn(new SignInRequest("alice", PASSWORD), "10.0.0.1").user()).isEqualTo("alice");
    }

    @Test
    void accessTokensAreListedWithoutTheTokenAndRevokedAtOnce()
    {
        Caller alice = signedIn();
        NewAccessToken created = tokens.create(alice, new CreateAccessTokenRequest("nightly refresh", null));
        NewAccessToken expiring = tokens.create(alice, new CreateAccessTokenRequest("one day", "1d"));
        assertThat(created.token()).startsWith("dolly_").hasSizeGreaterThanOrEqualTo(43 + 6);
        assertThat(created.expiresAt()).isNull();
        assertThat(expiring.expiresAt()).isEqualTo(clock.instant().plus(Duration.ofDays(1)));

        clock.advance(Duration.ofMinutes(5));
        assertThat(tokens.authenticate(created.token()).orElseThrow().caller().name()).isEqualTo("alice");
        List<AccessToken> listed = tokens.list(alice);
        assertThat(listed).extracting(AccessToken::purpose).containsExactly("nightly refresh", "one day");
        assertThat(listed.getFirst().lastUsedAt()).isEqualTo(clock.instant());
        assertThat(listed.get(1).lastUsedAt()).isNull();

        // another user's token ID is not found: admins see only their own
        assertThatThrownBy(() -> tokens.delete(admin, String.valueOf(created.id())))
                .extracting(exception -> ((DollyException) exception).errorCode()).isEqualTo(ErrorCode.NOT_FOUND);
        tokens.delete(alice, String.valueOf(created.id()));
        assertThat(tokens.authenticate(created.token())).isEmpty();
        assertThat(tokens.list(alice)).extracting(AccessToken::id).containsExactly(expiring.id());
    }

    @Test
    void signingOutRevokesTheTokenUsedButNotTheLocalAdministrators()
    {
        String session = signedInSession();
        String other = signedInSession();
        tokens.signOut(tokens.authenticate(session).orElseThrow());
        assertThat(tokens.authenticate(session)).isEmpty();
        assertThat(tokens.authenticate(other)).isPresent();

        String administrator = read(directory.resolve("admin-token"));
        assertThatThrownBy(() -> tokens.signOut(tokens.authenticate(administrator).orElseThrow()))
                .hasMessageContaining("cannot be signed out")
                .extracting(exception -> ((DollyException) exception).errorCode()).isEqualTo(ErrorCode.BAD_INPUT);
        assertThat(tokens.authenticate(administrator)).isPresent();
    }

    @Test
    void tokensArePurposeful()
    {
        Caller alice = signedIn();
        assertThatThrownBy(() -> tokens.create(alice, new CreateAccessTokenRequest(" ", null))).hasMessageContaining("--purpose");
        assertThatThrownBy(() -> tokens.create(alice, new CreateAccessTokenRequest("ci", "soon"))).hasMessageContaining("--expires 'soon'");
    }

    @Test
    void noTokenOrPasswordIsStoredInPlainText()
            throws Exception
    {
        SessionToken session = tokens.signIn(new SignInRequest("alice", PASSWORD), "10.0.0.1");
        NewAccessToken created = tokens.create(signedIn(), new CreateAccessTokenRequest("ci", null));

        for (String secret : List.of(session.token(), created.token(), PASSWORD)) {
            try (Stream<Path> files = Files.list(directory)) {
                for (Path file : files.filter(path -> !path.getFileName().toString().equals("admin-token")).toList()) {
                    assertThat(new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1)).as(file.toString()).doesNotContain(secret);
                }
            }
        }
    }

    @Test
    void deletingAUserEndsTheirSessionsAndTokens()
    {
        Caller alice = signedIn();
        NewAccessToken created = tokens.create(alice, new CreateAccessTokenRequest("ci", null));
        users.delete(admin, "alice");
        assertThat(tokens.authenticate(created.token())).isEmpty();
        assertThat(users.listTeams(admin).getFirst().members()).isEmpty();
    }

    @Test
    void aDaemonThatDoesNotRunAsRootCreatesNoUsers()
    {
        UserService alone = new UserService(catalog.users(), clock, new PasswordHashing(), false);

        assertThatThrownBy(() -> alone.create(admin, new CreateUserRequest("bob", "a long password for bob", false)))
                .isInstanceOfSatisfying(DollyException.class, exception -> assertThat(exception.errorCode()).isEqualTo(ErrorCode.NOT_PERMITTED))
                .hasMessage("This daemon does not run as root, so every database server runs as the daemon's own account and can read its files, "
                        + "the administrator's token (DOLLY_HOME/admin-token) included: another user's containers could read everyone's data and act "
                        + "as the administrator. Teams need a daemon running as root; this one serves its local administrator only.");
        assertThatThrownBy(() -> alone.create(admin, new CreateUserRequest("carol", "a long password for carol", true)))
                .isInstanceOfSatisfying(DollyException.class, exception -> assertThat(exception.errorCode()).isEqualTo(ErrorCode.NOT_PERMITTED));
        assertThat(alone.list(admin)).extracting(user -> user.name()).containsExactlyInAnyOrder("admin", "alice");
        // a non-administrator hears first that the command is for administrators
        assertThatThrownBy(() -> alone.create(signedIn(), new CreateUserRequest("bob", "a long password for bob", false)))
                .hasMessage("Only administrators may create users.");
    }

    @Test
    void onlyAdministratorsManageUsersAndTeams()
    {
        Caller alice = signedIn();
        assertThatThrownBy(() -> users.create(alice, new CreateUserRequest("bob", "another long password", false)))
                .extracting(exception -> ((DollyException) exception).errorCode()).isEqualTo(ErrorCode.NOT_PERMITTED);
        assertThatThrownBy(() -> users.list(alice)).extracting(exception -> ((DollyException) exception).errorCode()).isEqualTo(ErrorCode.NOT_PERMITTED);
        assertThatThrownBy(() -> users.createTeam(alice, new CreateTeamRequest("myorg:dbas")))
                .extracting(exception -> ((DollyException) exception).errorCode()).isEqualTo(ErrorCode.NOT_PERMITTED);
    }

    @Test
    void refusesWeakPasswordsAndDuplicateNames()
    {
        assertThatThrownBy(() -> users.create(admin, new CreateUserRequest("bob", "short", false)))
                .hasMessageContaining("at least 12 characters")
                .extracting(exception -> ((DollyException) exception).errorCode()).isEqualTo(ErrorCode.BAD_INPUT);
        assertThatThrownBy(() -> users.create(admin, new CreateUserRequest("bob", "aaaaaaaaaaaaaaaa", false))).hasMessageContaining("too weak");
        assertThatThrownBy(() -> users.create(admin, new CreateUserRequest("alice", "yet another long password", false)))
                .extracting(exception -> ((DollyException) exception).errorCode()).isEqualTo(ErrorCode.ALREADY_EXISTS);
        assertThatThrownBy(() -> users.delete(admin, "admin")).hasMessageContaining("cannot be deleted");
        assertThatThrownBy(() -> users.updateTeam(admin, "myorg:developers", new UpdateTeamRequest(List.of("nobody"), List.of())))
                .hasMessageContaining("No user named 'nobody'");
    }

    private Caller signedIn()
    {
        return tokens.authenticate(tokens.signIn(new SignInRequest("alice", PASSWORD), "10.0.0.1").token()).orElseThrow().caller();
    }

    @Test
    void onlyTheTokenOfTheAdminTokenFileIsTheLocalAdministrator()
    {
        String administrator = read(directory.resolve("admin-token"));
        String other = tokens.create(admin, new CreateAccessTokenRequest("a pipeline", null)).token();

        assertThat(tokens.authenticate(other).orElseThrow().caller().admin()).isTrue();
        assertThat(tokens.authenticate(administrator).orElseThrow().isLocalAdministrator()).isTrue();
        assertThat(tokens.authenticate(other).orElseThrow().isLocalAdministrator()).isFalse();
        assertThat(tokens.authenticate(signedInSession()).orElseThrow().isLocalAdministrator()).isFalse();
        assertThat(tokens.authenticate(null)).isEmpty();
        assertThat(tokens.authenticate("")).isEmpty();

        // a daemon that starts again with the same file knows it again
        AccessTokens again = new AccessTokens(catalog.users(), clock, Duration.ofHours(12), new PasswordHashing());
        again.ensureAdminToken(directory.resolve("admin-token"));
        assertThat(read(directory.resolve("admin-token"))).isEqualTo(administrator);
        assertThat(again.authenticate(administrator).orElseThrow().isLocalAdministrator()).isTrue();

        // a new file: the token of the old one is not the local administrator's any more, nor valid
        deleteFile(directory.resolve("admin-token"));
        again.ensureAdminToken(directory.resolve("admin-token"));
        assertThat(again.authenticate(administrator)).isEmpty();
        assertThat(again.authenticate(read(directory.resolve("admin-token"))).orElseThrow().isLocalAdministrator()).isTrue();
    }

    private String signedInSession()
    {
        return tokens.signIn(new SignInRequest("alice", PASSWORD), "10.0.0.1").token();
    }

    private static void deleteFile(Path file)
    {
        try {
            Files.delete(file);
        }
        catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static String read(Path file)
    {
        try {
            return Files.readString(file).strip();
        }
        catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
