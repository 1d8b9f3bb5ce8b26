package dev.dolly.core.engine.mariadb;

import dev.dolly.api.DollyException;
import dev.dolly.core.engine.EngineInstallation;
import dev.dolly.core.engine.EngineUser;
import dev.dolly.core.engine.ProgressListener;
import dev.dolly.core.storage.FileTrees;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Which server a requested version runs on. The MySQL installation here is a directory whose {@code bin/mysqld} is a
 * script that reports a version, as the real one does: resolving versions needs nothing more.
 */
class MariaDbVersionsTest
{
    private Path base;
    private MariaDbEngine mysql;
    private MariaDbEngine mariadb;

    @BeforeEach
    void createInstallations()
            throws IOException
    {
        base = Files.createTempDirectory("dolly-mariadb-versions");
        Path mysql80 = base.resolve("mysql-8.0");
        Files.createDirectories(mysql80.resolve("bin"));
        Path mysqld = mysql80.resolve("bin/mysqld");
        Files.writeString(mysqld, "#!/bin/sh\necho \"$0  Ver 8.0.36 for Linux on x86_64 (MySQL Community Server - GPL)\"\n");
        Files.setPosixFilePermissions(mysqld, PosixFilePermissions.fromString("rwxr-xr-x"));
        // an unreachable repository: resolving versions never downloads
        MariaDbBinaries binaries = new MariaDbBinaries(base.resolve("engines"), base.resolve("cache"), URI.create("http://127.0.0.1:9/maven2"), base.resolve("m2"),
                List.of(), Map.of("8.0", mysql80, "5.7", base.resolve("missing")));
        EngineUser engineUser = EngineUser.resolve("dolly");
        mysql = new MariaDbEngine(MariaDbEngine.MYSQL, binaries, engineUser, base.resolve("run"));
        mariadb = new MariaDbEngine(MariaDbEngine.MARIADB, binaries, engineUser, base.resolve("run"));
    }

    @AfterEach
    void deleteInstallations()
    {
        FileTrees.deleteRecursively(base);
    }

    @Test
    void mysqlRunsOnAConfiguredInstallationOfThatVersion()
    {
        assertThat(mysql.resolveVersion("8.0")).isEqualTo("8.0.36");
        EngineInstallation installation = mysql.install("8.0", ProgressListener.NONE);
        assertThat(installation.version()).isEqualTo("8.0.36");
        assertThat(installation.binDirectory()).isEqualTo(base.resolve("mysql-8.0/bin").toAbsolutePath());
        // the version an image records finds the same installation again
        assertThat(mysql.install("8.0.36", ProgressListener.NONE)).isEqualTo(installation);
        assertThat(mysql.describe().systemInstallations()).containsExactly("5.7 (MySQL, DOLLY_MYSQL_INSTALLATIONS)", "8.0 (MySQL, DOLLY_MYSQL_INSTALLATIONS)");
    }

    @Test
    void mysqlRunsOnMariaDbWithoutAnInstallation()
    {
        assertThat(mysql.resolveVersion("8.4")).isEqualTo("11.4.5-MariaDB");
        assertThat(mysql.resolveVersion(null)).isEqualTo("11.4.5-MariaDB");
        assertThat(mysql.resolveVersion("11.4.5-MariaDB")).isEqualTo("11.4.5-MariaDB");
        assertThatThrownBy(() -> mysql.resolveVersion("5.7"))
                .isInstanceOf(DollyException.class)
                .hasMessageContaining("DOLLY_MYSQL_INSTALLATIONS");
        assertThatThrownBy(() -> mysql.resolveVersion("latest")).hasMessageContaining("is not a MySQL version");
        assertThatThrownBy(() -> mysql.resolveVersion("42")).hasMessageContaining("MySQL 42 does not exist");
    }

    @Test
    void mariadbRunsTheBundledReleaseOrAConfiguredOne()
    {
        assertThat(mariadb.resolveVersion(null)).isEqualTo("11.4.5");
        assertThat(mariadb.resolveVersion("11")).isEqualTo("11.4.5");
        assertThat(mariadb.resolveVersion("11.4")).isEqualTo("11.4.5");
        assertThatThrownBy(() -> mariadb.resolveVersion("10.6"))
                .hasMessageContaining("MariaDB 10.6 is not available")
                .hasMessageContaining("DOLLY_MARIADB_INSTALLATIONS");
        assertThatThrownBy(() -> mariadb.install("8.0.36", ProgressListener.NONE)).hasMessageContaining("MariaDB 8.0.36 is not available");
    }
}
