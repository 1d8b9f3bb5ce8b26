package dev.dolly.core.catalog;

import dev.dolly.api.ResourceStatus;
import org.jdbi.v3.core.Jdbi;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.function.Function;

import static java.util.Objects.requireNonNull;

/**
 * Containers (their names and ports are unique) and their revisions, which go with them
 * ({@code ON DELETE CASCADE}).
 */
public final class ContainerCatalog
{
    /** Containers with the teams they are shared with, joined with line breaks (team names hold none). */
    private static final String SELECT_CONTAINERS = """
            SELECT containers.*,
                (SELECT group_concat(team, char(10)) FROM container_teams WHERE container_teams.container_id = containers.id) AS teams
            FROM containers
            """;

    private final Jdbi jdbi;

    ContainerCatalog(Jdbi jdbi)
    {
        this.jdbi = requireNonNull(jdbi, "jdbi is null");
    }

    // ----- containers

    public long insert(ContainerRecord container)
    {
        requireNonNull(container, "container is null");
        return jdbi.withHandle(handle -> handle.createUpdate("""
                        INSERT INTO containers (name, image_id, status, status_message, engine, engine_version, host, port, user_name,
                            password, database_name, volume, revision, owner, created_at, expires_at)
                        VALUES (:name, :imageId, :status, :statusMessage, :engine, :engineVersion, :host, :port, :userName,
                            :password, :databaseName, :volume, :revision, :owner, :createdAt, :expiresAt)
                        """)
                .bindMethods(container)
                .executeAndReturnGeneratedKeys("id")
                .mapTo(Long.class)
                .one());
    }

    /**
     * Records a new container with the engine account it runs as, in one transaction, only while its image is READY:
     * an image marked DELETING ({@link ImageCatalog#markDeleting}) gets no new container, and an image with a
     * container is not marked. Of a creation and a deletion of its image at once, exactly one wins.
     *
     * @param engineUid the container's own account, or {@code null} for the shared one
     * @return the new container's ID; empty when its image is not READY (any more)
     */
    public OptionalLong insertOfReadyImage(ContainerRecord container, Integer engineUid)
    {
        requireNonNull(container, "container is null");
        return jdbi.inTransaction(handle -> {
            int inserted = handle.createUpdate("""
                            INSERT INTO containers (name, image_id, status, status_message, engine, engine_version, host, port, user_name,
                                password, database_name, volume, revision, owner, created_at, expires_at, engine_uid, pooled)
                            SELECT :name, :imageId, :status, :statusMessage, :engine, :engineVersion, :host, :port, :userName,
                                :password, :databaseName, :volume, :revision, :owner, :createdAt, :expiresAt, :engineUid, :pooled
                            WHERE EXISTS (SELECT 1 FROM images WHERE id = :imageId AND status = 'READY')
                            """)
                    .bindMethods(container)
                    .bind("engineUid", engineUid)
                    .execute();
            if (inserted == 0) {
                return OptionalLong.empty();
            }
            long id = handle.createQuery("SELECT last_insert_rowid()").mapTo(Long.class).one();
            for (String team : container.teams()) {
                handle.createUpdate("INSERT OR IGNORE INTO container_teams (container_id, team) VALUES (:id, :team)").bind("id", id).bind("team", team).execute();
            }
            return OptionalLong.of(id);
        });
    }

    /**
     * Takes a READY container out of the image's warm pool for a user, in one transaction whose conditional update
     * decides: of two creations at once, each gets another container, or one gets none. The container becomes the
     * user's, PENDING under its new name, owner, password and times until its server has the new password
     * ({@link #markCreated}); a crash before that leaves a PENDING container, which the daemon removes when it starts.
     * Only while the image is READY, as {@link #insertOfReadyImage}.
     *
     * @param newPassword the password to record for the container picked (its pool may have one ready for it), called
     *        once inside the transaction
     * @return the container as it was in the pool (with the password its server still has); empty when none is ready
     */
    public Optional<ContainerRecord> takePooled(long imageId, String name, String owner, Function<ContainerRecord, String> newPassword, Instant createdAt,
            Instant expiresAt)
    {
        requireNonNull(name, "name is null");
        requireNonNull(owner, "owner is null");
        requireNonNull(newPassword, "newPassword is null");
        requireNonNull(createdAt, "createdAt is null");
        return jdbi.inTransaction(handle -> {
            Optional<ContainerRecord> pooled = handle.createQuery(SELECT_CONTAINERS + """
                            WHERE image_id = :imageId AND pooled = 1 AND status = 'READY'
                                AND EXISTS (SELECT 1 FROM images WHERE images.id = :imageId AND images.status = 'READY')
                            ORDER BY id LIMIT 1""")
                    .bind("imageId", imageId)
                    .mapTo(ContainerRecord.class)
                    .findOne();
            if (pooled.isEmpty()) {
                return Optional.empty();
            }
            int taken = handle.createUpdate("""
                            UPDATE containers SET pooled = 0, status = 'PENDING', status_message = NULL, name = :name, owner = :owner, password = :password,
                                created_at = :createdAt, expires_at = :expiresAt
                            WHERE id = :id AND pooled = 1 AND status = 'READY'""")
                    .bind("name", name)
                    .bind("owner", owner)
                    .bind("password", requireNonNull(newPassword.apply(pooled.get()), "password is null"))
                    .bind("createdAt", createdAt)
                    .bind("expiresAt", expiresAt)
                    .bind("id", pooled.get().id())
                    .execute();
            return taken == 1 ? pooled : Optional.<ContainerRecord>empty();
        });
    }

    /**
     * Marks a container READY once its creation is done, if it is still PENDING.
     *
     * @return whether it was PENDING
     */
    public boolean markCreated(long id)
    {
        return jdbi.withHandle(handle -> handle.createUpdate("UPDATE containers SET status = 'READY', status_message = NULL WHERE id = :id AND status = 'PENDING'")
                .bind("id", id)
                .execute()) == 1;
    }

    /**
     * Marks a container of a warm pool DELETING, for its pool's shrinking or its image's deletion, unless a creation
     * took it meanwhile ({@link #takePooled}): the one statement decides.
     *
     * @return whether it is DELETING now
     */
    public boolean markPooledDeleting(long id)
    {
        return jdbi.withHandle(handle -> handle.createUpdate("UPDATE containers SET status = 'DELETING', status_message = NULL WHERE id = :id AND pooled = 1")
                .bind("id", id)
                .execute()) == 1;
    }

    /**
     * Marks a container DELETING, unless it is still being created (PENDING) or gone: the one statement decides, so
     * that no other request's check of its status can be overtaken. A container already DELETING (a deletion that
     * failed halfway) may be deleted again.
     *
     * @return whether it is DELETING now
     */
    public boolean markDeleting(long id)
    {
        return jdbi.withHandle(handle -> handle.createUpdate("UPDATE containers SET status = 'DELETING', status_message = NULL WHERE id = :id AND status <> 'PENDING'")
                .bind("id", id)
                .execute()) == 1;
    }

    public void setVolume(long id, String volume)
    {
        jdbi.useHandle(handle -> handle.createUpdate("UPDATE containers SET volume = :volume WHERE id = :id")
                .bind("volume", volume)
                .bind("id", id)
                .execute());
    }

    /** Shares a container with teams and stops sharing it with others, in one transaction. */
    public void updateTeams(long id, List<String> addTeams, List<String> removeTeams)
    {
        jdbi.useTransaction(handle -> {
            for (String team : removeTeams) {
                handle.createUpdate("DELETE FROM container_teams WHERE container_id = :id AND team = :team").bind("id", id).bind("team", team).execute();
            }
            for (String team : addTeams) {
                handle.createUpdate("INSERT OR IGNORE INTO container_teams (container_id, team) VALUES (:id, :team)").bind("id", id).bind("team", team).execute();
            }
        });
    }

    /** Renames a container; the caller checks that the name is free. */
    public void rename(long id, String name)
    {
        jdbi.useHandle(handle -> handle.createUpdate("UPDATE containers SET name = :name WHERE id = :id")
                .bind("name", name)
                .bind("id", id)
                .execute());
    }

    /** @param expiresAt {@code null} for never */
    public void setExpiry(long id, Instant expiresAt)
    {
        jdbi.useHandle(handle -> handle.createUpdate("UPDATE containers SET expires_at = :expiresAt WHERE id = :id")
                .bind("expiresAt", expiresAt)
                .bind("id", id)
                .execute());
    }

    /** Records the engine account whose files the container's volume holds ({@code null}: the shared one, or none). */
    public void setEngineUid(long id, Integer engineUid)
    {
        jdbi.useHandle(handle -> handle.createUpdate("UPDATE containers SET engine_uid = :engineUid WHERE id = :id")
                .bind("engineUid", engineUid)
                .bind("id", id)
                .execute());
    }

    /** The engine account recorded for a container; empty when it has none of its own. */
    public Optional<Integer> engineUid(long id)
    {
        return jdbi.withHandle(handle -> handle.createQuery("SELECT engine_uid FROM containers WHERE id = :id")
                .bind("id", id)
                .mapTo(Integer.class)
                .findOne());
    }

    /** Sets a container's status; a container stopped on purpose ({@link #setStoppedBy}) is not any longer. */
    public void setStatus(long id, ResourceStatus status, String statusMessage)
    {
        requireNonNull(status, "status is null");
        jdbi.useHandle(handle -> handle.createUpdate("UPDATE containers SET status = :status, status_message = :statusMessage, stopped_by = NULL WHERE id = :id")
                .bind("status", status)
                .bind("statusMessage", statusMessage)
                .bind("id", id)
                .execute());
    }

    /**
     * Marks a container STOPPED on purpose: its server was stopped cleanly because it was idle ({@code idle}) or
     * because its owner asked ({@code request}). The daemon holds its port and wakes it on the next connection.
     */
    public void setStoppedBy(long id, String stoppedBy, String statusMessage)
    {
        requireNonNull(stoppedBy, "stoppedBy is null");
        jdbi.useHandle(handle -> handle.createUpdate("UPDATE containers SET status = 'STOPPED', status_message = :statusMessage, stopped_by = :stoppedBy WHERE id = :id")
                .bind("stoppedBy", stoppedBy)
                .bind("statusMessage", statusMessage)
                .bind("id", id)
                .execute());
    }

    /** Why a STOPPED container was stopped on purpose ({@code idle}, {@code request}); empty when it was not. */
    public Optional<String> stoppedBy(long id)
    {
        return jdbi.withHandle(handle -> handle.createQuery("SELECT stopped_by FROM containers WHERE id = :id AND status = 'STOPPED'")
                .bind("id", id)
                .mapTo(String.class)
                .findOne());
    }

    /** How long a container's server may go without a client connection before it is stopped; empty: forever. */
    public Optional<java.time.Duration> idleStop(long id)
    {
        return jdbi.withHandle(handle -> handle.createQuery("SELECT idle_stop_seconds FROM containers WHERE id = :id")
                .bind("id", id)
                .mapTo(Long.class)
                .findOne())
                .map(java.time.Duration::ofSeconds);
    }

    /** @param idleStop {@code null}: never stopped for being idle */
    public void setIdleStop(long id, java.time.Duration idleStop)
    {
        jdbi.useHandle(handle -> handle.createUpdate("UPDATE containers SET idle_stop_seconds = :seconds WHERE id = :id")
                .bind("seconds", idleStop == null ? null : idleStop.toSeconds())
                .bind("id", id)
                .execute());
    }

    /** Moves a container to another port, when its first start found its own taken. */
    public void setPort(long id, int port)
    {
        jdbi.useHandle(handle -> handle.createUpdate("UPDATE containers SET port = :port WHERE id = :id")
                .bind("port", port)
                .bind("id", id)
                .execute());
    }

    /** Records the revision a container is on now, such as {@code rev.2}. */
    public void setRevision(long id, String revision)
    {
        jdbi.useHandle(handle -> handle.createUpdate("UPDATE containers SET revision = :revision WHERE id = :id")
                .bind("revision", revision)
                .bind("id", id)
                .execute());
    }

    /**
     * Records that a load or reset is about to clone {@code revision} into the new volume {@code volume}, before the
     * volume is made: a crash before {@link #switchVolume} leaves the container on its old volume, and the new one to
     * remove.
     */
    public void setPendingVolume(long id, String volume, String revision)
    {
        jdbi.useHandle(handle -> handle.createUpdate("UPDATE containers SET pending_volume = :volume, pending_revision = :revision WHERE id = :id")
                .bind("volume", volume)
                .bind("revision", revision)
                .bind("id", id)
                .execute());
    }

    /** The volume a load or reset of the container was making when it stopped, if one was. */
    public Optional<String> pendingVolume(long id)
    {
        return jdbi.withHandle(handle -> handle.createQuery("SELECT pending_volume FROM containers WHERE id = :id")
                .bind("id", id)
                .mapTo(String.class)
                .findOne());
    }

    /** Forgets a pending volume, once it is removed. */
    public void clearPendingVolume(long id)
    {
        setPendingVolume(id, null, null);
    }

    /**
     * The switch of a load or reset, in one update: the container is on its pending volume and revision now, and the
     * old volume is nobody's.
     */
    public void switchVolume(long id, String volume, String revision)
    {
        requireNonNull(volume, "volume is null");
        requireNonNull(revision, "revision is null");
        jdbi.useHandle(handle -> handle.createUpdate("""
                        UPDATE containers SET volume = :volume, revision = :revision, pending_volume = NULL, pending_revision = NULL
                        WHERE id = :id""")
                .bind("volume", volume)
                .bind("revision", revision)
                .bind("id", id)
                .execute());
    }

    /** The volumes of loads and resets a crash interrupted, which no container is on. */
    public List<String> listPendingVolumes()
    {
        return jdbi.withHandle(handle -> handle.createQuery("SELECT pending_volume FROM containers WHERE pending_volume IS NOT NULL")
                .mapTo(String.class)
                .list());
    }

    /** Deletes a container with the records of its revisions. */
    public void delete(long id)
    {
        jdbi.useHandle(handle -> handle.createUpdate("DELETE FROM containers WHERE id = :id").bind("id", id).execute());
    }

    public Optional<ContainerRecord> find(long id)
    {
        return jdbi.withHandle(handle -> handle.createQuery(SELECT_CONTAINERS + "WHERE id = :id")
                .bind("id", id)
                .mapTo(ContainerRecord.class)
                .findOne());
    }

    public Optional<ContainerRecord> findByName(String name)
    {
        return jdbi.withHandle(handle -> handle.createQuery(SELECT_CONTAINERS + "WHERE name = :name")
                .bind("name", name)
                .mapTo(ContainerRecord.class)
                .findOne());
    }

    /** Every container, oldest first. */
    public List<ContainerRecord> list()
    {
        return jdbi.withHandle(handle -> handle.createQuery(SELECT_CONTAINERS + "ORDER BY id")
                .mapTo(ContainerRecord.class)
                .list());
    }

    /** The containers created from an image, oldest first. */
    public List<ContainerRecord> listOfImage(long imageId)
    {
        return jdbi.withHandle(handle -> handle.createQuery(SELECT_CONTAINERS + "WHERE image_id = :imageId ORDER BY id")
                .bind("imageId", imageId)
                .mapTo(ContainerRecord.class)
                .list());
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
        requireNonNull(revision, "revision is null");
        jdbi.useHandle(handle -> handle.createUpdate("""
                        INSERT INTO revisions (container_id, number, parent, volume, created_at, size_bytes)
                        VALUES (:containerId, :number, :parent, :volume, :createdAt, :sizeBytes)
                        """)
                .bindMethods(revision)
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
                .mapTo(RevisionRecord.class)
                .findOne());
    }

    /** A container's revisions, oldest first. */
    public List<RevisionRecord> listRevisions(long containerId)
    {
        return jdbi.withHandle(handle -> handle.createQuery("SELECT * FROM revisions WHERE container_id = :containerId ORDER BY number")
                .bind("containerId", containerId)
                .mapTo(RevisionRecord.class)
                .list());
    }

    /** The revisions of every container. */
    public List<RevisionRecord> listAllRevisions()
    {
        return jdbi.withHandle(handle -> handle.createQuery("SELECT * FROM revisions ORDER BY container_id, number")
                .mapTo(RevisionRecord.class)
                .list());
    }

    public void deleteRevision(long containerId, int number)
    {
        jdbi.useHandle(handle -> handle.createUpdate("DELETE FROM revisions WHERE container_id = :containerId AND number = :number")
                .bind("containerId", containerId)
                .bind("number", number)
                .execute());
    }
}
