package dev.dolly.core.container;

import dev.dolly.api.CreateContainerRequest;
import dev.dolly.api.CreateImageRequest;
import dev.dolly.api.DataContainer;
import dev.dolly.api.DataImage;
import dev.dolly.api.DollyException;
import dev.dolly.api.ErrorCode;
import dev.dolly.api.ResourceStatus;
import dev.dolly.core.Dolly;
import dev.dolly.core.DollyConfiguration;
import dev.dolly.core.auth.Caller;
import dev.dolly.core.catalog.ContainerRecord;
import dev.dolly.core.engine.ConnectionStrings;
import dev.dolly.core.engine.Endpoint;
import dev.dolly.core.engine.Engine;
import dev.dolly.core.engine.EngineInstallation;
import dev.dolly.core.engine.EngineUser;
import dev.dolly.core.engine.LoadPlan;
import dev.dolly.core.engine.ProgressListener;
import dev.dolly.core.engine.ServerSettings;
import dev.dolly.core.engine.postgresql.PostgresBinaries;
import dev.dolly.core.engine.postgresql.PostgresEngine;
import dev.dolly.core.testing.FakeEngineServices;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A container's port taken by another program between the allocator's probe and the server's bind (an outgoing
 * connection that got it from the kernel): the creation moves the container to another port, on a real PostgreSQL.
 */
class TakenPortTest
{
    private static final Caller ALICE = new Caller("alice", true, Set.of());

    @TempDir
    Path directory;

    private final List<ServerSocket> takers = new CopyOnWriteArrayList<>();
    private Dolly dolly;

    @AfterEach
    void tearDown()
            throws IOException
    {
        if (dolly != null) {
            dolly.close();
        }
        for (ServerSocket taker : takers) {
            taker.close();
        }
    }

    @Test
    void aNewContainerWhosePortIsTakenBeforeItsServerBindsItStartsOnAnotherPort()
            throws IOException, SQLException
    {
        DataContainer container = createContainer("moved", true);

        assertThat(takers).hasSize(1);
        int takenPort = takers.getFirst().getLocalPort();
        assertThat(container.status()).isEqualTo(ResourceStatus.READY);
        assertThat(container.port()).isNotEqualTo(takenPort);
        assertThat(dolly.containers().load(container.id()).port()).isEqualTo(container.port());
        // the server answers on its new port with the container's own credentials
        ContainerRecord record = dolly.containers().load(container.id());
        try (Connection connection = DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + record.port() + "/" + record.databaseName(), record.userName(),
                record.password())) {
            assertThat(connection.isValid(5)).isTrue();
        }
        dolly.containers().delete("moved", ALICE);
    }

    @Test
    void aContainerWhoseOwnPortIsTakenFailsNamingItAndStartsOnItOnceItIsFree()
            throws IOException, SQLException
    {
        DataContainer container = createContainer("kept", false);
        ContainerRecord record = dolly.containers().load(container.id());
        dolly.containers().stopEngine(record);
        ServerSocket taker = new ServerSocket();
        takers.add(taker);
        taker.bind(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), record.port()));

        assertThatThrownBy(() -> dolly.containers().startEngine(record, record.password()))
                .isInstanceOfSatisfying(DollyException.class, failure -> assertThat(failure.errorCode()).isEqualTo(ErrorCode.ENGINE_FAILED))
                .hasMessageStartingWith("Port " + record.port() + " of data container 'kept' is taken by another program (5 tries over 4 s). Find it with 'ss -tanp sport = :"
                        + record.port() + "' and stop it");
        assertThat(dolly.containers().load(container.id()).status()).isEqualTo(ResourceStatus.STOPPED);

        // once the other program lets it go, the container starts on its own port: its connection details hold
        taker.close();
        dolly.containers().startEngine(record, record.password());
        assertThat(dolly.containers().load(container.id()).status()).isEqualTo(ResourceStatus.READY);
        try (Connection connection = DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + record.port() + "/" + record.databaseName(), record.userName(),
                record.password())) {
            assertThat(connection.isValid(5)).isTrue();
        }
        dolly.containers().delete("kept", ALICE);
    }

    /** A container of an empty PostgreSQL image; {@code takeItsPort}: another socket takes its port just before its server binds it. */
    private DataContainer createContainer(String name, boolean takeItsPort)
            throws IOException
    {
        AtomicBoolean takeNextPort = new AtomicBoolean();
        DollyConfiguration configuration = FakeEngineServices.configuration(directory.resolve("home"));
        PostgresBinaries binaries = new PostgresBinaries(configuration.home().resolve("engines"), configuration.downloadCache(), URI.create("http://127.0.0.1:9/maven2"),
                configuration.home().resolve("m2"), List.of());
        dolly = Dolly.open(configuration, List.of(new PortTakingEngine(new PostgresEngine(binaries, EngineUser.resolve(configuration.engineUser())), takeNextPort)));
        Path sources = Files.createDirectories(directory.resolve("sources"));
        DataImage image = dolly.images().create(new CreateImageRequest("name: empty\nsourceType: empty\nengine: postgresql\n", sources.toString(), null, List.of(),
                List.of(), null, null), ALICE, true);
        image = awaitImage(image.id());
        assertThat(image.status()).as(image.statusMessage()).isEqualTo(ResourceStatus.READY);
        takeNextPort.set(takeItsPort);
        return dolly.containers().create(new CreateContainerRequest("empty", name, null), ALICE);
    }

    private DataImage awaitImage(long id)
    {
        long deadline = System.nanoTime() + Duration.ofMinutes(3).toNanos();
        while (true) {
            DataImage image = dolly.images().view(dolly.images().load(id));
            if (image.status() != ResourceStatus.PENDING || System.nanoTime() > deadline) {
                return image;
            }
            try {
                Thread.sleep(50);
            }
            catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
    }

    /** PostgreSQL, except that another socket takes the port of the next start given a new password, just before it. */
    private final class PortTakingEngine
            implements Engine
    {
        private final Engine delegate;
        private final AtomicBoolean takeNextPort;

        PortTakingEngine(Engine delegate, AtomicBoolean takeNextPort)
        {
            this.delegate = delegate;
            this.takeNextPort = takeNextPort;
        }

        @Override
        public Engine runningAs(EngineUser account)
        {
            return new PortTakingEngine(delegate.runningAs(account), takeNextPort);
        }

        @Override
        public Engine readingSourcesAs(EngineUser reader)
        {
            return new PortTakingEngine(delegate.readingSourcesAs(reader), takeNextPort);
        }

        @Override
        public void startWithNewPassword(EngineInstallation installation, Path dataDirectory, ServerSettings settings, Endpoint superuser, String user, String newPassword)
        {
            if (takeNextPort.compareAndSet(true, false)) {
                try {
                    ServerSocket taker = new ServerSocket();
                    taker.bind(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), settings.port()));
                    takers.add(taker);
                }
                catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
            delegate.startWithNewPassword(installation, dataDirectory, settings, superuser, user, newPassword);
        }

        @Override
        public String name()
        {
            return delegate.name();
        }

        @Override
        public Set<String> aliases()
        {
            return delegate.aliases();
        }

        @Override
        public Map<String, String> containerParameters()
        {
            return delegate.containerParameters();
        }

        @Override
        public EngineInstallation install(String requestedVersion, ProgressListener progress)
        {
            return delegate.install(requestedVersion, progress);
        }

        @Override
        public String resolveVersion(String requestedVersion)
        {
            return delegate.resolveVersion(requestedVersion);
        }

        @Override
        public void initialize(EngineInstallation installation, Path dataDirectory, String superuserPassword)
        {
            delegate.initialize(installation, dataDirectory, superuserPassword);
        }

        @Override
        public Map<String, String> buildParameters()
        {
            return delegate.buildParameters();
        }

        @Override
        public void start(EngineInstallation installation, Path dataDirectory, ServerSettings settings)
        {
            delegate.start(installation, dataDirectory, settings);
        }

        @Override
        public void stop(EngineInstallation installation, Path dataDirectory)
        {
            delegate.stop(installation, dataDirectory);
        }

        @Override
        public boolean portTaken(ServerSettings settings)
        {
            return delegate.portTaken(settings);
        }

        @Override
        public boolean isRunning(EngineInstallation installation, Path dataDirectory)
        {
            return delegate.isRunning(installation, dataDirectory);
        }

        @Override
        public String prepareLoad(EngineInstallation installation, Endpoint superuser, LoadPlan plan, ProgressListener progress)
        {
            return delegate.prepareLoad(installation, superuser, plan, progress);
        }

        @Override
        public void checkDatabaseExists(EngineInstallation installation, Endpoint superuser, String database)
        {
            delegate.checkDatabaseExists(installation, superuser, database);
        }

        @Override
        public void execute(EngineInstallation installation, Endpoint superuser, String database, String sql, String label, ProgressListener progress)
        {
            delegate.execute(installation, superuser, database, sql, label, progress);
        }

        @Override
        public String restore(EngineInstallation installation, Endpoint superuser, String database, LoadPlan.Backup backup, ProgressListener progress)
        {
            return delegate.restore(installation, superuser, database, backup, progress);
        }

        @Override
        public String runScript(EngineInstallation installation, Endpoint superuser, String database, Path script, ProgressListener progress)
        {
            return delegate.runScript(installation, superuser, database, script, progress);
        }

        @Override
        public String load(EngineInstallation installation, Endpoint superuser, LoadPlan plan, ProgressListener progress)
        {
            return delegate.load(installation, superuser, plan, progress);
        }

        @Override
        public LoadPlan.BackupFormat backupFormat(Path backup)
        {
            return delegate.backupFormat(backup);
        }

        @Override
        public void seal(Endpoint superuser, int parallelism)
        {
            delegate.seal(superuser, parallelism);
        }

        @Override
        public void seal(Endpoint superuser)
        {
            delegate.seal(superuser);
        }

        @Override
        public void changePassword(Endpoint superuser, String user, String newPassword)
        {
            delegate.changePassword(superuser, user, newPassword);
        }

        @Override
        public int clientConnections(Endpoint superuser)
        {
            return delegate.clientConnections(superuser);
        }

        @Override
        public String serverVersion(Endpoint endpoint)
        {
            return delegate.serverVersion(endpoint);
        }

        @Override
        public dev.dolly.api.ServerInfo.EngineInfo describe()
        {
            return delegate.describe();
        }

        @Override
        public String defaultUser()
        {
            return delegate.defaultUser();
        }

        @Override
        public String defaultDatabase()
        {
            return delegate.defaultDatabase();
        }

        @Override
        public ConnectionStrings connectionStrings(Endpoint endpoint)
        {
            return delegate.connectionStrings(endpoint);
        }
    }
}
