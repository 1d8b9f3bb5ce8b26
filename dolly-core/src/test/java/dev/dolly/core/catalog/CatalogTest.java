package dev.dolly.core.catalog;

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

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

class CatalogTest
{
    @TempDir
    Path directory;

    @Test
    void storesImagesWithTagsAndTeamsAcrossReopening()
    {
        Catalog catalog = Catalog.open(directory.resolve("catalog.db"));
        long first = catalog.insertImage(image("widgetstore", List.of("latest-production"), List.of("myorg:developers")));
        long second = catalog.insertImage(image("widgetstore", List.of("run-42"), List.of()));
        catalog.markImageReady(first, "widgets", 1234L, Instant.parse("2026-11-21T10:00:00Z"));

        Catalog reopened = Catalog.open(directory.resolve("catalog.db"));
        ImageRecord stored = reopened.findImage(first).orElseThrow();
        assertThat(stored.status()).isEqualTo(ResourceStatus.READY);
        assertThat(stored.databaseName()).isEqualTo("widgets");
        assertThat(stored.sizeBytes()).isEqualTo(1234L);
        assertThat(stored.tags()).containsExactly("latest-production");
        assertThat(stored.teams()).containsExactly("myorg:developers");
        assertThat(reopened.findImagesByName("widgetstore")).extracting(ImageRecord::id).containsExactly(second, first);
        long third = reopened.insertImage(image("gadgets", List.of("b", "a", "c"), List.of("org:z", "org:a")));
        reopened.markImageReady(third, "gadgets", 1L, Instant.parse("2026-11-21T10:00:00Z"));
        assertThat(reopened.listImages()).extracting(ImageRecord::id, ImageRecord::tags, ImageRecord::teams).containsExactly(
                tuple(first, List.of("latest-production"), List.of("myorg:developers")),
                tuple(second, List.of(), List.of()),
                tuple(third, List.of("a", "b", "c"), List.of("org:a", "org:z")));
        assertThat(reopened.findImageByTag("gadgets", "b")).map(ImageRecord::tags).contains(List.of("a", "b", "c"));
        // the second is still being built: it holds its tag once it is ready
        assertThat(reopened.findImageByTag("widgetstore", "run-42")).isEmpty();
        assertThat(reopened.pendingTags(second)).containsExactly("run-42");
        reopened.markImageReady(second, "widgets", 1L, Instant.parse("2026-11-21T11:00:00Z"));
        assertThat(reopened.findImageByTag("widgetstore", "run-42")).map(ImageRecord::id).contains(second);
        assertThat(reopened.pendingTags(second)).isEmpty();
        assertThat(reopened.findImageByTag("widgetstore", "missing")).isEmpty();
    }

    @Test
    void aNewImageTakesOverItsTagsWhenItIsReady()
    {
        Catalog catalog = Catalog.open(directory.resolve("catalog.db"));
        long old = catalog.insertImage(image("widgetstore", List.of("latest-production", "v1"), List.of()));
        catalog.markImageReady(old, "widgets", 1L, Instant.parse("2026-11-21T10:00:00Z"));
        long otherName = catalog.insertImage(image("chinook", List.of("latest-production"), List.of()));
        catalog.markImageReady(otherName, "chinook", 1L, Instant.parse("2026-11-21T10:00:00Z"));

        long building = catalog.insertImage(image("widgetstore", List.of("latest-production"), List.of()));
        assertThat(catalog.findImageByTag("widgetstore", "latest-production")).map(ImageRecord::id).contains(old);
        assertThat(catalog.findImage(building).orElseThrow().tags()).isEmpty();

        catalog.markImageReady(building, "widgets", 1L, Instant.parse("2026-11-21T11:00:00Z"));
        assertThat(catalog.findImageByTag("widgetstore", "latest-production")).map(ImageRecord::id).contains(building);
        assertThat(catalog.findImage(old).orElseThrow().tags()).containsExactly("v1");
        // tags are per name
        assertThat(catalog.findImageByTag("chinook", "latest-production")).map(ImageRecord::id).contains(otherName);
    }

    @Test
    void ofTwoBuildsTheNewerKeepsTheTagWhicheverIsReadyFirst()
    {
        Catalog catalog = Catalog.open(directory.resolve("catalog.db"));
        long older = catalog.insertImage(image("widgetstore", List.of("latest-production", "slow"), List.of()));
        long newer = catalog.insertImage(image("widgetstore", List.of("latest-production"), List.of()));
        catalog.markImageReady(newer, "widgets", 1L, Instant.parse("2026-11-21T10:00:00Z"));
        catalog.markImageReady(older, "widgets", 1L, Instant.parse("2026-11-21T11:00:00Z"));

        assertThat(catalog.findImageByTag("widgetstore", "latest-production")).map(ImageRecord::id).contains(newer);
        assertThat(catalog.findImage(older).orElseThrow().tags()).containsExactly("slow");
        // an explicit update takes the tag whatever the age
        catalog.updateImage(older, new ImageChanges(null, List.of("latest-production"), List.of(), List.of(), List.of(), false, null));
        assertThat(catalog.findImageByTag("widgetstore", "latest-production")).map(ImageRecord::id).contains(older);
    }

    @Test
    void aFailedBuildTakesNoTag()
    {
        Catalog catalog = Catalog.open(directory.resolve("catalog.db"));
        long old = catalog.insertImage(image("widgetstore", List.of("latest-production"), List.of()));
        catalog.markImageReady(old, "widgets", 1L, Instant.parse("2026-11-21T10:00:00Z"));
        long failed = catalog.insertImage(image("widgetstore", List.of("latest-production"), List.of()));
        catalog.setImageStatus(failed, ResourceStatus.FAILED, "broken backup");

        assertThat(catalog.findImageByTag("widgetstore", "latest-production")).map(ImageRecord::id).contains(old);
        assertThat(catalog.findImage(failed).orElseThrow().tags()).isEmpty();
    }

    @Test
    void updatesMoveTagsAndRenamesKeepOnlyFreeTags()
    {
        Catalog catalog = Catalog.open(directory.resolve("catalog.db"));
        long first = ready(catalog, "widgetstore", List.of("stable", "v1"), List.of("myorg:developers"));
        long second = ready(catalog, "widgetstore", List.of("v2"), List.of());
        long other = ready(catalog, "scratch", List.of("stable", "mine"), List.of());

        catalog.updateImage(second, new ImageChanges(null, List.of("stable"), List.of("v2"), List.of("myorg:dbas"), List.of(), true,
                Instant.parse("2026-11-28T10:00:00Z")));
        ImageRecord updated = catalog.findImage(second).orElseThrow();
        assertThat(updated.tags()).containsExactly("stable");
        assertThat(updated.teams()).containsExactly("myorg:dbas");
        assertThat(updated.expiresAt()).isEqualTo(Instant.parse("2026-11-28T10:00:00Z"));
        assertThat(catalog.findImage(first).orElseThrow().tags()).containsExactly("v1");

        // scratch's 'stable' would clash with widgetstore's: the renamed image drops it and keeps 'mine'
        catalog.updateImage(other, new ImageChanges("widgetstore", List.of(), List.of(), List.of(), List.of(), true, null));
        ImageRecord renamed = catalog.findImage(other).orElseThrow();
        assertThat(renamed.name()).isEqualTo("widgetstore");
        assertThat(renamed.tags()).containsExactly("mine");
        assertThat(renamed.expiresAt()).isNull();
        assertThat(catalog.findImageByTag("widgetstore", "stable")).map(ImageRecord::id).contains(second);
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

        Catalog catalog = Catalog.open(file);
        assertThat(catalog.findImage(1).orElseThrow().tags()).containsExactly("v1");
        assertThat(catalog.findImage(2).orElseThrow().tags()).containsExactly("latest");
        assertThat(catalog.findImage(3).orElseThrow().tags()).isEmpty();
        assertThat(catalog.findImage(4).orElseThrow().tags()).containsExactly("latest");
        assertThat(catalog.findImageByTag("w", "latest")).map(ImageRecord::id).contains(2L);
    }

    private static long ready(Catalog catalog, String name, List<String> tags, List<String> teams)
    {
        long id = catalog.insertImage(image(name, tags, teams));
        catalog.markImageReady(id, "db", 1L, Instant.parse("2026-11-21T10:00:00Z"));
        return id;
    }

    @Test
    void acceptsOnlyValidUnexpiredTokens()
    {
        Catalog catalog = Catalog.open(directory.resolve("catalog.db"));
        Instant now = Instant.parse("2026-11-21T10:00:00.5Z");
        catalog.insertAccessToken("hash-1", "alice", TokenRecord.ACCESS_TOKEN, "test", now, null);
        catalog.insertAccessToken("hash-3", "alice", TokenRecord.SESSION, "session", now, now.plusSeconds(60));
        assertThat(catalog.useAccessToken("hash-1", now.plusSeconds(1))).map(TokenRecord::userName).contains("alice");
        // the record read is the one before this use
        assertThat(catalog.useAccessToken("hash-1", now.plusSeconds(2)).orElseThrow().lastUsedAt()).isEqualTo(now.plusSeconds(1));
        assertThat(catalog.useAccessToken("hash-2", now)).isEmpty();
        assertThat(catalog.useAccessToken("hash-3", now.plusSeconds(59))).isPresent();
        assertThat(catalog.useAccessToken("hash-3", now.plusSeconds(60))).isEmpty();
        assertThat(catalog.listAccessTokens("alice", TokenRecord.ACCESS_TOKEN)).extracting(TokenRecord::purpose).containsExactly("test");
    }

    @Test
    void hasTheLocalAdministratorAndKeepsUsersTeamsAndMembers()
    {
        Catalog catalog = Catalog.open(directory.resolve("catalog.db"));
        assertThat(catalog.findUser("admin")).map(UserRecord::admin).contains(true);
        Instant now = Instant.parse("2026-11-21T10:00:00Z");
        catalog.insertUser("alice", "hash", false, now);
        catalog.insertUser("bob", "hash", false, now);
        catalog.insertTeam("myorg:developers", now);
        catalog.updateTeamMembers("myorg:developers", List.of("alice", "bob"), List.of());
        catalog.updateTeamMembers("myorg:developers", List.of(), List.of("bob"));
        catalog.insertAccessToken("hash-alice", "alice", TokenRecord.ACCESS_TOKEN, "ci", now, null);
        catalog.insertTeam("myorg:analysts", now);
        catalog.updateTeamMembers("myorg:analysts", List.of("alice"), List.of());
        assertThat(catalog.findUser("alice").orElseThrow().teams()).containsExactly("myorg:analysts", "myorg:developers");
        assertThat(catalog.findUser("bob").orElseThrow().teams()).isEmpty();
        assertThat(catalog.listUsers()).extracting(UserRecord::name, UserRecord::teams).containsExactly(
                tuple("admin", List.of()), tuple("alice", List.of("myorg:analysts", "myorg:developers")), tuple("bob", List.of()));
        assertThat(catalog.findTeam("myorg:developers").orElseThrow().members()).containsExactly("alice");
        assertThat(catalog.findTeam("myorg:nobody")).isEmpty();

        catalog.deleteUser("alice");
        assertThat(catalog.findUser("alice")).isEmpty();
        assertThat(catalog.findTeam("myorg:developers").orElseThrow().members()).isEmpty();
        assertThat(catalog.useAccessToken("hash-alice", now)).isEmpty();
    }

    @Test
    void removingAnImageRemovesItsLabels()
    {
        Catalog catalog = Catalog.open(directory.resolve("catalog.db"));
        long id = catalog.insertImage(image("gone", List.of("a"), List.of("org:team")));
        catalog.deleteImage(id);
        assertThat(catalog.findImage(id)).isEmpty();
        assertThat(catalog.findImageByTag("gone", "a")).isEmpty();
    }

    private static ImageRecord image(String name, List<String> tags, List<String> teams)
    {
        return new ImageRecord(0, name, ResourceStatus.PENDING, null, null, "postgresql", "17", "17.6.0", "empty", null, "secret", "",
                null, "admin", "name: " + name, "/tmp", Instant.parse("2026-11-21T09:00:00Z"), null, null, tags, teams, null);
    }
}
