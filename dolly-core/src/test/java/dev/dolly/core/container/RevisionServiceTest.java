package dev.dolly.core.container;

import dev.dolly.api.DataContainer;
import dev.dolly.api.DataImage;
import dev.dolly.api.ErrorCode;
import dev.dolly.api.GraduateRequest;
import dev.dolly.api.ImageOrigin;
import dev.dolly.api.NextStep;
import dev.dolly.api.ResourceStatus;
import dev.dolly.api.Revision;
import dev.dolly.core.auth.Caller;
import dev.dolly.core.storage.VolumeKeys;
import dev.dolly.core.testing.FakeEngine;
import dev.dolly.core.testing.FakeEngine.Operation;
import dev.dolly.core.testing.FakeEngineServices;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.Set;

import static dev.dolly.core.testing.DollyAssertions.assertFailsWith;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

/** Save, load, reset, graduate and delete of revisions, on a fake engine, the copy driver and the real catalog. */
class RevisionServiceTest
{
    private static final Caller ALICE = new Caller("alice", false, Set.of("org:devs"));
    private static final Caller BOB = new Caller("bob", false, Set.of("org:devs"));

    @TempDir
    Path directory;

    private FakeEngineServices services;
    private FakeEngine engine;
    private RevisionService revisions;
    private DataContainer container;

    @BeforeEach
    void setUp()
    {
        services = new FakeEngineServices(directory);
        engine = services.engine();
        revisions = services.revisions();
        services.readyImage(ALICE, "widgets", "teams: [org:devs]");
        container = services.createContainer(ALICE, "widgets", "copy-1");
    }

    @AfterEach
    void tearDown()
    {
        services.close();
    }

    @Test
    void savesLoadsAndResetsWithTheSameConnectionDetails()
    {
        insert("a");
        Revision first = revisions.save("copy-1", ALICE);
        assertThat(first.name()).isEqualTo("rev.1");
        assertThat(first.parent()).isEqualTo("rev.0");
        assertThat(first.current()).isTrue();
        assertThat(first.sizeBytes()).isPositive();
        assertThat(services.volumesOnDisk("revisions/" + container.id())).containsExactly(VolumeKeys.revision(container.id(), 1));
        // the server runs again, with the rows saved
        assertThat(rows()).containsExactly("a");

        insert("b");
        Revision second = revisions.save("copy-1", ALICE);
        assertThat(second.parent()).isEqualTo("rev.1");
        insert("c");

        assertThat(revisions.reset("copy-1", ALICE).revision()).isEqualTo("rev.2");
        assertThat(rows()).containsExactly("a", "b");

        DataContainer loaded = revisions.load("copy-1", "rev.1", ALICE);
        assertThat(loaded.revision()).isEqualTo("rev.1");
        assertThat(loaded.status()).isEqualTo(ResourceStatus.READY);
        assertThat(rows()).containsExactly("a");

        // rev.0 is the image: its password is replaced by the container's again
        DataContainer atImage = revisions.load("copy-1", "rev.0", ALICE);
        assertThat(atImage.port()).isEqualTo(container.port());
        assertThat(atImage.password()).isEqualTo(container.password());
        assertThat(rows()).isEmpty();

        assertThat(revisions.list("copy-1", ALICE)).extracting(Revision::name, Revision::current)
                .containsExactly(tuple("rev.0", true), tuple("rev.1", false), tuple("rev.2", false));
        // a save from rev.0 is a child of rev.0
        assertThat(revisions.save("copy-1", ALICE).parent()).isEqualTo("rev.0");
        assertThat(engine.runningPorts()).containsExactly(container.port());
    }

    @Test
    void refusesRevisionsThatDoNotExistAndOthersContainers()
    {
        int stops = engine.calls(Operation.STOP);
        assertFailsWith(ErrorCode.NOT_FOUND, NextStep.of(NextStep.Kind.LIST_REVISIONS, "copy-1"), () -> revisions.load("copy-1", "rev.4", ALICE))
                .hasMessage("Data container 'copy-1' has no revision rev.4.");
        assertFailsWith(ErrorCode.BAD_INPUT, () -> revisions.load("copy-1", "latest", ALICE))
                .hasMessage("'latest' is not a revision: revisions are named rev.0, rev.1, rev.2…");
        assertFailsWith(ErrorCode.BAD_INPUT, () -> revisions.load("copy-1", " ", ALICE));
        // a team member of the image does not see the container
        assertFailsWith(ErrorCode.NOT_FOUND, () -> revisions.save("copy-1", BOB));
        assertFailsWith(ErrorCode.NOT_FOUND, () -> revisions.list("copy-1", BOB));
        // nothing was stopped
        assertThat(engine.calls(Operation.STOP)).isEqualTo(stops);
        assertThat(engine.runningPorts()).containsExactly(container.port());
    }

    @Test
    void deletesOnlyRevisionsNothingNeeds()
    {
        revisions.save("copy-1", ALICE);
        revisions.save("copy-1", ALICE);

        assertFailsWith(ErrorCode.IN_USE, NextStep.of(NextStep.Kind.LOAD_ANOTHER_REVISION, "copy-1"), () -> revisions.delete("copy-1", "rev.2", ALICE))
                .hasMessage("Data container 'copy-1' is on rev.2.");
        assertFailsWith(ErrorCode.BAD_INPUT, () -> revisions.delete("copy-1", "rev.0", ALICE));

        assertThat(revisions.delete("copy-1", "rev.1", ALICE).name()).isEqualTo("rev.1");

        assertThat(revisions.list("copy-1", ALICE)).extracting(Revision::name).containsExactly("rev.0", "rev.2");
        assertThat(services.volumesOnDisk("revisions/" + container.id())).containsExactly(VolumeKeys.revision(container.id(), 2));
        assertFailsWith(ErrorCode.NOT_FOUND, () -> revisions.load("copy-1", "rev.1", ALICE));
    }

    @Test
    void graduatesARevisionIntoAnImageThatStandsAlone()
    {
        insert("a");
        revisions.save("copy-1", ALICE);
        insert("not saved");

        DataImage graduated = revisions.graduate("copy-1", new GraduateRequest(null, "widgets-v2", List.of("latest"), List.of("org:devs")), ALICE);

        assertThat(graduated.status()).isEqualTo(ResourceStatus.READY);
        assertThat(graduated.owner()).isEqualTo("alice");
        assertThat(graduated.tags()).containsExactly("latest");
        assertThat(graduated.teams()).containsExactly("org:devs");
        assertThat(graduated.origin()).isEqualTo(new ImageOrigin("copy-1", "rev.1", "widgets"));
        assertThat(services.volumesOnDisk("images")).contains(VolumeKeys.image(graduated.id()));

        // the container and its revisions can go: the image needs neither
        services.containers().delete("copy-1", ALICE);
        DataContainer fromGraduate = services.createContainer(BOB, "widgets-v2:latest", "bobs");
        assertThat(engine.rows(fromGraduate.port(), fromGraduate.password())).containsExactly("a");
    }

    @Test
    void refusesToGraduateTheImageItselfOrIntoATakenName()
    {
        revisions.save("copy-1", ALICE);

        assertFailsWith(ErrorCode.BAD_INPUT, () -> revisions.graduate("copy-1", new GraduateRequest("rev.0", null, List.of(), List.of()), ALICE))
                .hasMessageStartingWith("rev.0 of data container 'copy-1' is its image 'widgets' itself");
        assertFailsWith(ErrorCode.ALREADY_EXISTS, () -> revisions.graduate("copy-1", new GraduateRequest("rev.1", "widgets", List.of(), List.of()), ALICE))
                .hasMessage("A data image named 'widgets' exists already. Choose another name with --name.");
        assertFailsWith(ErrorCode.NOT_PERMITTED, () -> revisions.graduate("copy-1", new GraduateRequest("rev.1", "mine", List.of(), List.of("org:ops")), ALICE));

        DataImage defaultName = revisions.graduate("copy-1", new GraduateRequest(null, null, List.of(), List.of()), ALICE);
        assertThat(defaultName.name()).isEqualTo("copy-1-graduate-1");
        assertThat(services.images().list(ALICE)).extracting(DataImage::name).containsExactlyInAnyOrder("widgets", "copy-1-graduate-1");
    }

    @Test
    void aContainerWhoseServerDoesNotStartAfterASaveIsStoppedUntilItStartsAgain()
    {
        insert("a");
        engine.fail(Operation.START);

        assertFailsWith(ErrorCode.ENGINE_FAILED, () -> revisions.save("copy-1", ALICE));

        DataContainer stopped = services.containers().get("copy-1", ALICE);
        assertThat(stopped.status()).isEqualTo(ResourceStatus.STOPPED);
        assertThat(stopped.statusMessage()).isEqualTo("Could not start: The fake engine was told to fail start.");
        assertThat(engine.runningDirectories()).isEmpty();
        // the snapshot was taken before the start failed
        assertThat(stopped.revision()).isEqualTo("rev.1");

        engine.succeed(Operation.START);
        DataContainer reset = revisions.reset("copy-1", ALICE);
        assertThat(reset.status()).isEqualTo(ResourceStatus.READY);
        assertThat(rows()).containsExactly("a");
    }

    private void insert(String row)
    {
        engine.insertRow(container.port(), container.password(), row);
    }

    private List<String> rows()
    {
        return engine.rows(container.port(), container.password());
    }
}
