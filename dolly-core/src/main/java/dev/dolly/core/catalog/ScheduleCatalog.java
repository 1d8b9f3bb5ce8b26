package dev.dolly.core.catalog;

import org.jdbi.v3.core.Jdbi;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

import static java.util.Objects.requireNonNull;

/** Scheduled image builds, the images they built, and the containers that follow a tag. */
public final class ScheduleCatalog
{
    private static final String SELECT_SCHEDULES = """
            SELECT id, name, owner, cron, time_zone, definition, source_directory, image_name, tags, lifetime, keep, created_at, last_fired_at,
                running_image_id, last_run_at, last_image_id, last_result, last_message
            FROM schedules
            """;

    private final Jdbi jdbi;

    ScheduleCatalog(Jdbi jdbi)
    {
        this.jdbi = requireNonNull(jdbi, "jdbi is null");
    }

    // ----- schedules

    /** @return the new schedule's ID; empty when the name is taken */
    public Optional<Long> insert(ScheduleRecord schedule)
    {
        requireNonNull(schedule, "schedule is null");
        return jdbi.inTransaction(handle -> {
            int inserted = handle.createUpdate("""
                            INSERT INTO schedules (name, owner, cron, time_zone, definition, source_directory, image_name, tags, lifetime, keep, created_at)
                            SELECT :name, :owner, :cron, :timeZone, :definition, :sourceDirectory, :imageName, :tagText, :lifetime, :keep, :createdAt
                            WHERE NOT EXISTS (SELECT 1 FROM schedules WHERE name = :name)
                            """)
                    .bindMethods(schedule)
                    .bind("tagText", String.join("\n", schedule.tags()))
                    .execute();
            if (inserted == 0) {
                return Optional.empty();
            }
            return Optional.of(handle.createQuery("SELECT last_insert_rowid()").mapTo(Long.class).one());
        });
    }

    public Optional<ScheduleRecord> find(String name)
    {
        return jdbi.withHandle(handle -> handle.createQuery(SELECT_SCHEDULES + "WHERE name = :name")
                .bind("name", name)
                .mapTo(ScheduleRecord.class)
                .findOne());
    }

    public Optional<ScheduleRecord> find(long id)
    {
        return jdbi.withHandle(handle -> handle.createQuery(SELECT_SCHEDULES + "WHERE id = :id")
                .bind("id", id)
                .mapTo(ScheduleRecord.class)
                .findOne());
    }

    /** Every schedule, oldest first. */
    public List<ScheduleRecord> list()
    {
        return jdbi.withHandle(handle -> handle.createQuery(SELECT_SCHEDULES + "ORDER BY id")
                .mapTo(ScheduleRecord.class)
                .list());
    }

    /**
     * Records that a run starts, unless one is going: the one statement decides, so that two runs never overlap.
     *
     * @return whether no run was going, and this one is recorded as started
     */
    public boolean markFired(long id, Instant firedAt)
    {
        return jdbi.withHandle(handle -> handle.createUpdate("""
                        UPDATE schedules SET last_fired_at = :firedAt, running_image_id = -1 WHERE id = :id AND running_image_id IS NULL""")
                .bind("firedAt", firedAt)
                .bind("id", id)
                .execute()) == 1;
    }

    /** Records that the schedule's cron time came while a run was going: the run is skipped, and that is said. */
    public void markSkipped(long id, Instant firedAt, String message)
    {
        jdbi.useHandle(handle -> handle.createUpdate("""
                        UPDATE schedules SET last_fired_at = :firedAt, last_result = 'Skipped', last_message = :message WHERE id = :id""")
                .bind("firedAt", firedAt)
                .bind("message", message)
                .bind("id", id)
                .execute());
    }

    /** Records the image a started run builds, and marks the image as the schedule's. */
    public void setRunningImage(long id, long imageId)
    {
        jdbi.useTransaction(handle -> {
            handle.createUpdate("UPDATE schedules SET running_image_id = :imageId WHERE id = :id")
                    .bind("imageId", imageId)
                    .bind("id", id)
                    .execute();
            handle.createUpdate("UPDATE images SET schedule_id = :id WHERE id = :imageId")
                    .bind("imageId", imageId)
                    .bind("id", id)
                    .execute();
        });
    }

    /**
     * Records how a run ended, and that none is going any more.
     *
     * @param imageId the image it built, or {@code null} when it failed before one was recorded
     */
    public void finishRun(long id, Instant endedAt, Long imageId, String result, String message)
    {
        jdbi.useHandle(handle -> handle.createUpdate("""
                        UPDATE schedules SET running_image_id = NULL, last_run_at = :endedAt, last_image_id = :imageId, last_result = :result,
                            last_message = :message
                        WHERE id = :id""")
                .bind("endedAt", endedAt)
                .bind("imageId", imageId)
                .bind("result", result)
                .bind("message", message)
                .bind("id", id)
                .execute());
    }

    public void delete(long id)
    {
        jdbi.useHandle(handle -> handle.createUpdate("DELETE FROM schedules WHERE id = :id").bind("id", id).execute());
    }

    /** The IDs of the images of a name the schedule built, newest first. */
    public List<Long> imagesBuiltBy(long id, String imageName)
    {
        return jdbi.withHandle(handle -> handle.createQuery("SELECT id FROM images WHERE schedule_id = :id AND name = :name ORDER BY id DESC")
                .bind("id", id)
                .bind("name", imageName)
                .mapTo(Long.class)
                .list());
    }

    // ----- containers that follow a tag

    public void follow(FollowingRecord following)
    {
        requireNonNull(following, "following is null");
        jdbi.useHandle(handle -> handle.createUpdate("""
                        INSERT INTO container_following (container_id, image_name, tag, refresh_at, refreshed_at, message, failed_image_id, noticed_image_id, noticed_at)
                        VALUES (:containerId, :imageName, :tag, :refreshAt, :refreshedAt, :message, :failedImageId, :noticedImageId, :noticedAt)""")
                .bindMethods(following)
                .execute());
    }

    public Optional<FollowingRecord> following(long containerId)
    {
        return jdbi.withHandle(handle -> handle.createQuery("SELECT * FROM container_following WHERE container_id = :id")
                .bind("id", containerId)
                .mapTo(FollowingRecord.class)
                .findOne());
    }

    public List<FollowingRecord> listFollowing()
    {
        return jdbi.withHandle(handle -> handle.createQuery("SELECT * FROM container_following ORDER BY container_id")
                .mapTo(FollowingRecord.class)
                .list());
    }

    /** Records that the container noticed its tag on a new image: its refresh time is counted from now. */
    public void noticed(long containerId, long imageId, Instant noticedAt)
    {
        jdbi.useHandle(handle -> handle.createUpdate("UPDATE container_following SET noticed_image_id = :imageId, noticed_at = :noticedAt WHERE container_id = :id")
                .bind("imageId", imageId)
                .bind("noticedAt", noticedAt)
                .bind("id", containerId)
                .execute());
    }

    /** Records a refresh that failed on an image, which is not tried again until the tag moves on. */
    public void refreshFailed(long containerId, long imageId, String message)
    {
        jdbi.useHandle(handle -> handle.createUpdate("UPDATE container_following SET message = :message, failed_image_id = :imageId WHERE container_id = :id")
                .bind("message", message)
                .bind("imageId", imageId)
                .bind("id", containerId)
                .execute());
    }

    /**
     * Switches a following container to a new image, in one transaction: its new volume, {@code rev.0} of the image, the image's
     * engine version and database, the time; the records of its old revisions go (their volumes, which no record names any more, are
     * removed next, or as orphans when the daemon starts).
     */
    public void switchToImage(long containerId, long imageId, String engineVersion, String databaseName, String volume, Instant refreshedAt, String message)
    {
        jdbi.useTransaction(handle -> {
            handle.createUpdate("""
                            UPDATE containers SET image_id = :imageId, engine_version = :engineVersion, database_name = :databaseName, volume = :volume,
                                revision = 'rev.0', pending_volume = NULL, pending_revision = NULL
                            WHERE id = :id""")
                    .bind("imageId", imageId)
                    .bind("engineVersion", engineVersion)
                    .bind("databaseName", databaseName)
                    .bind("volume", volume)
                    .bind("id", containerId)
                    .execute();
            handle.createUpdate("DELETE FROM revisions WHERE container_id = :id").bind("id", containerId).execute();
            handle.createUpdate("UPDATE container_following SET refreshed_at = :refreshedAt, message = :message, failed_image_id = NULL WHERE container_id = :id")
                    .bind("refreshedAt", refreshedAt)
                    .bind("message", message)
                    .bind("id", containerId)
                    .execute();
        });
    }
}
