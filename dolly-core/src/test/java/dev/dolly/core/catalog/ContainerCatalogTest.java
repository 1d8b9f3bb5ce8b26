package dev.dolly.core.catalog;

import dev.dolly.api.ResourceStatus;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.OptionalLong;

import static dev.dolly.core.catalog.ImageCatalogTest.image;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

class ContainerCatalogTest
{
    private static final Instant CREATED = Instant.parse("2026-11-21T10:00:00.250Z");

    @TempDir
    Path directory;

    private Catalog catalog;
    private ContainerCatalog containers;
    private long image;
    private long otherImage;

    @BeforeEach
    void setUp()
    {
        catalog = Catalog.open(directory.resolve("catalog.db"));
        containers = catalog.containers();
        image = catalog.images().insert(image("widgetstore", List.of(), List.of()));
        otherImage = catalog.images().insert(image("chinook", List.of(), List.of()));
    }

    @Test
    void storesContainersAndFindsThemByIdNameAndImage()
    {
        long first = containers.insert(container("first", image, 54321, Instant.parse("2026-11-22T10:00:00Z")));
        long second = containers.insert(container("second", otherImage, 54322, null));
        long third = containers.insert(container("third", image, 54323, null));

        ContainerRecord stored = Catalog.open(directory.resolve("catalog.db")).containers().find(first).orElseThrow();
        assertThat(stored).isEqualTo(new ContainerRecord(first, "first", image, ResourceStatus.PENDING, null, "postgresql", "17.6.0", "localhost", 54321,
                "postgres", "password-first", "widgets", "", "rev.0", "alice", CREATED, Instant.parse("2026-11-22T10:00:00Z")));
        assertThat(containers.find(second).orElseThrow().expiresAt()).isNull();
        assertThat(containers.find(99)).isEmpty();
        assertThat(containers.findByName("second")).map(ContainerRecord::id).contains(second);
        assertThat(containers.findByName("missing")).isEmpty();
        assertThat(containers.list()).extracting(ContainerRecord::name).containsExactly("first", "second", "third");
        assertThat(containers.listOfImage(image)).extracting(ContainerRecord::id).containsExactly(first, third);
        assertThat(containers.listOfImage(otherImage)).extracting(ContainerRecord::id).containsExactly(second);

        containers.delete(first);
        assertThat(containers.find(first)).isEmpty();
        assertThat(containers.listOfImage(image)).extracting(ContainerRecord::id).containsExactly(third);
    }

    @Test
    void changesVolumeNameExpiryStatusAndRevision()
    {
        long id = containers.insert(container("before", image, 54321, null));
        containers.setVolume(id, "containers/" + id);
        containers.rename(id, "after");
        containers.setExpiry(id, Instant.parse("2026-11-23T10:00:00Z"));
        containers.setStatus(id, ResourceStatus.STOPPED, "Could not start: no space left");
        containers.setRevision(id, "rev.3");

        ContainerRecord changed = containers.find(id).orElseThrow();
        assertThat(changed.volume()).isEqualTo("containers/" + id);
        assertThat(changed.name()).isEqualTo("after");
        assertThat(containers.findByName("before")).isEmpty();
        assertThat(changed.expiresAt()).isEqualTo(Instant.parse("2026-11-23T10:00:00Z"));
        assertThat(changed.status()).isEqualTo(ResourceStatus.STOPPED);
        assertThat(changed.statusMessage()).isEqualTo("Could not start: no space left");
        assertThat(changed.revision()).isEqualTo("rev.3");

        containers.setExpiry(id, null);
        containers.setStatus(id, ResourceStatus.READY, null);
        ContainerRecord again = containers.find(id).orElseThrow();
        assertThat(again.expiresAt()).isNull();
        assertThat(again.status()).isEqualTo(ResourceStatus.READY);
        assertThat(again.statusMessage()).isNull();
    }

    @Test
    void keepsRevisionsAndNeverGivesOutANumberTwice()
    {
        long id = containers.insert(container("saved", image, 54321, null));
        long other = containers.insert(container("other", image, 54322, null));
        assertThat(containers.nextRevisionNumber(id)).isEqualTo(1);
        containers.insertRevision(new RevisionRecord(id, 1, 0, "revisions/" + id + "/1", CREATED, null));
        assertThat(containers.nextRevisionNumber(id)).isEqualTo(2);
        containers.insertRevision(new RevisionRecord(id, 2, 1, "revisions/" + id + "/2", CREATED.plusSeconds(1), 8192L));
        assertThat(containers.nextRevisionNumber(other)).isEqualTo(1);
        containers.insertRevision(new RevisionRecord(other, 1, 0, "revisions/" + other + "/1", CREATED, null));
        containers.setRevisionSize(id, 1, 4096);

        assertThat(containers.findRevision(id, 1)).contains(new RevisionRecord(id, 1, 0, "revisions/" + id + "/1", CREATED, 4096L));
        assertThat(containers.findRevision(id, 2)).contains(new RevisionRecord(id, 2, 1, "revisions/" + id + "/2", CREATED.plusSeconds(1), 8192L));
        assertThat(containers.findRevision(id, 3)).isEmpty();
        assertThat(containers.listRevisions(id)).extracting(RevisionRecord::number).containsExactly(1, 2);
        assertThat(containers.listAllRevisions()).extracting(RevisionRecord::containerId, RevisionRecord::number)
                .containsExactly(tuple(id, 1), tuple(id, 2), tuple(other, 1));

        // a deleted revision's number is not given out again
        containers.deleteRevision(id, 2);
        assertThat(containers.listRevisions(id)).extracting(RevisionRecord::number).containsExactly(1);
        assertThat(containers.nextRevisionNumber(id)).isEqualTo(3);

        // the container's revisions go with it
        containers.delete(id);
        assertThat(containers.listAllRevisions()).extracting(RevisionRecord::containerId).containsExactly(other);
    }

    @Test
    void aContainerIsRecordedOnlyWhileItsImageIsReadyAndAnImageIsMarkedDeletingOnlyWithoutContainers()
    {
        // PENDING: a build's image gets no container
        assertThat(containers.insertOfReadyImage(container("early", image, 54321, null), null)).isEmpty();
        catalog.images().markReady(image, "widgets", null, CREATED);
        catalog.images().markReady(otherImage, "chinook", null, CREATED);

        OptionalLong first = containers.insertOfReadyImage(container("first", image, 54321, null), 2000000007);
        assertThat(first).isPresent();
        assertThat(containers.find(first.getAsLong()).orElseThrow().name()).isEqualTo("first");
        assertThat(containers.engineUid(first.getAsLong())).contains(2000000007);
        // an image with a container is not marked; one without is, and then gets no container
        assertThat(catalog.images().markDeleting(image)).isFalse();
        assertThat(catalog.images().find(image).orElseThrow().status()).isEqualTo(ResourceStatus.READY);
        assertThat(catalog.images().markDeleting(otherImage)).isTrue();
        assertThat(catalog.images().markDeleting(otherImage)).isFalse();
        assertThat(containers.insertOfReadyImage(container("late", otherImage, 54322, null), null)).isEmpty();
        assertThat(containers.list()).extracting(ContainerRecord::name).containsExactly("first");
        // the next insert's ID is its own, not the last one's
        OptionalLong second = containers.insertOfReadyImage(container("second", image, 54323, null), null);
        assertThat(second.getAsLong()).isGreaterThan(first.getAsLong());
        assertThat(containers.find(second.getAsLong()).orElseThrow().name()).isEqualTo("second");
    }

    @Test
    void aContainerIsMarkedCreatedOnlyWhilePendingAndDeletingOnlyOnceCreated()
    {
        long id = containers.insert(container("first", image, 54321, null));
        assertThat(containers.markDeleting(id)).isFalse();
        assertThat(containers.markCreated(id)).isTrue();
        assertThat(containers.markCreated(id)).isFalse();
        assertThat(containers.markDeleting(id)).isTrue();
        assertThat(containers.find(id).orElseThrow().status()).isEqualTo(ResourceStatus.DELETING);
        // a deletion that failed halfway may be repeated
        assertThat(containers.markDeleting(id)).isTrue();
        assertThat(containers.markCreated(id)).isFalse();
        containers.delete(id);
        assertThat(containers.markDeleting(id)).isFalse();
    }

    private static ContainerRecord container(String name, long imageId, int port, Instant expiresAt)
    {
        return new ContainerRecord(0, name, imageId, ResourceStatus.PENDING, null, "postgresql", "17.6.0", "localhost", port, "postgres",
                "password-" + name, "widgets", "", "rev.0", "alice", CREATED, expiresAt);
    }
}
