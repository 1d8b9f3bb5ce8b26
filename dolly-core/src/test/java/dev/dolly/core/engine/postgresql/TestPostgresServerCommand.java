package dev.dolly.core.engine.postgresql;

import dev.dolly.api.DollyException;
import dev.dolly.core.engine.EngineInstallation;
import dev.dolly.core.engine.EngineUser;
import dev.dolly.core.engine.ServerSettings;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The command line of {@code postgres}: what Dolly relies on comes last, where nothing in the data directory can override it. */
class TestPostgresServerCommand
{
    private static final EngineInstallation INSTALLATION = new EngineInstallation("postgresql", "17.6.0", Path.of("/opt/pg/17/bin"));
    private static final Path HBA = Path.of("/var/lib/dolly/run/a/pg_hba.conf");

    @TempDir
    Path data;

    private final PostgresEngine engine = new PostgresEngine(new PostgresBinaries(Path.of("/nonexistent/engines"), Path.of("/nonexistent/cache")),
            EngineUser.resolve("dolly"));

    @Test
    void settingsDollyReliesOnComeLast()
    {
        List<String> command = engine.serverCommand(INSTALLATION, data, settings(Map.of("shared_buffers", "256MB", "port", "1")), HBA);
        assertThat(command).containsExactly("/opt/pg/17/bin/postgres", "-D", data.toString(),
                "-c", "port=1",
                "-c", "shared_buffers=256MB",
                "-c", "data_directory=" + data,
                "-c", "hba_file=" + HBA,
                "-c", "listen_addresses=127.0.0.1",
                "-c", "port=54321",
                "-c", "unix_socket_directories=",
                "-c", "password_encryption=scram-sha-256");
    }

    @Test
    void containersOfImagesOfEarlierVersionsGetTheDefaultsBackOverTheirBuildSettings()
            throws IOException
    {
        Files.writeString(data.resolve("dolly.conf"), "fsync = 'off'\nmax_connections = '20'\n");
        List<String> container = engine.serverCommand(INSTALLATION, data, settings(Map.of("max_connections", "50")), HBA);
        assertThat(container).containsSubsequence("-c", "fsync=on").containsSubsequence("-c", "max_connections=50").doesNotContain("max_connections=100");
        // an image build keeps its own settings
        List<String> build = engine.serverCommand(INSTALLATION, data, settings(engine.buildParameters()), HBA);
        assertThat(build).containsSubsequence("-c", "fsync=off").doesNotContain("fsync=on");
    }

    @Test
    void rejectsSettingsThatAreNoSettings()
    {
        assertThatThrownBy(() -> engine.serverCommand(INSTALLATION, data, settings(Map.of("shared buffers", "1")), HBA))
                .isInstanceOf(DollyException.class)
                .hasMessage("'shared buffers' is not a PostgreSQL setting name: use names such as shared_buffers.");
        assertThatThrownBy(() -> engine.serverCommand(INSTALLATION, data, settings(Map.of("work_mem", "1\nport=2")), HBA))
                .hasMessage("The value of the PostgreSQL setting work_mem must fit on one line.");
    }

    private ServerSettings settings(Map<String, String> parameters)
    {
        return new ServerSettings("127.0.0.1", 54321, parameters, data.resolve("server.log"));
    }
}
