package dev.dolly.core.engine.postgresql;

import dev.dolly.core.engine.Endpoint;
import dev.dolly.core.engine.EngineInstallation;
import dev.dolly.core.engine.EngineUser;
import dev.dolly.core.engine.ServerSettings;
import dev.dolly.core.storage.FileTrees;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Fetches another major version from Maven Central, and runs it. */
class PostgresDownloadTest
{
    private Path base;

    @AfterEach
    void deleteBase()
    {
        if (base != null) {
            FileTrees.deleteRecursively(base);
        }
    }

    @Test
    void downloadsAndRunsVersion14()
    {
        base = TemporaryDirectories.createBase();
        // the download cache outlives the test, so that repeated builds download once
        Path cache = Path.of("target", "postgresql-downloads").toAbsolutePath();
        PostgresBinaries binaries = new PostgresBinaries(base.resolve("engines"), cache, PostgresBinaries.MAVEN_CENTRAL, base.resolve("m2"), List.of());
        PostgresEngine engine = new PostgresEngine(binaries, EngineUser.resolve("dolly"));
        List<String> messages = Collections.synchronizedList(new ArrayList<>());

        EngineInstallation installation = engine.install("14", messages::add);

        assertThat(installation.majorVersion()).isEqualTo("14");
        assertThat(messages).contains("Unpacking PostgreSQL " + installation.version());
        assertThat(binaries.availableMajors()).contains("9.6", "14", "17");

        Path data = TemporaryDirectories.createDirectory(base, "data");
        engine.initialize(installation, data, "fourteen");
        int port = TemporaryDirectories.freePort();
        engine.start(installation, data, new ServerSettings("127.0.0.1", port, Map.of(), base.resolve("14.log")));
        try {
            assertThat(engine.serverVersion(new Endpoint("127.0.0.1", port, "postgres", "fourteen", "postgres"))).startsWith("PostgreSQL 14.");
        }
        finally {
            engine.stop(installation, data);
        }
    }
}
