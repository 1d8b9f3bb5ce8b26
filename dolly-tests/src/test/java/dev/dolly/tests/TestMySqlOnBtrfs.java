package dev.dolly.tests;

import dev.dolly.api.DataContainer;
import dev.dolly.api.DataImage;
import dev.dolly.api.ResourceStatus;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;

import static dev.dolly.tests.TestImagesAndContainers.count;
import static dev.dolly.tests.TestMySql.connect;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The MySQL engine's images from scripts folders and failing dumps, which do not depend on the storage driver: on
 * btrfs only, with the Chinook MySQL image made first as in {@link TestMySql}.
 */
@ParameterizedClass(name = "{0}")
@EnumSource(value = DriverUnderTest.class, names = "BTRFS")
class TestMySqlOnBtrfs
        extends DaemonOnDriver
{
    @Override
    String exampleImage()
    {
        return "chinook-mysql/image.yaml";
    }

    @Test
    void mariadbImagesFromScriptsFolders()
            throws Exception
    {
        Path directory = Files.createTempDirectory(daemon.home().getParent(), "scripts");
        Files.createDirectories(directory.resolve("schema"));
        Files.createDirectories(directory.resolve("data"));
        Files.writeString(directory.resolve("schema/01-tables.sql"), "CREATE TABLE widget (id INT PRIMARY KEY, name VARCHAR(40)) ENGINE=InnoDB;\n");
        Files.writeString(directory.resolve("schema/02-view.sql"), "CREATE VIEW widget_names AS SELECT name FROM widget;\n");
        Files.writeString(directory.resolve("data/01-rows.sql"), "INSERT INTO widget VALUES (1, 'sprocket'), (2, 'flange'), (3, 'grommet');\n");
        Files.writeString(directory.resolve("image.yaml"), """
                name: widgets
                sourceType: scripts
                engine: mariadb
                initialDatabaseName: shop
                scriptsFolders: [./schema, ./data]
                postScript: |
                  INSERT INTO widget VALUES (4, 'washer');
                """);
        dolly.succeed("create", "data-image", "-f", directory.resolve("image.yaml").toString(), "-q");
        DataImage image = dolly.json(DataImage.class, "get", "data-image", "widgets");
        assertThat(image.engine()).isEqualTo("mariadb");
        assertThat(image.engineVersion()).isEqualTo("11.4.5");
        DataContainer widgets = dolly.json(DataContainer.class, "create", "data-container", "-i", "widgets");
        assertThat(widgets.database()).isEqualTo("shop");
        assertThat(widgets.jdbcUrl()).startsWith("jdbc:mariadb://127.0.0.1:");
        try (Connection connection = connect(widgets); Statement statement = connection.createStatement()) {
            assertThat(count(statement, "SELECT COUNT(*) FROM widget_names")).isEqualTo(4);
        }
        dolly.succeed("delete", "data-container", widgets.name());
        dolly.succeed("delete", "data-image", "widgets");
    }

    @Test
    void aDumpThatFailsHalfwayNamesTheLineAndLeavesNothing()
            throws Exception
    {
        Path directory = Files.createTempDirectory(daemon.home().getParent(), "broken");
        StringBuilder dump = new StringBuilder("CREATE DATABASE broken_shop;\nUSE broken_shop;\nCREATE TABLE good (id INT);\n");
        for (int row = 3; row < 2001; row++) {
            dump.append("INSERT INTO good VALUES (").append(row).append(");\n");
        }
        dump.append("INSERT INTO good VALUES (1 'no comma');\n");
        dump.append("INSERT INTO good VALUES (-1);\n");
        Files.writeString(directory.resolve("broken.sql"), dump);
        Files.writeString(directory.resolve("image.yaml"), "name: broken\nsourceType: backup\nengine: mysql\nversion: 5.7\nbackup:\n  path: broken.sql\n");

        Cli.Result result = dolly.run("create", "data-image", "-f", directory.resolve("image.yaml").toString());
        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.stderr()).contains("broken.sql failed at line 2002").contains("ERROR 1064 (42000)");

        DataImage broken = dolly.json(DataImage.class, "get", "data-image", "broken");
        assertThat(broken.status()).isEqualTo(ResourceStatus.FAILED);
        assertThat(broken.statusMessage()).contains("broken.sql failed at line 2002");
        Path volume = daemon.home().resolve("storage/images/" + broken.id());
        assertThat(volume).doesNotExist();
        assertThat(Engines.mariadbProcessesUnder(volume)).isEmpty();
        assertThat(daemon.home().resolve("logs/engines/image-" + broken.id() + ".log")).doesNotExist();
        dolly.succeed("delete", "data-image", "broken");
    }
}
