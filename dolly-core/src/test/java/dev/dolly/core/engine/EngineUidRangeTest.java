package dev.dolly.core.engine;

import dev.dolly.api.DollyException;
import dev.dolly.api.ErrorCode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class EngineUidRangeTest
{
    @TempDir
    Path directory;

    @Test
    void parsesARange()
    {
        EngineUidRange range = EngineUidRange.parse(" 3000000-3000009 ");
        assertThat(range.first()).isEqualTo(3_000_000);
        assertThat(range.last()).isEqualTo(3_000_009);
        assertThat(range.size()).isEqualTo(10);
        assertThat(range.contains(3_000_009)).isTrue();
        assertThat(range.contains(3_000_010)).isFalse();
        assertThat(range).hasToString("3000000-3000009");
        assertThat(EngineUidRange.DEFAULT).hasToString("2000000000-2000099999");
    }

    @Test
    void refusesWhatIsNotARangeOfUnprivilegedIds()
    {
        for (String text : new String[] {"2000000000", "a-b", "5-", "-5", "1-2-3", "100-200", "3000-2000", "2000000000-4294967295", ""}) {
            assertThatThrownBy(() -> EngineUidRange.parse(text))
                    .as(text)
                    .isInstanceOf(DollyException.class)
                    .hasMessageStartingWith("DOLLY_ENGINE_UIDS '" + text + "' must be")
                    .extracting(e -> ((DollyException) e).errorCode()).isEqualTo(ErrorCode.BAD_INPUT);
        }
    }

    @Test
    void acceptsARangeNothingUses()
            throws IOException
    {
        Files.writeString(directory.resolve("passwd"), """
                root:x:0:0:root:/root:/bin/bash
                # a comment
                nobody:x:65534:65534:nobody:/nonexistent:/usr/sbin/nologin
                dolly:x:999:995::/nonexistent:/usr/sbin/nologin
                """);
        Files.writeString(directory.resolve("group"), "root:x:0:\ndolly:x:995:\n");
        Files.writeString(directory.resolve("subuid"), "alice:100000:65536\n");
        Files.writeString(directory.resolve("subgid"), "alice:100000:65536\n");
        EngineUidRange.DEFAULT.checkUnused(directory.resolve("passwd"), directory.resolve("group"), directory.resolve("subuid"), directory.resolve("subgid"));
        // files that do not exist hold no clash
        EngineUidRange.DEFAULT.checkUnused(directory.resolve("none"), directory.resolve("none"), directory.resolve("none"), directory.resolve("none"));
    }

    @Test
    void namesTheAccountThatUsesAnIdOfTheRange()
            throws IOException
    {
        Files.writeString(directory.resolve("passwd"), "root:x:0:0:root:/root:/bin/bash\nbuild:x:2000000005:100::/home/build:/bin/sh\n");
        assertThatThrownBy(() -> EngineUidRange.DEFAULT.checkUnused(directory.resolve("passwd"), missing(), missing(), missing()))
                .isInstanceOf(DollyException.class)
                .hasMessage("DOLLY_ENGINE_UIDS=2000000000-2000099999 overlaps the user 'build' (ID 2000000005) in " + directory.resolve("passwd")
                        + ": engine processes must not share an ID with any account. Set DOLLY_ENGINE_UIDS to a range of IDs nothing on this machine uses "
                        + "(the default is 2000000000-2000099999).");

        Files.writeString(directory.resolve("passwd"), "build:x:1500:2000000007::/home/build:/bin/sh\n");
        assertThatThrownBy(() -> EngineUidRange.DEFAULT.checkUnused(directory.resolve("passwd"), missing(), missing(), missing()))
                .hasMessageStartingWith("DOLLY_ENGINE_UIDS=2000000000-2000099999 overlaps the primary group of user 'build' (ID 2000000007) in ");
    }

    @Test
    void namesTheGroupThatUsesAnIdOfTheRange()
            throws IOException
    {
        Files.writeString(directory.resolve("group"), "staff:x:50:\nbuilders:x:2000099999:alice\n");
        assertThatThrownBy(() -> EngineUidRange.DEFAULT.checkUnused(missing(), directory.resolve("group"), missing(), missing()))
                .hasMessageStartingWith("DOLLY_ENGINE_UIDS=2000000000-2000099999 overlaps the group 'builders' (ID 2000099999) in " + directory.resolve("group"));
    }

    @Test
    void namesTheSubordinateRangeThatOverlaps()
            throws IOException
    {
        // ends on the range's first ID
        Files.writeString(directory.resolve("subuid"), "alice:100000:65536\nbob:1999934465:65536\n");
        assertThatThrownBy(() -> EngineUidRange.DEFAULT.checkUnused(missing(), missing(), directory.resolve("subuid"), missing()))
                .hasMessageStartingWith("DOLLY_ENGINE_UIDS=2000000000-2000099999 overlaps the subordinate UIDs 1999934465-2000000000 of 'bob' in "
                        + directory.resolve("subuid"));
        // ends just before it
        Files.writeString(directory.resolve("subuid"), "bob:1999934464:65536\n");
        EngineUidRange.DEFAULT.checkUnused(missing(), missing(), directory.resolve("subuid"), missing());

        Files.writeString(directory.resolve("subgid"), "carol:2000050000:1\n");
        assertThatThrownBy(() -> EngineUidRange.DEFAULT.checkUnused(missing(), missing(), missing(), directory.resolve("subgid")))
                .hasMessageStartingWith("DOLLY_ENGINE_UIDS=2000000000-2000099999 overlaps the subordinate GIDs 2000050000-2000050000 of 'carol' in ");
    }

    @Test
    void refusesSystemdsDynamicUsersAndNobody()
    {
        assertThatThrownBy(() -> EngineUidRange.parse("60000-61184").checkUnused(missing(), missing(), missing(), missing()))
                .hasMessageStartingWith("DOLLY_ENGINE_UIDS=60000-61184 overlaps systemd's range for dynamic users (DynamicUser=), 61184-65519: ");
        assertThatThrownBy(() -> EngineUidRange.parse("65530-70000").checkUnused(missing(), missing(), missing(), missing()))
                .hasMessageStartingWith("DOLLY_ENGINE_UIDS=65530-70000 overlaps the 'nobody' ID, 65534: ");
    }

    private Path missing()
    {
        return directory.resolve("missing");
    }
}
