package dev.dolly.core.catalog;

import dev.dolly.api.ImageBuildStep;
import dev.dolly.api.ImageOrigin;
import dev.dolly.api.ResourceStatus;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sqlite.SQLiteDataSource;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Instant;
import java.util.List;
import java.util.OptionalLong;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

class ImageCatalogTest
{
    @TempDir
    Path directory;

    @Test
    void storesImagesWithTagsAndTeamsAcrossReopening()
    {
        ImageCatalog catalog = open();
        long first = catalog.insert(image("widgetstore", List.of("latest-production"), List.of("myorg:developers")));
        long second = catalog.insert(image("widgetstore", List.of("run-42"), List.of()));
        catalog.markReady(first, "widgets", 1234L, Instant.parse("2026-11-21T10:00:00Z"));

        ImageCatalog reopened = open();
        ImageRecord stored = reopened.find(first).orElseThrow();
        assertThat(stored.status()).isEqualTo(ResourceStatus.READY);
        assertThat(stored.databaseName()).isEqualTo("widgets");
        assertThat(stored.sizeBytes()).isEqualTo(1234L);
        assertThat(stored.readyAt()).isEqualTo(Instant.parse("2026-11-21T10:00:00Z"));
        assertThat(stored.tags()).containsExactly("latest-production");
        assertThat(stored.teams()).containsExactly("myorg:developers");
        assertThat(reopened.findByName("widgetstore")).extracting(ImageRecord::id).containsExactly(second, first);
        long third = reopened.insert(image("gadgets", List.of("b", "a", "c"), List.of("org:z", "org:a")));
        reopened.markReady(third, "gadgets", 1L, Instant.parse("2026-11-21T10:00:00Z"));
        assertThat(reopened.list()).extracting(ImageRecord::id, ImageRecord::tags, ImageRecord::teams).containsExactly(
                tuple(first, List.of("latest-production"), List.of("myorg:developers")),
                tuple(second, List.of(), List.of()),
                tuple(third, List.of("a", "b", "c"), List.of("org:a", "org:z")));
        assertThat(reopened.findByTag("gadgets", "b")).map(ImageRecord::tags).contains(List.of("a", "b", "c"));
        // the second is still being built: it holds its tag once it is ready
        assertThat(reopened.findByTag("widgetstore", "run-42")).isEmpty();
        assertThat(reopened.pendingTags(second)).containsExactly("run-42");
        reopened.markReady(second, "widgets", 1L, Instant.parse("2026-11-21T11:00:00Z"));
        assertThat(reopened.findByTag("widgetstore", "run-42")).map(ImageRecord::id).contains(second);
        assertThat(reopened.pendingTags(second)).isEmpty();
        assertThat(reopened.findByTag("widgetstore", "missing")).isEmpty();
    }

    @Test
    void mapsEveryColumnOfAnImage()
    {
        ImageCatalog catalog = open();
        ImageRecord graduated = new ImageRecord(0, "graduated", ResourceStatus.READY, "a message", "a step", "mariadb", "11.4", "11.4.5-MariaDB",
                "revision", "shop", "password", "images/9", 4096L, "alice", "name: graduated", "/data/definitions", Instant.parse("2026-11-21T09:00:00.123Z"),
                Instant.parse("2026-11-21T09:00:01Z"), Instant.parse("2026-12-21T09:00:00Z"), List.of("v2", "v1"), List.of("org:b", "org:a"),
                new ImageOrigin("my-copy", "rev.2", "chinook"));
        long id = catalog.insert(graduated);

        ImageRecord stored = catalog.find(id).orElseThrow();
        // a READY image holds its tags at once; lists come back sorted
        assertThat(stored).isEqualTo(new ImageRecord(id, "graduated", ResourceStatus.READY, "a message", "a step", "mariadb", "11.4", "11.4.5-MariaDB",
                "revision", "shop", "password", "images/9", 4096L, "alice", "name: graduated", "/data/definitions", Instant.parse("2026-11-21T09:00:00.123Z"),
                Instant.parse("2026-11-21T09:00:01Z"), Instant.parse("2026-12-21T09:00:00Z"), List.of("v1", "v2"), List.of("org:a", "org:b"),
                new ImageOrigin("my-copy", "rev.2", "chinook")));

        ImageRecord built = catalog.find(catalog.insert(image("built", List.of(), List.of()))).orElseThrow();
        assertThat(built.origin()).isNull();
        assertThat(built.sizeBytes()).isNull();
        assertThat(built.readyAt()).isNull();
        assertThat(built.expiresAt()).isNull();
        assertThat(built.databaseName()).isNull();
    }

    @Test
    void changesStatusProgressVersionAndVolume()
    {
        ImageCatalog catalog = open();
        long id = catalog.insert(image("widgetstore", List.of(), List.of()));
        catalog.setVolume(id, "images/" + id);
        catalog.updateProgress(id, "Loading");
        catalog.updateEngineVersion(id, "17.7.0");
        ImageRecord building = catalog.find(id).orElseThrow();
        assertThat(building.volume()).isEqualTo("images/" + id);
        assertThat(building.progress()).isEqualTo("Loading");
        assertThat(building.engineVersion()).isEqualTo("17.7.0");

        catalog.setStatus(id, ResourceStatus.FAILED, "The backup is broken.");
        ImageRecord failed = catalog.find(id).orElseThrow();
        assertThat(failed.status()).isEqualTo(ResourceStatus.FAILED);
        assertThat(failed.statusMessage()).isEqualTo("The backup is broken.");
        assertThat(failed.progress()).isNull();
    }

    @Test
    void aNewImageTakesOverItsTagsWhenItIsReady()
    {
        ImageCatalog catalog = open();
        long old = catalog.insert(image("widgetstore", List.of("latest-production", "v1"), List.of()));
        catalog.markReady(old, "widgets", 1L, Instant.parse("2026-11-21T10:00:00Z"));
        long otherName = catalog.insert(image("chinook", List.of("latest-production"), List.of()));
        catalog.markReady(otherName, "chinook", 1L, Instant.parse("2026-11-21T10:00:00Z"));

        long building = catalog.insert(image("widgetstore", List.of("latest-production"), List.of()));
        assertThat(catalog.findByTag("widgetstore", "latest-production")).map(ImageRecord::id).contains(old);
        assertThat(catalog.find(building).orElseThrow().tags()).isEmpty();

        catalog.markReady(building, "widgets", 1L, Instant.parse("2026-11-21T11:00:00Z"));
        assertThat(catalog.findByTag("widgetstore", "latest-production")).map(ImageRecord::id).contains(building);
        assertThat(catalog.find(old).orElseThrow().tags()).containsExactly("v1");
        // tags are per name
        assertThat(catalog.findByTag("chinook", "latest-production")).map(ImageRecord::id).contains(otherName);
    }

    @Test
    void ofTwoBuildsTheNewerKeepsTheTagWhicheverIsReadyFirst()
    {
        ImageCatalog catalog = open();
        long older = catalog.insert(image("widgetstore", List.of("latest-production", "slow"), List.of()));
        long newer = catalog.insert(image("widgetstore", List.of("latest-production"), List.of()));
        catalog.markReady(newer, "widgets", 1L, Instant.parse("2026-11-21T10:00:00Z"));
        catalog.markReady(older, "widgets", 1L, Instant.parse("2026-11-21T11:00:00Z"));

        assertThat(catalog.findByTag("widgetstore", "latest-production")).map(ImageRecord::id).contains(newer);
        assertThat(catalog.find(older).orElseThrow().tags()).containsExactly("slow");
        // an explicit update takes the tag whatever the age
        catalog.update(older, new ImageChanges(null, List.of("latest-production"), List.of(), List.of(), List.of(), false, null));
        assertThat(catalog.findByTag("widgetstore", "latest-production")).map(ImageRecord::id).contains(older);
    }

    @Test
    void aFailedBuildTakesNoTag()
    {
        ImageCatalog catalog = open();
        long old = catalog.insert(image("widgetstore", List.of("latest-production"), List.of()));
        catalog.markReady(old, "widgets", 1L, Instant.parse("2026-11-21T10:00:00Z"));
        long failed = catalog.insert(image("widgetstore", List.of("latest-production"), List.of()));
        catalog.setStatus(failed, ResourceStatus.FAILED, "broken backup");

        assertThat(catalog.findByTag("widgetstore", "latest-production")).map(ImageRecord::id).contains(old);
        assertThat(catalog.find(failed).orElseThrow().tags()).isEmpty();
    }

    @Test
    void updatesMoveTagsAndRenamesKeepOnlyFreeTags()
    {
        ImageCatalog catalog = open();
        long first = ready(catalog, "widgetstore", List.of("stable", "v1"), List.of("myorg:developers"));
        long second = ready(catalog, "widgetstore", List.of("v2"), List.of());
        long other = ready(catalog, "scratch", List.of("stable", "mine"), List.of());

        catalog.update(second, new ImageChanges(null, List.of("stable"), List.of("v2"), List.of("myorg:dbas"), List.of(), true,
                Instant.parse("2026-11-28T10:00:00Z")));
        ImageRecord updated = catalog.find(second).orElseThrow();
        assertThat(updated.tags()).containsExactly("stable");
        assertThat(updated.teams()).containsExactly("myorg:dbas");
        assertThat(updated.expiresAt()).isEqualTo(Instant.parse("2026-11-28T10:00:00Z"));
        assertThat(catalog.find(first).orElseThrow().tags()).containsExactly("v1");

        // scratch's 'stable' would clash with widgetstore's: the renamed image drops it and keeps 'mine'
        catalog.update(other, new ImageChanges("widgetstore", List.of(), List.of(), List.of(), List.of(), true, null));
        ImageRecord renamed = catalog.find(other).orElseThrow();
        assertThat(renamed.name()).isEqualTo("widgetstore");
        assertThat(renamed.tags()).containsExactly("mine");
        assertThat(renamed.expiresAt()).isNull();
        assertThat(catalog.findByTag("widgetstore", "stable")).map(ImageRecord::id).contains(second);

        // teams removed, and tags added to an image being built wait until it is ready
        catalog.update(first, new ImageChanges(null, List.of(), List.of(), List.of(), List.of("myorg:developers"), false, null));
        assertThat(catalog.find(first).orElseThrow().teams()).isEmpty();
        long building = catalog.insert(image("widgetstore", List.of(), List.of()));
        catalog.update(building, new ImageChanges(null, List.of("stable"), List.of(), List.of(), List.of(), false, null));
        assertThat(catalog.pendingTags(building)).containsExactly("stable");
        assertThat(catalog.findByTag("widgetstore", "stable")).map(ImageRecord::id).contains(second);
    }

    @Test
    void theTagMigrationLeavesEachTagOnTheNewestReadyImageOfItsName()
            throws Exception
    {
        Path file = directory.resolve("catalog.db");
        SQLiteDataSource dataSource = new SQLiteDataSource();
        dataSource.setUrl("jdbc:sqlite:" + file);
        Flyway.configure().dataSource(dataSource).locations("classpath:db/migration").target("2").load().migrate();
        try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement()) {
            for (String row : List.of("1, 'w', 'READY'", "2, 'w', 'READY'", "3, 'w', 'FAILED'", "4, 'other', 'READY'")) {
                statement.execute("""
                        INSERT INTO images (id, name, status, engine, source_type, superuser_password, volume, owner, definition, source_directory, created_at)
                        VALUES (%s, 'postgresql', 'empty', 'secret', '', 'admin', '', '/tmp', '2026-11-21T09:00:00.000Z')
                        """.formatted(row));
            }
            statement.execute("INSERT INTO image_tags (image_id, tag) VALUES (1, 'latest'), (1, 'v1'), (2, 'latest'), (3, 'latest'), (4, 'latest')");
        }

        ImageCatalog catalog = open();
        assertThat(catalog.find(1).orElseThrow().tags()).containsExactly("v1");
        assertThat(catalog.find(2).orElseThrow().tags()).containsExactly("latest");
        assertThat(catalog.find(3).orElseThrow().tags()).isEmpty();
        assertThat(catalog.find(4).orElseThrow().tags()).containsExactly("latest");
        assertThat(catalog.findByTag("w", "latest")).map(ImageRecord::id).contains(2L);
    }

    @Test
    void removingAnImageRemovesItsLabels()
    {
        ImageCatalog catalog = open();
        long id = catalog.insert(image("gone", List.of("a"), List.of("org:team")));
        catalog.delete(id);
        assertThat(catalog.find(id)).isEmpty();
        assertThat(catalog.findByTag("gone", "a")).isEmpty();
        assertThat(catalog.pendingTags(id)).isEmpty();
    }

    @Test
    void recordsBuildStepsInOrderWithTheLastOneInTheTransactionThatMarksTheImageReady()
    {
        ImageCatalog catalog = open();
        long built = catalog.insert(image("built", List.of(), List.of()));
        long failed = catalog.insert(image("failed", List.of(), List.of()));
        long graduated = ready(catalog, "graduated", List.of(), List.of());
        catalog.addBuildStep(built, new ImageBuildStep("install", 12));
        catalog.addBuildStep(failed, new ImageBuildStep("install", 5));
        catalog.addBuildStep(built, new ImageBuildStep("load", 3400));
        catalog.markReady(built, "widgets", 1L, Instant.parse("2026-11-21T10:00:00Z"), Optional.of(new ImageBuildStep("mark-ready", 7)));

        ImageCatalog reopened = open();
        assertThat(reopened.find(built).orElseThrow().status()).isEqualTo(ResourceStatus.READY);
        assertThat(reopened.buildSteps(built)).containsExactly(
                new ImageBuildStep("install", 12), new ImageBuildStep("load", 3400), new ImageBuildStep("mark-ready", 7));
        assertThat(reopened.buildSteps(graduated)).isEmpty();
        assertThat(reopened.allBuildSteps()).isEqualTo(Map.of(
                built, List.of(new ImageBuildStep("install", 12), new ImageBuildStep("load", 3400), new ImageBuildStep("mark-ready", 7)),
                failed, List.of(new ImageBuildStep("install", 5))));
        reopened.delete(built);
        assertThat(reopened.buildSteps(built)).isEmpty();
        assertThat(reopened.allBuildSteps()).containsOnlyKeys(failed);
    }

    private ImageCatalog open()
    {
        return Catalog.open(directory.resolve("catalog.db")).images();
    }

    private static long ready(ImageCatalog catalog, String name, List<String> tags, List<String> teams)
    {
        long id = catalog.insert(image(name, tags, teams));
        catalog.markReady(id, "db", 1L, Instant.parse("2026-11-21T10:00:00Z"));
        return id;
    }

    @Test
    void insertsAnImageWithANewNameOnly()
    {
        ImageCatalog images = Catalog.open(directory.resolve("names.db")).images();
        OptionalLong first = images.insertWithNewName(image("graduated", List.of("latest"), List.of()));
        assertThat(first).isPresent();
        assertThat(images.insertWithNewName(image("graduated", List.of("latest"), List.of()))).isEmpty();
        assertThat(images.findByName("graduated")).extracting(ImageRecord::id).containsExactly(first.getAsLong());
        assertThat(images.pendingTags(first.getAsLong())).containsExactly("latest");
    }

    static ImageRecord image(String name, List<String> tags, List<String> teams)
    {
        return new ImageRecord(0, name, ResourceStatus.PENDING, null, null, "postgresql", "17", "17.6.0", "empty", null, "secret", "",
                null, "admin", "name: " + name, "/tmp", Instant.parse("2026-11-21T09:00:00Z"), null, null, tags, teams, null);
    }
}
