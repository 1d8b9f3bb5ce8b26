package dev.dolly.core.catalog;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

class UserCatalogTest
{
    @TempDir
    Path directory;

    private UserCatalog catalog;

    @BeforeEach
    void setUp()
    {
        catalog = Catalog.open(directory.resolve("catalog.db")).users();
    }

    @Test
    void acceptsOnlyValidUnexpiredTokens()
    {
        Instant now = Instant.parse("2026-11-21T10:00:00.5Z");
        long id = catalog.insertAccessToken("hash-1", "alice", TokenRecord.ACCESS_TOKEN, "test", now, null);
        catalog.insertAccessToken("hash-3", "alice", TokenRecord.SESSION, "session", now, now.plusSeconds(60));
        assertThat(catalog.useAccessToken("hash-1", now.plusSeconds(1))).contains(new TokenRecord(id, "alice", TokenRecord.ACCESS_TOKEN, "test", now, null, null));
        // the record read is the one before this use
        assertThat(catalog.useAccessToken("hash-1", now.plusSeconds(2)).orElseThrow().lastUsedAt()).isEqualTo(now.plusSeconds(1));
        assertThat(catalog.useAccessToken("hash-2", now)).isEmpty();
        assertThat(catalog.useAccessToken("hash-3", now.plusSeconds(59))).map(TokenRecord::expiresAt).contains(now.plusSeconds(60));
        assertThat(catalog.useAccessToken("hash-3", now.plusSeconds(60))).isEmpty();
        assertThat(catalog.listAccessTokens("alice", TokenRecord.ACCESS_TOKEN)).extracting(TokenRecord::purpose).containsExactly("test");
    }

    @Test
    void recordsATokensLastUseAtMostOnceAMinute()
    {
        Instant now = Instant.parse("2026-11-21T10:00:00Z");
        catalog.insertAccessToken("hash-1", "alice", TokenRecord.ACCESS_TOKEN, "test", now, null);
        catalog.useAccessToken("hash-1", now);
        catalog.useAccessToken("hash-1", now.plusSeconds(59));
        assertThat(catalog.useAccessToken("hash-1", now.plusSeconds(60)).orElseThrow().lastUsedAt()).isEqualTo(now);
        assertThat(catalog.listAccessTokens("alice", TokenRecord.ACCESS_TOKEN).getFirst().lastUsedAt()).isEqualTo(now.plusSeconds(60));
    }

    @Test
    void deletesTokensByOwnerKindAndExpiry()
    {
        Instant now = Instant.parse("2026-11-21T10:00:00Z");
        long alices = catalog.insertAccessToken("hash-alice", "alice", TokenRecord.ACCESS_TOKEN, "ci", now, null);
        long session = catalog.insertAccessToken("hash-session", "alice", TokenRecord.SESSION, "session", now, now.plusSeconds(60));
        catalog.insertAccessToken("hash-admin", "admin", TokenRecord.LOCAL_ADMIN, "local administrator", now, null);

        // only the owner's token of that kind
        assertThat(catalog.deleteAccessToken(alices, "bob", TokenRecord.ACCESS_TOKEN)).isFalse();
        assertThat(catalog.deleteAccessToken(session, "alice", TokenRecord.ACCESS_TOKEN)).isFalse();
        assertThat(catalog.deleteAccessToken(alices, "alice", TokenRecord.ACCESS_TOKEN)).isTrue();
        assertThat(catalog.useAccessToken("hash-alice", now)).isEmpty();

        catalog.deleteExpiredAccessTokens(now.plusSeconds(59));
        assertThat(catalog.listAccessTokens("alice", TokenRecord.SESSION)).extracting(TokenRecord::id).containsExactly(session);
        catalog.deleteExpiredAccessTokens(now.plusSeconds(60));
        assertThat(catalog.listAccessTokens("alice", TokenRecord.SESSION)).isEmpty();

        assertThat(catalog.useAccessToken("hash-admin", now)).isPresent();
        catalog.deleteAccessTokensOfKind(TokenRecord.LOCAL_ADMIN);
        assertThat(catalog.useAccessToken("hash-admin", now)).isEmpty();
    }

    @Test
    void hasTheLocalAdministratorAndKeepsUsersTeamsAndMembers()
    {
        assertThat(catalog.findUser("admin")).map(UserRecord::admin).contains(true);
        Instant now = Instant.parse("2026-11-21T10:00:00Z");
        long alice = catalog.insertUser("alice", "hash", false, now);
        catalog.insertUser("bob", "hash", false, now);
        catalog.insertTeam("myorg:developers", now);
        catalog.updateTeamMembers("myorg:developers", List.of("alice", "bob"), List.of());
        catalog.updateTeamMembers("myorg:developers", List.of(), List.of("bob"));
        catalog.insertAccessToken("hash-alice", "alice", TokenRecord.ACCESS_TOKEN, "ci", now, null);
        catalog.insertTeam("myorg:analysts", now);
        catalog.updateTeamMembers("myorg:analysts", List.of("alice"), List.of());
        assertThat(catalog.findUser("alice")).contains(new UserRecord(alice, "alice", "hash", false, List.of("myorg:analysts", "myorg:developers"), now));
        assertThat(catalog.findUser("bob").orElseThrow().teams()).isEmpty();
        assertThat(catalog.listUsers()).extracting(UserRecord::name, UserRecord::teams).containsExactly(
                tuple("admin", List.of()), tuple("alice", List.of("myorg:analysts", "myorg:developers")), tuple("bob", List.of()));
        assertThat(catalog.findTeam("myorg:developers")).contains(new TeamRecord("myorg:developers", List.of("alice"), now));
        assertThat(catalog.listTeams()).extracting(TeamRecord::name, TeamRecord::members).containsExactly(
                tuple("myorg:analysts", List.of("alice")), tuple("myorg:developers", List.of("alice")));
        assertThat(catalog.findTeam("myorg:nobody")).isEmpty();

        catalog.deleteUser("alice");
        assertThat(catalog.findUser("alice")).isEmpty();
        assertThat(catalog.findTeam("myorg:developers").orElseThrow().members()).isEmpty();
        assertThat(catalog.useAccessToken("hash-alice", now)).isEmpty();
    }

    @Test
    void ensuresTheAdministratorWithoutChangingAnExistingUsersPassword()
    {
        Instant now = Instant.parse("2026-11-21T10:00:00Z");
        catalog.insertUser("carol", "hash", false, now);
        catalog.ensureAdministrator("carol", now.plusSeconds(1));
        catalog.ensureAdministrator("dave", now.plusSeconds(2));

        assertThat(catalog.findUser("carol").orElseThrow()).extracting(UserRecord::admin, UserRecord::passwordHash, UserRecord::createdAt)
                .containsExactly(true, "hash", now);
        assertThat(catalog.findUser("dave").orElseThrow()).extracting(UserRecord::admin, UserRecord::passwordHash, UserRecord::createdAt)
                .containsExactly(true, null, now.plusSeconds(2));
    }
}
