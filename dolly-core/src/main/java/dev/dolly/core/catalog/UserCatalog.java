package dev.dolly.core.catalog;

import org.jdbi.v3.core.Jdbi;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

import static java.util.Objects.requireNonNull;

/** Users, teams and their members, and the tokens users authenticate with (access tokens, sessions, the local administrator's). */
public final class UserCatalog
{
    /** How exactly a token's last use is recorded. */
    static final Duration LAST_USE_PRECISION = Duration.ofMinutes(1);
    /** Users with their teams, and teams with their members, in one query each, like images. */
    private static final String SELECT_USERS = """
            SELECT users.*, (SELECT group_concat(team, char(10)) FROM team_members WHERE team_members.user_name = users.name) AS teams FROM users
            """;
    private static final String SELECT_TEAMS = """
            SELECT teams.*, (SELECT group_concat(user_name, char(10)) FROM team_members WHERE team_members.team = teams.name) AS members FROM teams
            """;

    private final Jdbi jdbi;

    UserCatalog(Jdbi jdbi)
    {
        this.jdbi = requireNonNull(jdbi, "jdbi is null");
    }

    // ----- users

    public long insertUser(String name, String passwordHash, boolean admin, Instant createdAt)
    {
        return jdbi.withHandle(handle -> handle.createUpdate("""
                        INSERT INTO users (name, password_hash, admin, created_at) VALUES (:name, :passwordHash, :admin, :createdAt)
                        """)
                .bind("name", name)
                .bind("passwordHash", passwordHash)
                .bind("admin", admin)
                .bind("createdAt", createdAt)
                .executeAndReturnGeneratedKeys("id")
                .mapTo(Long.class)
                .one());
    }

    /** Creates an administrator without a password, unless a user of that name exists. */
    public void ensureAdministrator(String name, Instant createdAt)
    {
        jdbi.useHandle(handle -> handle.createUpdate("""
                        INSERT INTO users (name, password_hash, admin, created_at) VALUES (:name, NULL, 1, :createdAt)
                        ON CONFLICT (name) DO UPDATE SET admin = 1
                        """)
                .bind("name", name)
                .bind("createdAt", createdAt)
                .execute());
    }

    /** A user with their teams. */
    public Optional<UserRecord> findUser(String name)
    {
        return jdbi.withHandle(handle -> handle.createQuery(SELECT_USERS + " WHERE name = :name")
                .bind("name", name)
                .mapTo(UserRecord.class)
                .findOne());
    }

    /** Every user with their teams, by name. */
    public List<UserRecord> listUsers()
    {
        return jdbi.withHandle(handle -> handle.createQuery(SELECT_USERS + " ORDER BY name")
                .mapTo(UserRecord.class)
                .list());
    }

    /** Deletes a user with their tokens, sessions and team memberships. Their images and containers stay. */
    public void deleteUser(String name)
    {
        jdbi.useTransaction(handle -> {
            handle.createUpdate("DELETE FROM access_tokens WHERE user_name = :name").bind("name", name).execute();
            handle.createUpdate("DELETE FROM users WHERE name = :name").bind("name", name).execute();
        });
    }

    // ----- teams

    public void insertTeam(String name, Instant createdAt)
    {
        jdbi.useHandle(handle -> handle.createUpdate("INSERT INTO teams (name, created_at) VALUES (:name, :createdAt)")
                .bind("name", name)
                .bind("createdAt", createdAt)
                .execute());
    }

    /** A team with its members. */
    public Optional<TeamRecord> findTeam(String name)
    {
        return jdbi.withHandle(handle -> handle.createQuery(SELECT_TEAMS + " WHERE name = :name")
                .bind("name", name)
                .mapTo(TeamRecord.class)
                .findOne());
    }

    /** Every team with its members, by name. */
    public List<TeamRecord> listTeams()
    {
        return jdbi.withHandle(handle -> handle.createQuery(SELECT_TEAMS + " ORDER BY name")
                .mapTo(TeamRecord.class)
                .list());
    }

    /** Adds and removes members of a team in one transaction. */
    public void updateTeamMembers(String team, List<String> add, List<String> remove)
    {
        requireNonNull(add, "add is null");
        requireNonNull(remove, "remove is null");
        jdbi.useTransaction(handle -> {
            for (String user : add) {
                handle.createUpdate("INSERT OR IGNORE INTO team_members (team, user_name) VALUES (:team, :user)")
                        .bind("team", team)
                        .bind("user", user)
                        .execute();
            }
            for (String user : remove) {
                handle.createUpdate("DELETE FROM team_members WHERE team = :team AND user_name = :user")
                        .bind("team", team)
                        .bind("user", user)
                        .execute();
            }
        });
    }

    // ----- access tokens and sessions

    /** Stores a token's hash; answers its ID. */
    public long insertAccessToken(String tokenHash, String userName, String kind, String purpose, Instant createdAt, Instant expiresAt)
    {
        return jdbi.withHandle(handle -> handle.createUpdate("""
                        INSERT INTO access_tokens (token_hash, user_name, kind, purpose, created_at, expires_at)
                        VALUES (:tokenHash, :userName, :kind, :purpose, :createdAt, :expiresAt)
                        """)
                .bind("tokenHash", tokenHash)
                .bind("userName", userName)
                .bind("kind", kind)
                .bind("purpose", purpose)
                .bind("createdAt", createdAt)
                .bind("expiresAt", expiresAt)
                .executeAndReturnGeneratedKeys("id")
                .mapTo(Long.class)
                .one());
    }

    public void deleteAccessTokensOfKind(String kind)
    {
        jdbi.useHandle(handle -> handle.createUpdate("DELETE FROM access_tokens WHERE kind = :kind").bind("kind", kind).execute());
    }

    /**
     * A valid token with that hash, marking it used. Its last use is written at most once a minute
     * ({@link #LAST_USE_PRECISION}): every API request checks its token, and a write per request would make each one
     * wait for SQLite's write lock.
     */
    public Optional<TokenRecord> useAccessToken(String tokenHash, Instant now)
    {
        requireNonNull(now, "now is null");
        Optional<TokenRecord> token = jdbi.withHandle(handle -> handle.createQuery("""
                        SELECT * FROM access_tokens WHERE token_hash = :tokenHash AND (expires_at IS NULL OR expires_at > :now)
                        """)
                .bind("tokenHash", tokenHash)
                .bind("now", now)
                .mapTo(TokenRecord.class)
                .findOne());
        Instant stale = now.minus(LAST_USE_PRECISION);
        if (token.isPresent() && (token.get().lastUsedAt() == null || !token.get().lastUsedAt().isAfter(stale))) {
            // conditional: of requests at once with the same token, one writes
            jdbi.useHandle(handle -> handle.createUpdate("""
                            UPDATE access_tokens SET last_used_at = :now WHERE token_hash = :tokenHash AND (last_used_at IS NULL OR last_used_at <= :stale)""")
                    .bind("now", now)
                    .bind("stale", stale)
                    .bind("tokenHash", tokenHash)
                    .execute());
        }
        return token;
    }

    /** A user's tokens of one kind, oldest first. */
    public List<TokenRecord> listAccessTokens(String userName, String kind)
    {
        return jdbi.withHandle(handle -> handle.createQuery("SELECT * FROM access_tokens WHERE user_name = :userName AND kind = :kind ORDER BY id")
                .bind("userName", userName)
                .bind("kind", kind)
                .mapTo(TokenRecord.class)
                .list());
    }

    /** Deletes a user's token of one kind by ID; whether there was one. */
    public boolean deleteAccessToken(long id, String userName, String kind)
    {
        return jdbi.withHandle(handle -> handle.createUpdate("DELETE FROM access_tokens WHERE id = :id AND user_name = :userName AND kind = :kind")
                .bind("id", id)
                .bind("userName", userName)
                .bind("kind", kind)
                .execute()) > 0;
    }

    /** Removes tokens and sessions that expired: they can never be used again. */
    public void deleteExpiredAccessTokens(Instant now)
    {
        requireNonNull(now, "now is null");
        jdbi.useHandle(handle -> handle.createUpdate("DELETE FROM access_tokens WHERE expires_at IS NOT NULL AND expires_at <= :now")
                .bind("now", now)
                .execute());
    }
}
