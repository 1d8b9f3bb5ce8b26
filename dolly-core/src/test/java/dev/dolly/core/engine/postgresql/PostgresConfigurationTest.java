package dev.dolly.core.engine.postgresql;

import dev.dolly.api.DollyException;
import dev.dolly.api.ErrorCode;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PostgresConfigurationTest
{
    @Test
    void smallContainersByDefault()
    {
        PostgresConfiguration configuration = PostgresConfiguration.fromEnvironment(Map.of());
        assertThat(configuration).isEqualTo(PostgresConfiguration.defaults());
        assertThat(configuration.containerParameters()).containsEntry("shared_buffers", "16MB").containsEntry("max_connections", "20");
        assertThat(configuration.pgRestore()).isEmpty();
        assertThat(configuration.installations()).isEmpty();
    }

    @Test
    void readsItsOwnVariables()
    {
        PostgresConfiguration configuration = PostgresConfiguration.fromEnvironment(Map.of(
                "DOLLY_POSTGRESQL_SETTINGS", "shared_buffers=128MB, work_mem = 8MB,,",
                "DOLLY_PG_RESTORE", "/usr/lib/postgresql/17/bin/pg_restore",
                "DOLLY_POSTGRESQL_INSTALLATIONS", "/usr/lib/postgresql/15/bin::/usr/lib/postgresql/16/bin"));
        assertThat(configuration.containerParameters())
                .containsEntry("shared_buffers", "128MB")
                .containsEntry("work_mem", "8MB")
                .containsEntry("max_connections", "20");
        assertThat(configuration.pgRestore()).isEqualTo(Optional.of(Path.of("/usr/lib/postgresql/17/bin/pg_restore")));
        assertThat(configuration.installations()).containsExactly(Path.of("/usr/lib/postgresql/15/bin"), Path.of("/usr/lib/postgresql/16/bin"));
    }

    @Test
    void refusesSettingsWithoutValue()
    {
        assertThatThrownBy(() -> PostgresConfiguration.fromEnvironment(Map.of("DOLLY_POSTGRESQL_SETTINGS", "fsync=off,=on")))
                .isInstanceOfSatisfying(DollyException.class, exception -> assertThat(exception.errorCode()).isEqualTo(ErrorCode.BAD_INPUT))
                .hasMessage("DOLLY_POSTGRESQL_SETTINGS entry '=on' must be name=value, for example shared_buffers=128MB.");
    }
}
