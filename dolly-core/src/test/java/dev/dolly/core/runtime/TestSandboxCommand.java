package dev.dolly.core.runtime;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

class TestSandboxCommand
{
    private static final List<String> SERVER = List.of("/opt/pg/bin/postgres", "-D", "/var/lib/dolly/storage/containers/1", "-c", "port=54321");

    @Test
    void wrapsTheServerInCgroupsNamespacesAndItsAccount()
    {
        SandboxCommand sandbox = new SandboxCommand(Optional.of(Path.of("/usr/bin/setsid")),
                List.of(Path.of("/sys/fs/cgroup/memory/dolly/a/cgroup.procs"), Path.of("/sys/fs/cgroup/pids/dolly/a/cgroup.procs")),
                Optional.of(Path.of("/usr/bin/unshare")), Path.of("/var/lib/dolly/run/a/tmp"), Path.of("/var/lib/dolly/run/a/.mounts"),
                List.of(Path.of("/tmp/dolly-mariadb-0/54321"), Path.of("/tmp/dolly-mariadb-0/54321/nested"), Path.of("/tmp/with space"), Path.of("/var/lib/dolly/run/a")),
                Optional.of(new SandboxCommand.Ids(61001, 61002)),
                Optional.of(new SandboxCommand.DataView(Path.of("/var/lib/dolly/run/mapped/a"), Path.of("/var/lib/dolly/storage/containers/1"))));
        List<String> line = sandbox.wrap(SERVER);

        assertThat(line.subList(0, 12)).containsExactly("/usr/bin/setsid", "/usr/bin/unshare", "--pid", "--fork", "--kill-child", "--mount-proc", "--mount",
                "--ipc", "--propagation", "slave", "--", "/bin/sh");
        int sandboxed = line.indexOf("dolly-sandbox");
        // the mount table, then the cgroup files after their count, then the rest is executed
        assertThat(line.subList(sandboxed, sandboxed + 5)).containsExactly("dolly-sandbox", "/var/lib/dolly/run/a/.mounts", "2",
                "/sys/fs/cgroup/memory/dolly/a/cgroup.procs", "/sys/fs/cgroup/pids/dolly/a/cgroup.procs");
        assertThat(line.subList(sandboxed + 5, sandboxed + 11)).containsExactly("setpriv", "--reuid=61001", "--regid=61002", "--clear-groups", "--no-new-privs", "--");
        assertThat(line.subList(line.size() - SERVER.size(), line.size())).isEqualTo(SERVER);
        // no path inside the shell text; one mount program for every mount
        assertThat(line.get(sandboxed - 1)).doesNotContain("/sys/fs/cgroup").doesNotContain("dolly-mariadb").doesNotContain("/var/lib")
                .contains("mount --all --fstab").doesNotContain("mkdir");
        // the view over the data directory first, then what stays below /tmp (not what is inside it), then the private /tmp
        assertThat(sandbox.mountTable().lines()).containsExactly(
                "/var/lib/dolly/run/mapped/a /var/lib/dolly/storage/containers/1 none bind 0 0",
                "/tmp/dolly-mariadb-0/54321 /var/lib/dolly/run/a/tmp/dolly-mariadb-0/54321 none rbind,X-mount.mkdir 0 0",
                "/tmp/with\\040space /var/lib/dolly/run/a/tmp/with\\040space none rbind,X-mount.mkdir 0 0",
                "/var/lib/dolly/run/a/tmp /tmp none rbind 0 0");
    }

    @Test
    void escapesPathsInTheMountTableAsFstabDoes()
    {
        assertThat(SandboxCommand.tableField(Path.of("/a b/c\td\ne\\f"))).isEqualTo("/a\\040b/c\\011d\\012e\\134f");
    }

    @Test
    void withoutADataViewTheTableMountsTheTemporaryDirectoryOnly()
    {
        SandboxCommand sandbox = new SandboxCommand(Optional.of(Path.of("/usr/bin/setsid")), List.of(), Optional.of(Path.of("/usr/bin/unshare")),
                Path.of("/var/lib/dolly/run/a/tmp"), Path.of("/var/lib/dolly/run/a/.mounts"), List.of(Path.of("/var/lib/dolly/storage/containers/1")),
                Optional.empty(), Optional.empty());
        assertThat(sandbox.mountTable()).isEqualTo("/var/lib/dolly/run/a/tmp /tmp none rbind 0 0\n");
    }

    @Test
    void withoutNamespacesAShellOfItsOwnJoinsTheCgroups()
    {
        SandboxCommand sandbox = new SandboxCommand(Optional.of(Path.of("/usr/bin/setsid")), List.of(Path.of("/sys/fs/cgroup/pids/dolly/a/cgroup.procs")),
                Optional.empty(), Path.of("/var/lib/dolly/run/a/tmp"), Path.of("/var/lib/dolly/run/a/.mounts"), List.of(), Optional.empty(), Optional.empty());
        List<String> line = sandbox.wrap(SERVER);
        assertThat(line.subList(0, 3)).containsExactly("/usr/bin/setsid", "/bin/sh", "-c");
        assertThat(line.subList(4, 7)).containsExactly("dolly-cgroup", "1", "/sys/fs/cgroup/pids/dolly/a/cgroup.procs");
        assertThat(line.subList(7, line.size())).isEqualTo(SERVER);
    }

    @Test
    void withoutRootTheServerRunsInASessionOfItsOwnOnly()
    {
        SandboxCommand sandbox = new SandboxCommand(Optional.of(Path.of("/usr/bin/setsid")), List.of(), Optional.empty(), Path.of("/home/user/.dolly/run/a/tmp"),
                Path.of("/home/user/.dolly/run/a/.mounts"), List.of(), Optional.empty(), Optional.empty());
        assertThat(sandbox.wrap(SERVER)).isEqualTo(java.util.stream.Stream.concat(java.util.stream.Stream.of("/usr/bin/setsid"), SERVER.stream()).toList());
    }

    @Test
    void keepsDirectoriesBelowTmpWithoutNestedOnes()
    {
        assertThat(SandboxCommand.keptBelowTemporary(List.of(Path.of("/tmp/test/engines/pg"), Path.of("/tmp/test"), Path.of("/tmp/test/data"), Path.of("/tmp"),
                Path.of("/var/tmp/x"), Path.of("/tmp/other"), Path.of("/tmp/other"))))
                .containsExactly(Path.of("/tmp/other"), Path.of("/tmp/test"));
    }
}
