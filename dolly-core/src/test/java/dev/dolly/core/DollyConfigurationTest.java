package dev.dolly.core;

import dev.dolly.api.DollyException;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class DollyConfigurationTest
{
    @Test
    void readsMariaDbAndMySqlInstallations()
    {
        DollyConfiguration configuration = DollyConfiguration.fromEnvironment(Map.of(
                "DOLLY_HOME", "/var/lib/dolly-test",
                "DOLLY_MARIADB_INSTALLATIONS", "/usr/bin:/opt/mariadb-10.11/bin",
                "DOLLY_MYSQL_INSTALLATIONS", "8.0=/opt/mysql-8.0, 5.7 = /opt/mysql-5.7"));
        assertThat(configuration.mariadbInstallations()).containsExactly(Path.of("/usr/bin"), Path.of("/opt/mariadb-10.11/bin"));
        assertThat(configuration.mysqlInstallations()).containsExactlyInAnyOrderEntriesOf(Map.of("8.0", Path.of("/opt/mysql-8.0"), "5.7", Path.of("/opt/mysql-5.7")));
    }

    @Test
    void noInstallationsByDefault()
    {
        DollyConfiguration configuration = DollyConfiguration.fromEnvironment(Map.of("DOLLY_HOME", "/var/lib/dolly-test"));
        assertThat(configuration.mariadbInstallations()).isEqualTo(List.of());
        assertThat(configuration.mysqlInstallations()).isEmpty();
        assertThat(configuration.containerParameters("postgresql")).isEqualTo(configuration.postgresqlParameters()).isNotEmpty();
        assertThat(configuration.containerParameters("mysql")).isEmpty();
    }

    @Test
    void refusesMySqlInstallationsWithoutVersion()
    {
        for (String value : List.of("/opt/mysql-8.0", "eight=/opt/mysql", "8.0=")) {
            assertThatThrownBy(() -> DollyConfiguration.fromEnvironment(Map.of("DOLLY_HOME", "/var/lib/dolly-test", "DOLLY_MYSQL_INSTALLATIONS", value)))
                    .isInstanceOf(DollyException.class)
                    .hasMessageContaining("DOLLY_MYSQL_INSTALLATIONS")
                    .hasMessageContaining("8.0=/opt/mysql-8.0");
        }
    }
}
