package dev.dolly.core.engine.postgresql;

import dev.dolly.api.DollyException;
import dev.dolly.api.ErrorCode;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class PostgresVersionsTest
{
    private static final List<String> AVAILABLE = List.of(
            "9.6.10", "9.6.24", "9.6.13", "10.5.0", "10.5.0-1", "10.23.0", "14.0.0", "14.5.0", "14.10.0", "14.10.1", "14.22.0", "14.9.0", "17.6.0", "18.0.0");

    @Test
    void majorVersionMeansItsNewestRelease()
    {
        assertThat(PostgresVersions.resolve("14", AVAILABLE)).contains("14.22.0");
        assertThat(PostgresVersions.resolve("14.0", AVAILABLE)).contains("14.22.0");
        assertThat(PostgresVersions.resolve("9.6", AVAILABLE)).contains("9.6.24");
        assertThat(PostgresVersions.resolve("9", AVAILABLE)).contains("9.6.24");
        assertThat(PostgresVersions.resolve("10", AVAILABLE)).contains("10.23.0");
    }

    @Test
    void minorVersionMeansItsNewestBuild()
    {
        assertThat(PostgresVersions.resolve("14.5", AVAILABLE)).contains("14.5.0");
        assertThat(PostgresVersions.resolve("14.10", AVAILABLE)).contains("14.10.1");
        assertThat(PostgresVersions.resolve("10.5", AVAILABLE)).contains("10.5.0-1");
        assertThat(PostgresVersions.resolve("14.6", AVAILABLE)).isEmpty();
    }

    @Test
    void exactVersionMeansItself()
    {
        assertThat(PostgresVersions.resolve("14.5.0", AVAILABLE)).contains("14.5.0");
        assertThat(PostgresVersions.resolve("9.6.13", AVAILABLE)).contains("9.6.13");
        assertThat(PostgresVersions.resolve("10.5.0", AVAILABLE)).contains("10.5.0");
        assertThat(PostgresVersions.resolve("14.5.1", AVAILABLE)).isEmpty();
    }

    @Test
    void unknownVersions()
    {
        assertThat(PostgresVersions.resolve("99", AVAILABLE)).isEmpty();
        assertThat(PostgresVersions.resolve("abc", AVAILABLE)).isEmpty();
        assertThat(PostgresVersions.resolve("1.2.3.4", AVAILABLE)).isEmpty();

        DollyException exception = PostgresVersions.unknown("99", AVAILABLE);
        assertThat(exception.errorCode()).isEqualTo(ErrorCode.BAD_INPUT);
        assertThat(exception.getMessage()).contains("'99'", "9.6, 10, 14, 17, 18");
        assertThat(PostgresVersions.unknown("99", List.of()).getMessage()).contains("9.6, 10, 11, 12, 13, 14, 15, 16, 17, 18");
    }

    @Test
    void majorVersions()
    {
        assertThat(PostgresVersions.major("17.6.0")).isEqualTo("17");
        assertThat(PostgresVersions.major("9.6.24")).isEqualTo("9.6");
        assertThat(PostgresVersions.major("15.18")).isEqualTo("15");
        assertThat(PostgresVersions.majors(AVAILABLE)).containsExactly("9.6", "10", "14", "17", "18");
    }

    @Test
    void systemVersionsMatchRequests()
    {
        assertThat(PostgresVersions.matches("15", "15.18")).isTrue();
        assertThat(PostgresVersions.matches("15.18", "15.18")).isTrue();
        assertThat(PostgresVersions.matches("15.17", "15.18")).isFalse();
        assertThat(PostgresVersions.matches("16", "15.18")).isFalse();
        assertThat(PostgresVersions.matches("17.6", "17.6.0")).isTrue();
    }
}
