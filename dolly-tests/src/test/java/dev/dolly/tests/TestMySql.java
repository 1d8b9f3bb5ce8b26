package dev.dolly.tests;

import dev.dolly.api.DataContainer;
import dev.dolly.api.DataImage;
import dev.dolly.api.ResourceStatus;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;

import static dev.dolly.tests.TestImagesAndContainers.count;
import static dev.dolly.tests.TestImagesAndContainers.portIsFree;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The MySQL engine end to end, on MariaDB 11.4 (no MySQL installation is configured): the Chinook MySQL script as an
 * image, isolated containers, and revisions, on each storage driver in turn (one daemon per driver). Images from
 * scripts and failing dumps do not depend on the driver: {@link TestMySqlOnBtrfs} tests them on btrfs only.
 */
@ParameterizedClass(name = "{0}")
@EnumSource(DriverUnderTest.class)
class TestMySql
        extends DaemonOnDriver
{
    @Override
    String exampleImage()
    {
        return "chinook-mysql/image.yaml";
    }

    @Test
    void chinookContainersAreIsolatedAndSaveAndLoadTheirState()
            throws Exception
    {
        DataImage image = dolly.json(DataImage.class, "get", "data-image", "chinook-mysql");
        assertThat(image.status()).isEqualTo(ResourceStatus.READY);
        assertThat(image.engine()).isEqualTo("mysql");
        assertThat(image.requestedVersion()).isEqualTo("8.0");
        assertThat(image.engineVersion()).isEqualTo("11.4.5-MariaDB");
        assertThat(image.databaseName()).isEqualTo("Chinook");
        assertThat(dolly.succeed("get", "data-image", "chinook-mysql").stdout()).contains("mysql 8.0 (runs 11.4.5-MariaDB)");

        DataContainer first = dolly.json(DataContainer.class, "create", "data-container", "-i", "chinook-mysql", "-n", "first");
        DataContainer second = dolly.json(DataContainer.class, "create", "data-container", "-i", "chinook-mysql", "-n", "second");
        assertThat(first.port()).isNotEqualTo(second.port());
        assertThat(first.password()).hasSizeGreaterThanOrEqualTo(20).isNotEqualTo(second.password());
        assertThat(first.jdbcUrl()).isEqualTo("jdbc:mysql://127.0.0.1:" + first.port() + "/Chinook");
        assertThat(first.uri()).startsWith("mysql://dolly:");

        try (Connection connection = connect(first); Statement statement = connection.createStatement()) {
            assertThat(count(statement, "SELECT COUNT(*) FROM Track")).isEqualTo(3503);
            assertThat(count(statement, "SELECT COUNT(*) FROM InvoiceLine")).isEqualTo(2240);
            statement.execute("DELETE FROM InvoiceLine WHERE InvoiceId < 100");
        }
        long afterDelete = invoiceLines(first);
        assertThat(afterDelete).isLessThan(2240);
        assertThat(invoiceLines(second)).isEqualTo(2240);
        assertThatThrownBy(() -> DriverManager.getConnection("jdbc:mariadb://127.0.0.1:" + first.port() + "/", "root", ""))
                .hasMessageContaining("Access denied");

        assertThat(dolly.succeed("save", "data-container", "first", "-q").stdout().strip()).isEqualTo("rev.1");
        try (Connection connection = connect(first); Statement statement = connection.createStatement()) {
            statement.execute("DELETE FROM InvoiceLine");
            statement.execute("CREATE TABLE scratch (id INT)");
        }
        dolly.succeed("load", "data-container", "first", "-r", "rev.1");
        assertThat(invoiceLines(first)).isEqualTo(afterDelete);
        try (Connection connection = connect(first); Statement statement = connection.createStatement()) {
            assertThat(count(statement, "SELECT COUNT(*) FROM information_schema.tables WHERE table_name = 'scratch'")).isZero();
        }
        dolly.succeed("load", "data-container", "first", "-r", "rev.0");
        assertThat(invoiceLines(first)).isEqualTo(2240);

        dolly.succeed("graduate", "data-container", "first", "--revision", "rev.1", "--name", "chinook-trimmed");
        DataContainer graduated = dolly.json(DataContainer.class, "create", "data-container", "-i", "chinook-trimmed");
        assertThat(invoiceLines(graduated)).isEqualTo(afterDelete);

        // three servers (first, second, graduated), so that finding none after the deletion means something
        assertThat(Engines.mariadbProcessesUnder(daemon.home())).hasSize(3);
        if ("root".equals(System.getProperty("user.name"))) {
            // each container's server runs as an account of its own (issue 10), the graduated image's container too
            assertThat(Engines.mariadbProcessesUnder(daemon.home()).stream().map(Engines::uid).toList())
                    .doesNotHaveDuplicates()
                    .allMatch(Engines::isEngineAccount);
        }
        dolly.succeed("delete", "data-container", "first", "second", graduated.name());
        assertThat(Engines.mariadbProcessesUnder(daemon.home())).isEmpty();
        assertThat(portIsFree(first.port())).isTrue();
        assertThat(daemon.home().resolve("storage/containers/" + first.id())).doesNotExist();
    }

    static long invoiceLines(DataContainer container)
            throws SQLException
    {
        try (Connection connection = connect(container); Statement statement = connection.createStatement()) {
            return count(statement, "SELECT COUNT(*) FROM InvoiceLine");
        }
    }

    /** The container's JDBC URL names MySQL: the MariaDB driver accepts it when told to. */
    static Connection connect(DataContainer container)
            throws SQLException
    {
        String url = container.jdbcUrl().startsWith("jdbc:mysql:") ? container.jdbcUrl() + "?permitMysqlScheme" : container.jdbcUrl();
        return DriverManager.getConnection(url, container.user(), container.password());
    }
}
