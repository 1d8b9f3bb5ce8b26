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
    void majorAndMinorVersionsResolveOnlyToCheckedBuilds()
    {
        List<String> available = List.of("14.22.0", "14.24.0", "14.25.0", "18.6.0", "18.7.0", "19.0.0", "19.1.0");

        // positive control: the newest checked builds are taken
        assertThat(PostgresVersions.resolve("14", available)).contains("14.24.0");
        assertThat(PostgresVersions.resolve("14.24", available)).contains("14.24.0");
        assertThat(PostgresVersions.resolve("18.0", available)).contains("18.6.0");
        // newer builds only by their exact versions
        assertThat(PostgresVersions.resolve("14.25", available)).isEmpty();
        assertThat(PostgresVersions.resolve("19", available)).isEmpty();
        assertThat(PostgresVersions.resolve("14.25.0", available)).contains("14.25.0");
        assertThat(PostgresVersions.resolve("19.1.0", available)).contains("19.1.0");
        assertThat(PostgresVersions.isChecked("18.6.0")).isTrue();
        assertThat(PostgresVersions.isChecked("18.7.0")).isFalse();
        assertThat(PostgresVersions.isChecked("19.0.0")).isFalse();

        DollyException unchecked = PostgresVersions.unknown("19", available);
        assertThat(unchecked.errorCode()).isEqualTo(ErrorCode.BAD_INPUT);
        assertThat(unchecked.getMessage())
                .isEqualTo("PostgreSQL 19 is only available in builds newer than those checked with this version of Dolly (19.0.0, 19.1.0). "
                        + "Ask for one by its exact version, such as 19.1.0, to run it anyway, or configure a PostgreSQL installation of the system.");
        assertThat(PostgresVersions.unknown("14.25", available).getMessage()).contains("(14.25.0)", "such as 14.25.0");
    }

    @Test
    void everyKnownMajorHasACheckedBuild()
    {
        assertThat(PostgresVersions.NEWEST_CHECKED.keySet()).containsExactlyInAnyOrderElementsOf(PostgresVersions.KNOWN_MAJORS);
        PostgresVersions.NEWEST_CHECKED.forEach((major, version) -> assertThat(PostgresVersions.major(version)).isEqualTo(major));
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
