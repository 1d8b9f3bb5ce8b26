package dev.dolly.core.catalog;

import dev.dolly.api.ImageOrigin;
import dev.dolly.api.ResourceStatus;
import org.flywaydb.core.Flyway;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.StatementContext;
import org.sqlite.SQLiteConfig;
import org.sqlite.SQLiteDataSource;

import java.nio.file.Path;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Optional;

import static java.util.Objects.requireNonNull;

/**
 * Everything the daemon knows, in one SQLite file ({@code DOLLY_HOME/catalog.db}). The schema is versioned with
 * Flyway migrations in {@code db/migration}.
 */
public final class Catalog
{
    /**
     * Images with the tags they hold and their teams in one query: tags and team names hold no line break, so the
     * subqueries join them with one.
     */
    private static final String SELECT_IMAGES = """
            SELECT images.*,
                (SELECT group_concat(tag, char(10)) FROM image_tags WHERE image_tags.image_id = images.id AND image_tags.held = 1) AS tags,
                (SELECT group_concat(team, char(10)) FROM image_teams WHERE image_teams.image_id = images.id) AS teams
            FROM images
            """;

    /** Users with their teams, and teams with their members, in one query each, like images. */
    private static final String SELECT_USERS = """
            SELECT users.*, (SELECT group_concat(team, char(10)) FROM team_members WHERE team_members.user_name = users.name) AS teams FROM users
            """;
    private static final String SELECT_TEAMS = """
            SELECT teams.*, (SELECT group_concat(user_name, char(10)) FROM team_members WHERE team_members.team = teams.name) AS members FROM teams
            """;

    private final Jdbi jdbi;

    private Catalog(Jdbi jdbi)
    {
        this.jdbi = jdbi;
    }

    /** Opens the catalog file, creating it or bringing its schema up to date. */
    public static Catalog open(Path file)
    {
        requireNonNull(file, "file is null");
        SQLiteConfig config = new SQLiteConfig();
        config.enforceForeignKeys(true);
        config.setJournalMode(SQLiteConfig.JournalMode.WAL);
        config.setSynchronous(SQLiteConfig.SynchronousMode.NORMAL);
        config.setBusyTimeout(10_000);
        // Take the write lock when a transaction begins, so that concurrent writers wait instead of failing.
        config.setTransactionMode(SQLiteConfig.TransactionMode.IMMEDIATE);
        SQLiteDataSource dataSource = new SQLiteDataSource(config);
        dataSource.setUrl("jdbc:sqlite:" + file);
        Flyway.configure()
                .dataSource(dataSource)
                .locations("classpath:db/migration")
                .load()
                .migrate();
        return new Catalog(Jdbi.create(dataSource));
    }

    // ----- images

    public long insertImage(ImageRecord image)
    {
        return jdbi.inTransaction(handle -> {
            long id = handle.createUpdate("""
                            INSERT INTO images (name, status, status_message, progress, engine, requested_version, engine_version,
                                source_type, database_name, superuser_password, volume, size_bytes, owner, definition, source_directory,
                                created_at, ready_at, expires_at, origin_container, origin_revision, origin_image)
                            VALUES (:name, :status, :statusMessage, :progress, :engine, :requestedVersion, :engineVersion,
                                :sourceType, :databaseName, :superuserPassword, :volume, :sizeBytes, :owner, :definition, :sourceDirectory,
                                :createdAt, :readyAt, :expiresAt, :originContainer, :originRevision, :originImage)
                            """)
                    .bind("name", image.name())
                    .bind("status", image.status().name())
                    .bind("statusMessage", image.statusMessage())
                    .bind("progress", image.progress())
                    .bind("engine", image.engine())
                    .bind("requestedVersion", image.requestedVersion())
                    .bind("engineVersion", image.engineVersion())
                    .bind("sourceType", image.sourceType())
                    .bind("databaseName", image.databaseName())
                    .bind("superuserPassword", image.superuserPassword())
                    .bind("volume", image.volume())
                    .bind("sizeBytes", image.sizeBytes())
                    .bind("owner", image.owner())
                    .bind("definition", image.definition())
                    .bind("sourceDirectory", image.sourceDirectory())
                    .bind("createdAt", text(image.createdAt()))
                    .bind("readyAt", text(image.readyAt()))
                    .bind("expiresAt", text(image.expiresAt()))
                    .bind("originContainer", image.origin() == null ? null : image.origin().container())
                    .bind("originRevision", image.origin() == null ? null : image.origin().revision())
                    .bind("originImage", image.origin() == null ? null : image.origin().image())
                    .executeAndReturnGeneratedKeys("id")
                    .mapTo(Long.class)
                    .one();
            // an image holds its tags once it is READY (a graduated image at once, a build when it is done)
            for (String tag : image.tags()) {
                handle.createUpdate("INSERT OR IGNORE INTO image_tags (image_id, tag, held) VALUES (:id, :tag, 0)").bind("id", id).bind("tag", tag).execute();
            }
            addTeams(handle, id, image.teams());
            if (image.status() == ResourceStatus.READY) {
                takeOverTags(handle, id);
            }
            return id;
        });
    }

    /** Assigns the volume once the ID is known. */
    public void setImageVolume(long id, String volume)
    {
        jdbi.useHandle(handle -> handle.createUpdate("UPDATE images SET volume = :volume WHERE id = :id")
                .bind("volume", volume)
                .bind("id", id)
                .execute());
    }

    public void updateImageProgress(long id, String progress)
    {
        jdbi.useHandle(handle -> handle.createUpdate("UPDATE images SET progress = :progress WHERE id = :id")
                .bind("progress", progress)
                .bind("id", id)
                .execute());
    }

    public void updateImageEngineVersion(long id, String engineVersion)
    {
        jdbi.useHandle(handle -> handle.createUpdate("UPDATE images SET engine_version = :engineVersion WHERE id = :id")
                .bind("engineVersion", engineVersion)
                .bind("id", id)
                .execute());
    }

    /**
     * Marks the image READY; in the same transaction it takes over its tags from the older images of its name. A
     * tag a newer image of its name holds already stays there: of two builds, the newer one wins.
     */
    public void markImageReady(long id, String databaseName, Long sizeBytes, Instant readyAt)
    {
        jdbi.useTransaction(handle -> {
            handle.createUpdate("""
                            UPDATE images SET status = 'READY', status_message = NULL, progress = NULL, database_name = :databaseName,
                                size_bytes = :sizeBytes, ready_at = :readyAt
                            WHERE id = :id
                            """)
                    .bind("databaseName", databaseName)
                    .bind("sizeBytes", sizeBytes)
                    .bind("readyAt", text(readyAt))
                    .bind("id", id)
                    .execute();
            handle.createUpdate("""
                            DELETE FROM image_tags WHERE image_id = :id AND held = 0 AND tag IN (
                                SELECT newer.tag FROM image_tags AS newer JOIN images ON images.id = newer.image_id
                                WHERE newer.held = 1 AND newer.image_id > :id AND images.name = (SELECT name FROM images WHERE id = :id))
                            """)
                    .bind("id", id)
                    .execute();
            takeOverTags(handle, id);
        });
    }

    /**
     * Changes an image's name, tags, teams and expiry in one transaction. A renamed image keeps only the tags no
     * image of its new name holds; tags added here are taken over from the other images of its name when it is
     * READY, and wait until it is otherwise.
     */
    public void updateImage(long id, ImageChanges changes)
    {
        requireNonNull(changes, "changes is null");
        jdbi.useTransaction(handle -> {
            if (changes.name() != null) {
                handle.createUpdate("""
                                DELETE FROM image_tags WHERE image_id = :id AND tag IN (
                                    SELECT other.tag FROM image_tags AS other JOIN images ON images.id = other.image_id
                                    WHERE other.held = 1 AND other.image_id <> :id AND images.name = :name)
                                """)
                        .bind("id", id)
                        .bind("name", changes.name())
                        .execute();
                handle.createUpdate("UPDATE images SET name = :name WHERE id = :id").bind("name", changes.name()).bind("id", id).execute();
            }
            for (String tag : changes.removedTags()) {
                handle.createUpdate("DELETE FROM image_tags WHERE image_id = :id AND tag = :tag").bind("id", id).bind("tag", tag).execute();
            }
            for (String tag : changes.addedTags()) {
                handle.createUpdate("INSERT OR IGNORE INTO image_tags (image_id, tag, held) VALUES (:id, :tag, 0)").bind("id", id).bind("tag", tag).execute();
            }
            for (String team : changes.removedTeams()) {
                handle.createUpdate("DELETE FROM image_teams WHERE image_id = :id AND team = :team").bind("id", id).bind("team", team).execute();
            }
            addTeams(handle, id, changes.addedTeams());
            if (changes.expiryChanged()) {
                handle.createUpdate("UPDATE images SET expires_at = :expiresAt WHERE id = :id").bind("expiresAt", text(changes.expiresAt())).bind("id", id).execute();
            }
            String status = handle.createQuery("SELECT status FROM images WHERE id = :id").bind("id", id).mapTo(String.class).one();
            if (status.equals(ResourceStatus.READY.name())) {
                takeOverTags(handle, id);
            }
        });
    }

    /** The tags an image asked for and will take when it becomes READY. */
    public List<String> pendingTags(long id)
    {
        return jdbi.withHandle(handle -> handle.createQuery("SELECT tag FROM image_tags WHERE image_id = :id AND held = 0 ORDER BY tag")
                .bind("id", id)
                .mapTo(String.class)
                .list());
    }

    public void setImageStatus(long id, ResourceStatus status, String statusMessage)
    {
        jdbi.useHandle(handle -> handle.createUpdate("UPDATE images SET status = :status, status_message = :statusMessage, progress = NULL WHERE id = :id")
                .bind("status", status.name())
                .bind("statusMessage", statusMessage)
                .bind("id", id)
                .execute());
    }

    public void deleteImage(long id)
    {
        jdbi.useHandle(handle -> handle.createUpdate("DELETE FROM images WHERE id = :id").bind("id", id).execute());
    }

    public Optional<ImageRecord> findImage(long id)
    {
        return jdbi.withHandle(handle -> handle.createQuery(SELECT_IMAGES + " WHERE images.id = :id")
                .bind("id", id)
                .map(Catalog::image)
                .findOne());
    }

    /** Images of that name, newest first. */
    public List<ImageRecord> findImagesByName(String name)
    {
        return jdbi.withHandle(handle -> handle.createQuery(SELECT_IMAGES + " WHERE images.name = :name ORDER BY images.id DESC")
                .bind("name", name)
                .map(Catalog::image)
                .list());
    }

    public Optional<ImageRecord> findImageByTag(String name, String tag)
    {
        return jdbi.withHandle(handle -> handle.createQuery(SELECT_IMAGES + """
                        WHERE images.name = :name AND EXISTS (
                            SELECT 1 FROM image_tags WHERE image_tags.image_id = images.id AND image_tags.tag = :tag AND image_tags.held = 1)
                        ORDER BY images.id DESC LIMIT 1
                        """)
                .bind("name", name)
                .bind("tag", tag)
                .map(Catalog::image)
                .findOne());
    }

    public List<ImageRecord> listImages()
    {
        return jdbi.withHandle(handle -> handle.createQuery(SELECT_IMAGES + " ORDER BY images.id")
                .map(Catalog::image)
                .list());
    }

    // ----- containers

    public long insertContainer(ContainerRecord container)
    {
        return jdbi.withHandle(handle -> handle.createUpdate("""
                        INSERT INTO containers (name, image_id, status, status_message, engine, engine_version, host, port, user_name,
                            password, database_name, volume, revision, owner, created_at, expires_at)
                        VALUES (:name, :imageId, :status, :statusMessage, :engine, :engineVersion, :host, :port, :userName,
                            :password, :databaseName, :volume, :revision, :owner, :createdAt, :expiresAt)
                        """)
                .bind("name", container.name())
                .bind("imageId", container.imageId())
                .bind("status", container.status().name())
                .bind("statusMessage", container.statusMessage())
                .bind("engine", container.engine())
                .bind("engineVersion", container.engineVersion())
                .bind("host", container.host())
                .bind("port", container.port())
                .bind("userName", container.userName())
                .bind("password", container.password())
                .bind("databaseName", container.databaseName())
                .bind("volume", container.volume())
                .bind("revision", container.revision())
                .bind("owner", container.owner())
                .bind("createdAt", text(container.createdAt()))
                .bind("expiresAt", text(container.expiresAt()))
                .executeAndReturnGeneratedKeys("id")
                .mapTo(Long.class)
                .one());
    }

    public void setContainerVolume(long id, String volume)
    {
        jdbi.useHandle(handle -> handle.createUpdate("UPDATE containers SET volume = :volume WHERE id = :id")
                .bind("volume", volume)
                .bind("id", id)
                .execute());
    }

    /** Renames a container; the caller checks that the name is free. */
    public void renameContainer(long id, String name)
    {
        jdbi.useHandle(handle -> handle.createUpdate("UPDATE containers SET name = :name WHERE id = :id")
                .bind("name", name)
                .bind("id", id)
                .execute());
    }

    /** @param expiresAt {@code null} for never */
    public void setContainerExpiry(long id, Instant expiresAt)
    {
        jdbi.useHandle(handle -> handle.createUpdate("UPDATE containers SET expires_at = :expiresAt WHERE id = :id")
                .bind("expiresAt", text(expiresAt))
                .bind("id", id)
                .execute());
    }

    public void setContainerStatus(long id, ResourceStatus status, String statusMessage)
    {
        jdbi.useHandle(handle -> handle.createUpdate("UPDATE containers SET status = :status, status_message = :statusMessage WHERE id = :id")
                .bind("status", status.name())
                .bind("statusMessage", statusMessage)
                .bind("id", id)
                .execute());
    }

    public void deleteContainer(long id)
    {
        jdbi.useHandle(handle -> handle.createUpdate("DELETE FROM containers WHERE id = :id").bind("id", id).execute());
    }

    public Optional<ContainerRecord> findContainer(long id)
    {
        return jdbi.withHandle(handle -> handle.createQuery("SELECT * FROM containers WHERE id = :id")
                .bind("id", id)
                .map(Catalog::container)
                .findOne());
    }

    public Optional<ContainerRecord> findContainerByName(String name)
    {
        return jdbi.withHandle(handle -> handle.createQuery("SELECT * FROM containers WHERE name = :name")
                .bind("name", name)
                .map(Catalog::container)
                .findOne());
    }

    public List<ContainerRecord> listContainers()
    {
        return jdbi.withHandle(handle -> handle.createQuery("SELECT * FROM containers ORDER BY id")
                .map(Catalog::container)
                .list());
    }

    public List<ContainerRecord> listContainersOfImage(long imageId)
    {
        return jdbi.withHandle(handle -> handle.createQuery("SELECT * FROM containers WHERE image_id = :imageId ORDER BY id")
                .bind("imageId", imageId)
                .map(Catalog::container)
                .list());
    }

    /** Records the revision a container is on now, such as {@code rev.2}. */
    public void setContainerRevision(long id, String revision)
    {
        jdbi.useHandle(handle -> handle.createUpdate("UPDATE containers SET revision = :revision WHERE id = :id")
                .bind("revision", revision)
                .bind("id", id)
                .execute());
    }

    // ----- revisions

    /** The next revision number of a container: one more than the last one it gave out, even if that was deleted. */
    public int nextRevisionNumber(long containerId)
    {
        return jdbi.inTransaction(handle -> {
            handle.createUpdate("UPDATE containers SET last_revision = last_revision + 1 WHERE id = :id").bind("id", containerId).execute();
            return handle.createQuery("SELECT last_revision FROM containers WHERE id = :id").bind("id", containerId).mapTo(Integer.class).one();
        });
    }

    public void insertRevision(RevisionRecord revision)
    {
        jdbi.useHandle(handle -> handle.createUpdate("""
                        INSERT INTO revisions (container_id, number, parent, volume, created_at, size_bytes)
                        VALUES (:containerId, :number, :parent, :volume, :createdAt, :sizeBytes)
                        """)
                .bind("containerId", revision.containerId())
                .bind("number", revision.number())
                .bind("parent", revision.parent())
                .bind("volume", revision.volume())
                .bind("createdAt", text(revision.createdAt()))
                .bind("sizeBytes", revision.sizeBytes())
                .execute());
    }

    public void setRevisionSize(long containerId, int number, long sizeBytes)
    {
        jdbi.useHandle(handle -> handle.createUpdate("UPDATE revisions SET size_bytes = :sizeBytes WHERE container_id = :containerId AND number = :number")
                .bind("sizeBytes", sizeBytes)
                .bind("containerId", containerId)
                .bind("number", number)
                .execute());
    }

    public Optional<RevisionRecord> findRevision(long containerId, int number)
    {
        return jdbi.withHandle(handle -> handle.createQuery("SELECT * FROM revisions WHERE container_id = :containerId AND number = :number")
                .bind("containerId", containerId)
                .bind("number", number)
                .map(Catalog::revision)
                .findOne());
    }

    /** A container's revisions, oldest first. */
    public List<RevisionRecord> listRevisions(long containerId)
    {
        return jdbi.withHandle(handle -> handle.createQuery("SELECT * FROM revisions WHERE container_id = :containerId ORDER BY number")
                .bind("containerId", containerId)
                .map(Catalog::revision)
                .list());
    }

    public List<RevisionRecord> listAllRevisions()
    {
        return jdbi.withHandle(handle -> handle.createQuery("SELECT * FROM revisions ORDER BY container_id, number")
                .map(Catalog::revision)
                .list());
    }

    public void deleteRevision(long containerId, int number)
    {
        jdbi.useHandle(handle -> handle.createUpdate("DELETE FROM revisions WHERE container_id = :containerId AND number = :number")
                .bind("containerId", containerId)
                .bind("number", number)
                .execute());
    }

    // ----- users and teams

    public long insertUser(String name, String passwordHash, boolean admin, Instant createdAt)
    {
        return jdbi.withHandle(handle -> handle.createUpdate("""
                        INSERT INTO users (name, password_hash, admin, created_at) VALUES (:name, :passwordHash, :admin, :createdAt)
                        """)
                .bind("name", name)
                .bind("passwordHash", passwordHash)
                .bind("admin", admin)
                .bind("createdAt", text(createdAt))
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
                .bind("createdAt", text(createdAt))
                .execute());
    }

    /** A user with their teams. */
    public Optional<UserRecord> findUser(String name)
    {
        return jdbi.withHandle(handle -> handle.createQuery(SELECT_USERS + " WHERE name = :name")
                .bind("name", name)
                .map(Catalog::user)
                .findOne());
    }

    public List<UserRecord> listUsers()
    {
        return jdbi.withHandle(handle -> handle.createQuery(SELECT_USERS + " ORDER BY name")
                .map(Catalog::user)
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

    public void insertTeam(String name, Instant createdAt)
    {
        jdbi.useHandle(handle -> handle.createUpdate("INSERT INTO teams (name, created_at) VALUES (:name, :createdAt)")
                .bind("name", name)
                .bind("createdAt", text(createdAt))
                .execute());
    }

    public Optional<TeamRecord> findTeam(String name)
    {
        return jdbi.withHandle(handle -> handle.createQuery(SELECT_TEAMS + " WHERE name = :name")
                .bind("name", name)
                .map(Catalog::team)
                .findOne());
    }

    public List<TeamRecord> listTeams()
    {
        return jdbi.withHandle(handle -> handle.createQuery(SELECT_TEAMS + " ORDER BY name")
                .map(Catalog::team)
                .list());
    }

    /** Adds and removes members of a team in one transaction. */
    public void updateTeamMembers(String team, List<String> add, List<String> remove)
    {
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
                .bind("createdAt", text(createdAt))
                .bind("expiresAt", text(expiresAt))
                .executeAndReturnGeneratedKeys("id")
                .mapTo(Long.class)
                .one());
    }

    public void deleteAccessTokensOfKind(String kind)
    {
        jdbi.useHandle(handle -> handle.createUpdate("DELETE FROM access_tokens WHERE kind = :kind").bind("kind", kind).execute());
    }

    /** A valid token with that hash, marking it used. */
    public Optional<TokenRecord> useAccessToken(String tokenHash, Instant now)
    {
        return jdbi.inTransaction(handle -> {
            Optional<TokenRecord> token = handle.createQuery("""
                            SELECT * FROM access_tokens WHERE token_hash = :tokenHash AND (expires_at IS NULL OR expires_at > :now)
                            """)
                    .bind("tokenHash", tokenHash)
                    .bind("now", text(now))
                    .map(Catalog::token)
                    .findOne();
            token.ifPresent(ignored -> handle.createUpdate("UPDATE access_tokens SET last_used_at = :now WHERE token_hash = :tokenHash")
                    .bind("now", text(now))
                    .bind("tokenHash", tokenHash)
                    .execute());
            return token;
        });
    }

    /** A user's tokens of one kind, oldest first. */
    public List<TokenRecord> listAccessTokens(String userName, String kind)
    {
        return jdbi.withHandle(handle -> handle.createQuery("SELECT * FROM access_tokens WHERE user_name = :userName AND kind = :kind ORDER BY id")
                .bind("userName", userName)
                .bind("kind", kind)
                .map(Catalog::token)
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
        jdbi.useHandle(handle -> handle.createUpdate("DELETE FROM access_tokens WHERE expires_at IS NOT NULL AND expires_at <= :now")
                .bind("now", text(now))
                .execute());
    }

    // ----- mapping

    private static void addTeams(Handle handle, long imageId, List<String> teams)
    {
        for (String team : teams) {
            handle.createUpdate("INSERT OR IGNORE INTO image_teams (image_id, team) VALUES (:id, :team)")
                    .bind("id", imageId)
                    .bind("team", team)
                    .execute();
        }
    }

    /** The image holds every tag it asked for; other images of its name that held one lose it. */
    private static void takeOverTags(Handle handle, long imageId)
    {
        handle.createUpdate("""
                        DELETE FROM image_tags
                        WHERE image_id <> :id AND held = 1
                            AND image_id IN (SELECT id FROM images WHERE name = (SELECT name FROM images WHERE id = :id))
                            AND tag IN (SELECT tag FROM image_tags WHERE image_id = :id)
                        """)
                .bind("id", imageId)
                .execute();
        handle.createUpdate("UPDATE image_tags SET held = 1 WHERE image_id = :id").bind("id", imageId).execute();
    }

    private static ImageRecord image(ResultSet row, StatementContext context)
            throws SQLException
    {
        return new ImageRecord(
                row.getLong("id"),
                row.getString("name"),
                ResourceStatus.valueOf(row.getString("status")),
                row.getString("status_message"),
                row.getString("progress"),
                row.getString("engine"),
                row.getString("requested_version"),
                row.getString("engine_version"),
                row.getString("source_type"),
                row.getString("database_name"),
                row.getString("superuser_password"),
                row.getString("volume"),
                nullableLong(row, "size_bytes"),
                row.getString("owner"),
                row.getString("definition"),
                row.getString("source_directory"),
                instant(row.getString("created_at")),
                instant(row.getString("ready_at")),
                instant(row.getString("expires_at")),
                lines(row.getString("tags")),
                lines(row.getString("teams")),
                row.getString("origin_container") == null ? null
                        : new ImageOrigin(row.getString("origin_container"), row.getString("origin_revision"), row.getString("origin_image")));
    }

    private static ContainerRecord container(ResultSet row, StatementContext context)
            throws SQLException
    {
        return new ContainerRecord(
                row.getLong("id"),
                row.getString("name"),
                row.getLong("image_id"),
                ResourceStatus.valueOf(row.getString("status")),
                row.getString("status_message"),
                row.getString("engine"),
                row.getString("engine_version"),
                row.getString("host"),
                row.getInt("port"),
                row.getString("user_name"),
                row.getString("password"),
                row.getString("database_name"),
                row.getString("volume"),
                row.getString("revision"),
                row.getString("owner"),
                instant(row.getString("created_at")),
                instant(row.getString("expires_at")));
    }

    private static UserRecord user(ResultSet row, StatementContext context)
            throws SQLException
    {
        return new UserRecord(row.getLong("id"), row.getString("name"), row.getString("password_hash"), row.getBoolean("admin"),
                lines(row.getString("teams")), instant(row.getString("created_at")));
    }

    private static TeamRecord team(ResultSet row, StatementContext context)
            throws SQLException
    {
        return new TeamRecord(row.getString("name"), lines(row.getString("members")), instant(row.getString("created_at")));
    }

    /** The values a group_concat of the queries above joined with line breaks, sorted; none for NULL. */
    private static List<String> lines(String text)
    {
        return text == null ? List.of() : text.lines().sorted().toList();
    }

    private static TokenRecord token(ResultSet row, StatementContext context)
            throws SQLException
    {
        return new TokenRecord(row.getLong("id"), row.getString("user_name"), row.getString("kind"), row.getString("purpose"),
                instant(row.getString("created_at")), instant(row.getString("last_used_at")), instant(row.getString("expires_at")));
    }

    private static RevisionRecord revision(ResultSet row, StatementContext context)
            throws SQLException
    {
        return new RevisionRecord(
                row.getLong("container_id"),
                row.getInt("number"),
                row.getInt("parent"),
                row.getString("volume"),
                instant(row.getString("created_at")),
                nullableLong(row, "size_bytes"));
    }

    // Fixed-width UTC timestamps, so that they compare correctly as text in SQL.
    private static final DateTimeFormatter TIMESTAMP = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);

    private static Long nullableLong(ResultSet row, String column)
            throws SQLException
    {
        long value = row.getLong(column);
        return row.wasNull() ? null : value;
    }

    private static String text(Instant instant)
    {
        return instant == null ? null : TIMESTAMP.format(instant);
    }

    private static Instant instant(String text)
    {
        return text == null ? null : Instant.parse(text);
    }
}
