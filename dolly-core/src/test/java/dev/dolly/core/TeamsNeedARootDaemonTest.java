package dev.dolly.core;

import dev.dolly.api.CreateUserRequest;
import dev.dolly.api.DollyException;
import dev.dolly.api.ErrorCode;
import dev.dolly.core.auth.Caller;
import dev.dolly.core.testing.FakeEngine;
import dev.dolly.core.testing.FakeEngineServices;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A home opened as the daemon opens it creates users only when the process runs as root: the check is the real one
 * (the engine user), compared here with the process's own user ID. CI runs as root; a developer's run checks the
 * refusal.
 */
class TeamsNeedARootDaemonTest
{
    @TempDir
    Path directory;

    @Test
    void usersAreCreatedOnlyByADaemonRunningAsRoot()
            throws Exception
    {
        boolean root = ((Number) Files.getAttribute(Path.of("/proc/self"), "unix:uid")).intValue() == 0;
        try (Dolly dolly = Dolly.open(FakeEngineServices.configuration(directory.resolve("home")), List.of(new FakeEngine()))) {
            CreateUserRequest alice = new CreateUserRequest("alice", "a long password for alice", false);
            if (root) {
                assertThat(dolly.users().create(Caller.administrator("admin"), alice).name()).isEqualTo("alice");
            }
            else {
                assertThatThrownBy(() -> dolly.users().create(Caller.administrator("admin"), alice))
                        .isInstanceOfSatisfying(DollyException.class, exception -> assertThat(exception.errorCode()).isEqualTo(ErrorCode.NOT_PERMITTED))
                        .hasMessageContaining("Teams need a daemon running as root");
            }
        }
    }
}
