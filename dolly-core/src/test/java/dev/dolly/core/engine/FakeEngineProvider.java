package dev.dolly.core.engine;

import dev.dolly.api.DollyException;
import dev.dolly.api.ServerInfo;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

import static java.util.Objects.requireNonNull;

/**
 * An engine provider that lives in the tests only, registered through {@code META-INF/services} of the test class
 * path: it shows that an engine is added without a change anywhere else. Its engine, {@code fake} (alias
 * {@code imitation}), knows versions and describes itself; it runs no server, and everything that would is refused.
 */
public final class FakeEngineProvider
        implements EngineProvider
{
    public static final String VERSIONS_VARIABLE = "DOLLY_FAKE_VERSIONS";

    @Override
    public String name()
    {
        return "Fake";
    }

    @Override
    public EngineFactory configure(Map<String, String> environment)
    {
        FakeConfiguration configuration = FakeConfiguration.fromEnvironment(environment);
        return context -> List.of(new FakeDatabaseEngine(configuration));
    }

    /** The fake engine's own settings: the versions it offers. */
    public record FakeConfiguration(List<String> versions)
    {
        private static final Pattern VERSION = Pattern.compile("\\d+\\.\\d+\\.\\d+");

        public FakeConfiguration
        {
            versions = List.copyOf(versions);
        }

        static FakeConfiguration fromEnvironment(Map<String, String> environment)
        {
            List<String> versions = new ArrayList<>();
            for (String version : environment.getOrDefault(VERSIONS_VARIABLE, "1.0.0,2.0.3,2.1.0").split(",")) {
                if (!VERSION.matcher(version.strip()).matches()) {
                    throw DollyException.badInput(VERSIONS_VARIABLE + " entry '" + version.strip() + "' must be a version such as 2.1.0.");
                }
                versions.add(version.strip());
            }
            versions.sort(Comparator.comparing(FakeConfiguration::sortKey));
            return new FakeConfiguration(versions);
        }

        private static String sortKey(String version)
        {
            StringBuilder key = new StringBuilder();
            for (String part : version.split("\\.")) {
                key.append(String.format("%08d", Integer.parseInt(part)));
            }
            return key.toString();
        }
    }

    static final class FakeDatabaseEngine
            implements Engine
    {
        private final FakeConfiguration configuration;

        FakeDatabaseEngine(FakeConfiguration configuration)
        {
            this.configuration = requireNonNull(configuration, "configuration is null");
        }

        @Override
        public String name()
        {
            return "fake";
        }

        @Override
        public Set<String> aliases()
        {
            return Set.of("imitation");
        }

        /** It runs nothing, as any account. */
        @Override
        public Engine runningAs(EngineUser account)
        {
            requireNonNull(account, "account is null");
            return this;
        }

        @Override
        public Engine readingSourcesAs(EngineUser reader)
        {
            requireNonNull(reader, "reader is null");
            return this;
        }

        /** The newest version of the requested major or minor, or the newest of all. */
        @Override
        public String resolveVersion(String requestedVersion)
        {
            List<String> matching = configuration.versions().stream()
                    .filter(version -> requestedVersion == null || version.equals(requestedVersion) || version.startsWith(requestedVersion + "."))
                    .toList();
            if (matching.isEmpty()) {
                throw DollyException.badInput("Fake has no version " + requestedVersion + ": use one of " + String.join(", ", configuration.versions()) + ".");
            }
            return matching.getLast();
        }

        @Override
        public ServerInfo.EngineInfo describe()
        {
            return new ServerInfo.EngineInfo(name(), configuration.versions().getLast(), List.of(), configuration.versions(), List.of());
        }

        @Override
        public EngineInstallation install(String requestedVersion, ProgressListener progress)
        {
            throw unsupported();
        }

        @Override
        public void initialize(EngineInstallation installation, Path dataDirectory, String superuserPassword)
        {
            throw unsupported();
        }

        @Override
        public Map<String, String> buildParameters()
        {
            return Map.of();
        }

        @Override
        public void start(EngineInstallation installation, Path dataDirectory, ServerSettings settings)
        {
            throw unsupported();
        }

        @Override
        public void stop(EngineInstallation installation, Path dataDirectory) {}

        @Override
        public boolean isRunning(EngineInstallation installation, Path dataDirectory)
        {
            return false;
        }

        @Override
        public String prepareLoad(EngineInstallation installation, Endpoint superuser, LoadPlan plan, ProgressListener progress)
        {
            throw unsupported();
        }

        @Override
        public void checkDatabaseExists(EngineInstallation installation, Endpoint superuser, String database)
        {
            throw unsupported();
        }

        @Override
        public void execute(EngineInstallation installation, Endpoint superuser, String database, String sql, String label, ProgressListener progress)
        {
            throw unsupported();
        }

        @Override
        public String restore(EngineInstallation installation, Endpoint superuser, String database, LoadPlan.Backup backup, ProgressListener progress)
        {
            throw unsupported();
        }

        @Override
        public String runScript(EngineInstallation installation, Endpoint superuser, String database, Path script, ProgressListener progress)
        {
            throw unsupported();
        }

        @Override
        public LoadPlan.BackupFormat backupFormat(Path backup)
        {
            return LoadPlan.BackupFormat.PLAIN;
        }

        @Override
        public void seal(Endpoint superuser, int parallelism)
        {
            throw unsupported();
        }

        @Override
        public void changePassword(Endpoint superuser, String user, String newPassword)
        {
            throw unsupported();
        }

        @Override
        public int clientConnections(Endpoint superuser)
        {
            throw unsupported();
        }

        @Override
        public String serverVersion(Endpoint endpoint)
        {
            throw unsupported();
        }

        @Override
        public String defaultUser()
        {
            return "faker";
        }

        @Override
        public String defaultDatabase()
        {
            return "fake";
        }

        @Override
        public ConnectionStrings connectionStrings(Endpoint endpoint)
        {
            throw unsupported();
        }

        private static UnsupportedOperationException unsupported()
        {
            return new UnsupportedOperationException("The fake engine runs no server");
        }
    }
}
