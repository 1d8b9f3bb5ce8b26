package dev.dolly.junit;

import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class DollyDatabaseInfoTest
{
    @Test
    void jdbcUrlPerEngineWithoutThePassword()
    {
        DollyDatabaseInfo postgres = new DollyDatabaseInfo("postgresql", "chinook-k3vq9x", "127.0.0.1", 54321, "postgres", "secret", "chinook");
        assertThat(postgres.jdbcUrl()).isEqualTo("jdbc:postgresql://127.0.0.1:54321/chinook");
        assertThat(postgres.toString()).doesNotContain("secret").contains("chinook-k3vq9x");
        assertThat(new DollyDatabaseInfo("mysql", "shop-1", "db.example", 3306, "root", "secret", "shop").jdbcUrl())
                .isEqualTo("jdbc:mariadb://db.example:3306/shop");
    }

    @Test
    void aServerWithoutATokenSaysWhichToSet()
    {
        assertThatThrownBy(() -> new DaemonConnection(Map.of("DOLLY_SERVER", "https://dolly.example:7370")).connect())
                .hasMessageContaining("DOLLY_ACCESS_TOKEN is not set");
    }

    @Test
    void noDaemonAndNoCommandSaysHowToStartOne()
    {
        assertThatThrownBy(() -> new DaemonConnection(Map.of("DOLLY_HOME", "/nonexistent/dolly-home", "PATH", "/nonexistent/bin")).connect())
                .hasMessageContaining("No Dolly daemon runs for /nonexistent/dolly-home")
                .hasMessageContaining("dolly daemon start");
    }
}
