package dev.dolly.core.image;

import dev.dolly.api.CreateImageRequest;
import dev.dolly.api.DollyException;
import dev.dolly.api.ErrorCode;
import dev.dolly.api.Upload;
import dev.dolly.core.DollyConfiguration;
import dev.dolly.core.auth.Caller;
import dev.dolly.core.catalog.Catalog;
import dev.dolly.core.engine.EngineRegistry;
import dev.dolly.core.engine.EngineAccounts;
import dev.dolly.core.engine.EngineUser;
import dev.dolly.core.engine.PortAllocator;
import dev.dolly.core.quota.Quotas;
import dev.dolly.core.storage.CopyStorageDriver;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Where an image build's files may come from: an upload of the caller, or a directory for the local administrator only. */
class ImageSourcesTest
{
    private static final Caller ALICE = new Caller("alice", false, Set.of());
    private static final Caller BOB = new Caller("bob", false, Set.of());

    private static final String DEFINITION = "name: widgets\nsourceType: backup\nengine: postgresql\nbackup:\n  file: dump.sql\n";

    @TempDir
    Path directory;

    private ExecutorService builds;
    private Uploads uploads;
    private ImageService images;

    @BeforeEach
    void setUp()
    {
        DollyConfiguration configuration = DollyConfiguration.fromEnvironment(Map.of("DOLLY_HOME", directory.resolve("home").toString()));
        Catalog catalog = Catalog.open(directory.resolve("catalog.db"));
        uploads = new Uploads(configuration.uploadsDirectory(), Clock.systemUTC());
        uploads.removeLeftovers();
        builds = Executors.newSingleThreadExecutor();
        // no engine: every definition is refused after its source was checked, before anything is built
        images = new ImageService(catalog, new EngineRegistry(List.of()), new CopyStorageDriver(directory.resolve("storage")),
                EngineAccounts.sharedOnly(EngineUser.resolve(configuration.engineUser())), new PortAllocator("127.0.0.1", 54320, 54330, Set::of), configuration, uploads,
                new Quotas(configuration.quotas(), catalog), builds,
                Clock.systemUTC());
    }

    @AfterEach
    void tearDown()
    {
        builds.shutdownNow();
    }

    @Test
    void onlyTheLocalAdministratorNamesADirectory()
    {
        CreateImageRequest request = new CreateImageRequest(DEFINITION, directory.toString(), null, List.of(), List.of(), null, null);

        assertThatThrownBy(() -> images.create(request, ALICE, false))
                .isInstanceOfSatisfying(DollyException.class, exception -> assertThat(exception.errorCode()).isEqualTo(ErrorCode.BAD_INPUT))
                .hasMessage("Only the local administrator may build from a directory on the daemon's machine. "
                        + "Upload the definition's files instead: the dolly CLI does so when it talks to a server.");
        // the local administrator gets past the gate, to the definition (refused here for want of an engine)
        assertThatThrownBy(() -> images.create(request, Caller.administrator("admin"), true))
                .isInstanceOfSatisfying(DollyException.class, exception -> assertThat(exception.errorCode()).isEqualTo(ErrorCode.BAD_INPUT))
                .hasMessageStartingWith("Unknown engine 'postgresql'");
    }

    @Test
    void needsAnUploadOrADirectoryButNotBoth()
    {
        String message = "An image request names either an upload of the definition's files or, for the local administrator, "
                + "their directory on the daemon's machine: one of the two.";
        assertThatThrownBy(() -> images.create(new CreateImageRequest(DEFINITION, null, null, List.of(), List.of(), null, null), Caller.administrator("admin"), true))
                .hasMessage(message);
        assertThatThrownBy(() -> images.create(new CreateImageRequest(DEFINITION, directory.toString(), null, List.of(), List.of(), null, "abc"), Caller.administrator("admin"), true))
                .hasMessage(message);
    }

    @Test
    void anUploadServesItsOwnerOnceAndGoesWhenRefused()
            throws Exception
    {
        Upload upload = uploads.receive(new ByteArrayInputStream(zip("dump.sql", "select 1;")), 9, "alice");
        CreateImageRequest request = new CreateImageRequest(DEFINITION, null, null, List.of(), List.of(), null, upload.id());

        assertThatThrownBy(() -> images.create(request, BOB, false))
                .isInstanceOfSatisfying(DollyException.class, exception -> assertThat(exception.errorCode()).isEqualTo(ErrorCode.NOT_FOUND));
        assertThat(uploads.exists(upload.id())).isTrue();

        // the owner gets past the gate; the definition is refused (no engine here), and the staging directory goes
        assertThatThrownBy(() -> images.create(request, ALICE, false))
                .isInstanceOfSatisfying(DollyException.class, exception -> assertThat(exception.errorCode()).isEqualTo(ErrorCode.BAD_INPUT))
                .hasMessageStartingWith("Unknown engine 'postgresql'");
        assertThat(uploads.exists(upload.id())).isFalse();
        assertThatThrownBy(() -> images.create(request, ALICE, false))
                .isInstanceOfSatisfying(DollyException.class, exception -> assertThat(exception.errorCode()).isEqualTo(ErrorCode.NOT_FOUND));
    }

    private static byte[] zip(String name, String content)
            throws Exception
    {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(bytes)) {
            zip.putNextEntry(new ZipEntry(name));
            zip.write(content.getBytes(StandardCharsets.UTF_8));
            zip.closeEntry();
        }
        return bytes.toByteArray();
    }
}
