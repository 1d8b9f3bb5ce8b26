package dev.dolly.core.runtime;

import dev.dolly.api.DollyException;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TestServerLimits
{
    @Test
    void readsSizesAndCounts()
    {
        assertThat(ServerLimits.fromEnvironment(Map.of())).isEqualTo(new ServerLimits(2L * 1024 * 1024 * 1024, 512));
        assertThat(ServerLimits.fromEnvironment(Map.of("DOLLY_CONTAINER_MEMORY_LIMIT", "512m", "DOLLY_CONTAINER_PIDS_LIMIT", "64")))
                .isEqualTo(new ServerLimits(512L * 1024 * 1024, 64));
        assertThat(ServerLimits.fromEnvironment(Map.of("DOLLY_CONTAINER_MEMORY_LIMIT", "4G")).memoryBytes()).isEqualTo(4L * 1024 * 1024 * 1024);
        assertThat(ServerLimits.fromEnvironment(Map.of("DOLLY_CONTAINER_MEMORY_LIMIT", "134217728")).memoryBytes()).isEqualTo(134217728L);
    }

    @Test
    void rejectsWhatIsNoLimit()
    {
        assertThatThrownBy(() -> ServerLimits.fromEnvironment(Map.of("DOLLY_CONTAINER_MEMORY_LIMIT", "lots")))
                .isInstanceOf(DollyException.class)
                .hasMessage("DOLLY_CONTAINER_MEMORY_LIMIT 'lots' must be a size such as 2g, 512m or a number of bytes.");
        assertThatThrownBy(() -> ServerLimits.fromEnvironment(Map.of("DOLLY_CONTAINER_MEMORY_LIMIT", "1m")))
                .hasMessage("DOLLY_CONTAINER_MEMORY_LIMIT '1m' is too small: a database server needs at least 64m.");
        assertThatThrownBy(() -> ServerLimits.fromEnvironment(Map.of("DOLLY_CONTAINER_PIDS_LIMIT", "many")))
                .hasMessage("DOLLY_CONTAINER_PIDS_LIMIT 'many' must be a number of processes, such as 512.");
        assertThatThrownBy(() -> ServerLimits.fromEnvironment(Map.of("DOLLY_CONTAINER_PIDS_LIMIT", "3")))
                .hasMessage("DOLLY_CONTAINER_PIDS_LIMIT '3' is too small: a database server needs at least 16 processes.");
    }

    @Test
    void namesServersAfterTheirDataDirectory()
    {
        Path data = Path.of("/var/lib/dolly/storage/containers/12/merged");
        String name = LocalProcessRuntime.serverName(data);
        String again = LocalProcessRuntime.serverName(Path.of("/var/lib/dolly/storage/containers/12/./merged"));
        String other = LocalProcessRuntime.serverName(Path.of("/var/lib/dolly/storage/containers/13/merged"));
        assertThat(name).matches("var-lib-dolly-storage-containers-12-merged-[0-9a-f]{12}");
        assertThat(again).isEqualTo(name);
        assertThat(other).isNotEqualTo(name);
        String deep = LocalProcessRuntime.serverName(Path.of("/a-very-long-directory-name/" + "x".repeat(80) + "/containers/1"));
        assertThat(deep).hasSizeLessThanOrEqualTo(48 + 13).matches("[^-.].*-containers-1-[0-9a-f]{12}");
    }
}
