package dev.dolly.core.catalog;

import dev.dolly.api.ImageBuildStep;
import dev.dolly.api.ResourceStatus;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.stream.Collectors;

import static java.util.Objects.requireNonNull;

/**
 * Images with the tags they hold or wait for ({@code image_tags}) and the teams they are shared with
 * ({@code image_teams}), and the steps of their builds ({@code image_build_steps}). Tags move only between images of
 * one name, and only to a {@code READY} image: see {@link #markReady} and {@link #update}.
 */
public final class ImageCatalog
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

    private final Jdbi jdbi;

    ImageCatalog(Jdbi jdbi)
    {
        this.jdbi = requireNonNull(jdbi, "jdbi is null");
    }

    /** Records a new image with the tags it asks for and its teams; an image inserted {@code READY} holds its tags at once. */
    public long insert(ImageRecord image)
    {
        requireNonNull(image, "image is null");
        return jdbi.inTransaction(handle -> insert(handle, image));
    }

    /**
     * Records a new image, like {@link #insert}, only if no image has its name yet: the check and the insert are one
     * transaction, which holds the catalog's write lock from its start, so two requests cannot both take a name.
     *
     * @return the new image's ID; empty when an image of that name exists
     */
    public OptionalLong insertWithNewName(ImageRecord image)
    {
        requireNonNull(image, "image is null");
        return jdbi.inTransaction(handle -> {
            boolean taken = handle.createQuery("SELECT EXISTS (SELECT 1 FROM images WHERE name = :name)")
                    .bind("name", image.name())
                    .mapTo(Boolean.class)
                    .one();
            return taken ? OptionalLong.empty() : OptionalLong.of(insert(handle, image));
        });
    }

    private static long insert(Handle handle, ImageRecord image)
    {
        long id = handle.createUpdate("""
                        INSERT INTO images (name, status, status_message, progress, engine, requested_version, engine_version,
                            source_type, database_name, superuser_password, volume, size_bytes, owner, definition, source_directory,
                            created_at, ready_at, expires_at, origin_container, origin_revision, origin_image, pool_size)
                        VALUES (:name, :status, :statusMessage, :progress, :engine, :requestedVersion, :engineVersion,
                            :sourceType, :databaseName, :superuserPassword, :volume, :sizeBytes, :owner, :definition, :sourceDirectory,
                            :createdAt, :readyAt, :expiresAt, :origin?.container, :origin?.revision, :origin?.image, :poolSize)
                        """)
                .bindMethods(image)
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
    }

    /** Assigns the volume once the ID is known. */
    public void setVolume(long id, String volume)
    {
        jdbi.useHandle(handle -> handle.createUpdate("UPDATE images SET volume = :volume WHERE id = :id")
                .bind("volume", volume)
                .bind("id", id)
                .execute());
    }

    public void updateProgress(long id, String progress)
    {
        jdbi.useHandle(handle -> handle.createUpdate("UPDATE images SET progress = :progress WHERE id = :id")
                .bind("progress", progress)
                .bind("id", id)
                .execute());
    }

    public void updateEngineVersion(long id, String engineVersion)
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
    public void markReady(long id, String databaseName, Long sizeBytes, Instant readyAt)
    {
        markReady(id, databaseName, sizeBytes, readyAt, Optional.empty());
    }

    /**
     * Like {@link #markReady(long, String, Long, Instant)}, recording the build's last step in the same transaction:
     * whoever sees the image READY sees every step of its build.
     */
    public void markReady(long id, String databaseName, Long sizeBytes, Instant readyAt, Optional<ImageBuildStep> lastBuildStep)
    {
        requireNonNull(lastBuildStep, "lastBuildStep is null");
        jdbi.useTransaction(handle -> {
            lastBuildStep.ifPresent(step -> insertBuildStep(handle, id, step));
            handle.createUpdate("""
                            UPDATE images SET status = 'READY', status_message = NULL, progress = NULL, database_name = :databaseName,
                                size_bytes = :sizeBytes, ready_at = :readyAt
                            WHERE id = :id
                            """)
                    .bind("databaseName", databaseName)
                    .bind("sizeBytes", sizeBytes)
                    .bind("readyAt", readyAt)
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
    public void update(long id, ImageChanges changes)
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
                handle.createUpdate("UPDATE images SET expires_at = :expiresAt WHERE id = :id").bind("expiresAt", changes.expiresAt()).bind("id", id).execute();
            }
            ResourceStatus status = handle.createQuery("SELECT status FROM images WHERE id = :id").bind("id", id).mapTo(ResourceStatus.class).one();
            if (status == ResourceStatus.READY) {
                takeOverTags(handle, id);
            }
        });
    }

    /** Records that a step of an image's build ended, after the steps recorded before it. */
    public void addBuildStep(long imageId, ImageBuildStep step)
    {
        requireNonNull(step, "step is null");
        jdbi.useHandle(handle -> insertBuildStep(handle, imageId, step));
    }

    /** Records what the transform stage of an image's build did, as JSON. */
    public void setTransformReport(long imageId, String report)
    {
        requireNonNull(report, "report is null");
        jdbi.useHandle(handle -> handle.createUpdate("INSERT OR REPLACE INTO image_transform_reports (image_id, report) VALUES (:id, :report)")
                .bind("id", imageId)
                .bind("report", report)
                .execute());
    }

    /** The JSON report of an image's transform stage, if its build had one. */
    public Optional<String> transformReport(long imageId)
    {
        return jdbi.withHandle(handle -> handle.createQuery("SELECT report FROM image_transform_reports WHERE image_id = :id")
                .bind("id", imageId)
                .mapTo(String.class)
                .findOne());
    }

    /** The steps of an image's build that ended, in order. */
    public List<ImageBuildStep> buildSteps(long imageId)
    {
        return jdbi.withHandle(handle -> handle.createQuery("SELECT image_id, step, milliseconds FROM image_build_steps WHERE image_id = :id ORDER BY position")
                .bind("id", imageId)
                .mapTo(ImageBuildStepRecord.class)
                .map(ImageBuildStepRecord::toBuildStep)
                .list());
    }

    /** The build steps of every image, in one query: by image ID, each in order. */
    public Map<Long, List<ImageBuildStep>> allBuildSteps()
    {
        return jdbi.withHandle(handle -> handle.createQuery("SELECT image_id, step, milliseconds FROM image_build_steps ORDER BY image_id, position")
                .mapTo(ImageBuildStepRecord.class)
                .list()).stream()
                .collect(Collectors.groupingBy(ImageBuildStepRecord::imageId, Collectors.mapping(ImageBuildStepRecord::toBuildStep, Collectors.toList())));
    }

    /** The tags an image asked for and will take when it becomes READY. */
    public List<String> pendingTags(long id)
    {
        return jdbi.withHandle(handle -> handle.createQuery("SELECT tag FROM image_tags WHERE image_id = :id AND held = 0 ORDER BY tag")
                .bind("id", id)
                .mapTo(String.class)
                .list());
    }

    /** Records the engine account whose files the image's volume holds ({@code null}: the shared one, or none). */
    public void setEngineUid(long id, Integer engineUid)
    {
        jdbi.useHandle(handle -> handle.createUpdate("UPDATE images SET engine_uid = :engineUid WHERE id = :id")
                .bind("engineUid", engineUid)
                .bind("id", id)
                .execute());
    }

    /** The engine account recorded for a image; empty when it has none of its own. */
    public Optional<Integer> engineUid(long id)
    {
        return jdbi.withHandle(handle -> handle.createQuery("SELECT engine_uid FROM images WHERE id = :id")
                .bind("id", id)
                .mapTo(Integer.class)
                .findOne());
    }

    public void setStatus(long id, ResourceStatus status, String statusMessage)
    {
        requireNonNull(status, "status is null");
        jdbi.useHandle(handle -> handle.createUpdate("UPDATE images SET status = :status, status_message = :statusMessage, progress = NULL WHERE id = :id")
                .bind("status", status)
                .bind("statusMessage", statusMessage)
                .bind("id", id)
                .execute());
    }

    /** Sets how many containers the image's warm pool keeps started and idle (0: none). */
    public void setPoolSize(long id, int poolSize)
    {
        jdbi.useHandle(handle -> handle.createUpdate("UPDATE images SET pool_size = :poolSize WHERE id = :id")
                .bind("poolSize", poolSize)
                .bind("id", id)
                .execute());
    }

    /**
     * Marks an image DELETING if it is READY or FAILED and no user's container records it, in one statement: a
     * container is recorded (or taken from the image's pool) only while its image is READY
     * ({@link ContainerCatalog#insertOfReadyImage}, {@link ContainerCatalog#takePooled}), so of a deletion and a
     * creation from the image at once, exactly one wins, and an image being built is never deleted. The image's pool
     * containers do not keep it: they are removed once it is DELETING.
     *
     * @return whether it is DELETING now
     */
    public boolean markDeleting(long id)
    {
        return jdbi.withHandle(handle -> handle.createUpdate("""
                        UPDATE images SET status = 'DELETING', status_message = NULL, progress = NULL
                        WHERE id = :id AND status IN ('READY', 'FAILED') AND NOT EXISTS (SELECT 1 FROM containers WHERE image_id = :id AND pooled = 0)
                        """)
                .bind("id", id)
                .execute()) == 1;
    }

    /** Deletes an image with its tags and teams. */
    public void delete(long id)
    {
        jdbi.useHandle(handle -> handle.createUpdate("DELETE FROM images WHERE id = :id").bind("id", id).execute());
    }

    public Optional<ImageRecord> find(long id)
    {
        return jdbi.withHandle(handle -> handle.createQuery(SELECT_IMAGES + " WHERE images.id = :id")
                .bind("id", id)
                .mapTo(ImageRecord.class)
                .findOne());
    }

    /** Images of that name, newest first. */
    public List<ImageRecord> findByName(String name)
    {
        return jdbi.withHandle(handle -> handle.createQuery(SELECT_IMAGES + " WHERE images.name = :name ORDER BY images.id DESC")
                .bind("name", name)
                .mapTo(ImageRecord.class)
                .list());
    }

    /** The image of that name that holds the tag. */
    public Optional<ImageRecord> findByTag(String name, String tag)
    {
        return jdbi.withHandle(handle -> handle.createQuery(SELECT_IMAGES + """
                        WHERE images.name = :name AND EXISTS (
                            SELECT 1 FROM image_tags WHERE image_tags.image_id = images.id AND image_tags.tag = :tag AND image_tags.held = 1)
                        ORDER BY images.id DESC LIMIT 1
                        """)
                .bind("name", name)
                .bind("tag", tag)
                .mapTo(ImageRecord.class)
                .findOne());
    }

    /** Every image, oldest first. */
    public List<ImageRecord> list()
    {
        return jdbi.withHandle(handle -> handle.createQuery(SELECT_IMAGES + " ORDER BY images.id")
                .mapTo(ImageRecord.class)
                .list());
    }

    private static void insertBuildStep(Handle handle, long imageId, ImageBuildStep step)
    {
        handle.createUpdate("""
                        INSERT INTO image_build_steps (image_id, position, step, milliseconds)
                        VALUES (:id, (SELECT count(*) FROM image_build_steps WHERE image_id = :id), :step, :milliseconds)
                        """)
                .bind("id", imageId)
                .bindMethods(step)
                .execute();
    }

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
}
