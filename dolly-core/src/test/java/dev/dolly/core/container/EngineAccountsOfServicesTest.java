package dev.dolly.core.container;

import dev.dolly.api.DataContainer;
import dev.dolly.api.DataImage;
import dev.dolly.api.GraduateRequest;
import dev.dolly.api.ResourceStatus;
import dev.dolly.core.auth.Caller;
import dev.dolly.core.engine.EngineUidRange;
import dev.dolly.core.engine.EngineUser;
import dev.dolly.core.storage.VolumeKeys;
import dev.dolly.core.testing.FakeEngine.Operation;
import dev.dolly.core.testing.FakeEngineServices;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Set;

import static dev.dolly.core.testing.FakeEngineServices.definition;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The services give every container and image build an account of its own (a daemon running as root), record it,
 * bind the engine to it, and free it with what holds it. Giving volumes to accounts takes root.
 */
class EngineAccountsOfServicesTest
{
    private static final Caller ALICE = new Caller("alice", false, Set.of("org:devs"));
    private static final EngineUidRange RANGE = EngineUidRange.parse("2000000000-2000000099");

    @TempDir
    Path directory;

    private FakeEngineServices services;

    @BeforeEach
    void setUp()
    {
        assumeTrue(EngineUser.daemonUser().uid() == 0, "giving files to other accounts takes root");
        services = FakeEngineServices.withEngineAccounts(directory, RANGE);
    }

    @AfterEach
    void tearDown()
    {
        if (services != null) {
            services.close();
        }
    }

    @Test
    void everyBuildAndContainerRunsAsAnAccountOfItsOwn()
            throws IOException
    {
        DataImage image = services.readyImage(ALICE, "widgets");
        int imageUid = services.catalog().images().engineUid(image.id()).orElseThrow();
        assertThat(RANGE.contains(imageUid)).isTrue();
        // the image's files belong to its build's account
        Path imageVolume = services.storage().path(VolumeKeys.image(image.id()));
        assertThat(Files.getAttribute(imageVolume, "unix:uid", LinkOption.NOFOLLOW_LINKS)).isEqualTo(imageUid);
        // and its staging directory did, while the build read it (it is gone now)
        assertThat(services.configuration().uploadsDirectory()).isEmptyDirectory();
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(services.configuration().uploadsDirectory()))).isEqualTo("rwx--x--x");

        DataContainer first = services.createContainer(ALICE, "widgets", "first");
        DataContainer second = services.createContainer(ALICE, "widgets", "second");
        int firstUid = services.catalog().containers().engineUid(first.id()).orElseThrow();
        int secondUid = services.catalog().containers().engineUid(second.id()).orElseThrow();
        assertThat(Set.of(imageUid, firstUid, secondUid)).hasSize(3);
        assertThat(services.catalog().engineUidsInUse()).containsExactlyInAnyOrder(imageUid, firstUid, secondUid);
        // the engine was bound to each of them; never to the shared account
        assertThat(services.engine().accountsUsed()).extracting(EngineUser::uid).contains(imageUid, firstUid, secondUid)
                .allMatch(RANGE::contains);

        services.containers().delete("first", ALICE);
        assertThat(services.catalog().engineUidsInUse()).containsExactlyInAnyOrder(imageUid, secondUid);
        services.containers().delete("second", ALICE);
        services.images().delete(String.valueOf(image.id()), ALICE);
        assertThat(services.catalog().engineUidsInUse()).isEmpty();
    }

    @Test
    void aFailedBuildFreesItsAccount()
    {
        services.engine().fail(Operation.LOAD);
        DataImage failed = services.build(ALICE, definition("broken"));
        assertThat(failed.status()).isEqualTo(ResourceStatus.FAILED);
        assertThat(services.catalog().images().engineUid(failed.id())).isEmpty();
        assertThat(services.catalog().engineUidsInUse()).isEmpty();
        // the build did run as an account of its own
        assertThat(services.engine().accountsUsed()).isNotEmpty().extracting(EngineUser::uid).allMatch(RANGE::contains);
    }

    @Test
    void aGraduatedImageKeepsTheAccountItsFilesBelongTo()
    {
        DataImage image = services.readyImage(ALICE, "widgets");
        int imageUid = services.catalog().images().engineUid(image.id()).orElseThrow();
        DataContainer container = services.createContainer(ALICE, "widgets", "copy-1");
        int containerUid = services.catalog().containers().engineUid(container.id()).orElseThrow();
        services.revisions().save("copy-1", ALICE);
        DataImage graduated = services.revisions().graduate("copy-1", new GraduateRequest(null, "widgets-v2", List.of(), List.of()), ALICE);
        // the container's server sees its files through an ID-mapped view: on disk they are still the image's account's
        assertThat(services.catalog().images().engineUid(graduated.id())).contains(imageUid);

        services.containers().delete("copy-1", ALICE);
        services.images().delete("widgets", ALICE);
        assertThat(services.catalog().engineUidsInUse()).containsExactly(imageUid);
        DataContainer fromGraduated = services.createContainer(ALICE, "widgets-v2", "copy-2");
        assertThat(services.catalog().containers().engineUid(fromGraduated.id())).isPresent().get().isNotEqualTo(imageUid);
        services.containers().delete("copy-2", ALICE);
        services.images().delete("widgets-v2", ALICE);
        assertThat(services.catalog().engineUidsInUse()).doesNotContain(imageUid, containerUid);
    }
}
