package dev.dolly.core.engine.mariadb;

import dev.dolly.api.DollyException;
import dev.dolly.api.ErrorCode;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class MariaDbConfigurationTest
{
    @Test
    void readsMariaDbAndMySqlInstallations()
    {
        MariaDbConfiguration configuration = MariaDbConfiguration.fromEnvironment(Map.of(
                "DOLLY_MARIADB_INSTALLATIONS", "/usr/bin:/opt/mariadb-10.11/bin",
                "DOLLY_MYSQL_INSTALLATIONS", "8.0=/opt/mysql-8.0, 5.7 = /opt/mysql-5.7"));
        assertThat(configuration.mariadbInstallations()).containsExactly(Path.of("/usr/bin"), Path.of("/opt/mariadb-10.11/bin"));
        assertThat(configuration.mysqlInstallations()).containsExactlyInAnyOrderEntriesOf(Map.of("8.0", Path.of("/opt/mysql-8.0"), "5.7", Path.of("/opt/mysql-5.7")));
    }

    @Test
    void noInstallationsByDefault()
    {
        MariaDbConfiguration configuration = MariaDbConfiguration.fromEnvironment(Map.of());
        assertThat(configuration.mariadbInstallations()).isEqualTo(List.of());
        assertThat(configuration.mysqlInstallations()).isEmpty();
    }

    @Test
    void refusesMySqlInstallationsWithoutVersion()
    {
        for (String value : List.of("/opt/mysql-8.0", "eight=/opt/mysql", "8.0=")) {
            assertThatThrownBy(() -> MariaDbConfiguration.fromEnvironment(Map.of("DOLLY_MYSQL_INSTALLATIONS", value)))
                    .isInstanceOfSatisfying(DollyException.class, exception -> assertThat(exception.errorCode()).isEqualTo(ErrorCode.BAD_INPUT))
                    .hasMessage("DOLLY_MYSQL_INSTALLATIONS entry '" + value + "' must be version=directory, for example 8.0=/opt/mysql-8.0.");
        }
    }
}
