package dev.dolly.core.catalog;

import dev.dolly.api.ResourceStatus;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

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
        assertThat(reopened.findImageByTag("widgetstore", "run-42")).map(ImageRecord::id).contains(second);
        assertThat(reopened.findImageByTag("widgetstore", "missing")).isEmpty();
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
        assertThat(catalog.teamsOf("alice")).containsExactly("myorg:developers");
        assertThat(catalog.teamsOf("bob")).isEmpty();

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
