package dev.dolly.core.runtime;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Cgroup layouts on a fake {@code /sys/fs/cgroup}: files the kernel would create are created by the test. */
class TestControlGroups
{
    private static final ServerLimits LIMITS = new ServerLimits(512L * 1024 * 1024, 100);

    @TempDir
    Path root;

    @Test
    void usesTheMemoryAndPidsHierarchiesOnAHybridHost()
            throws IOException
    {
        Files.createDirectories(root.resolve("memory"));
        Files.writeString(root.resolve("memory/memory.limit_in_bytes"), "9223372036854771712\n");
        Files.createDirectories(root.resolve("pids"));
        Files.writeString(root.resolve("pids/cgroup.procs"), "1\n");
        Files.createDirectories(root.resolve("unified"));

        ControlGroups groups = ControlGroups.detect(root, true);
        assertThat(groups.version()).contains(ControlGroups.Version.V1);
        ControlGroup group = groups.create("containers-1-0123456789ab", LIMITS);
        assertThat(group.directories()).containsExactly(root.resolve("memory/dolly/containers-1-0123456789ab"), root.resolve("pids/dolly/containers-1-0123456789ab"));
        assertThat(Files.readString(root.resolve("memory/dolly/containers-1-0123456789ab/memory.limit_in_bytes"))).isEqualTo("536870912\n");
        assertThat(Files.readString(root.resolve("pids/dolly/containers-1-0123456789ab/pids.max"))).isEqualTo("100\n");
        assertThat(group.processFiles()).containsExactly(root.resolve("memory/dolly/containers-1-0123456789ab/cgroup.procs"),
                root.resolve("pids/dolly/containers-1-0123456789ab/cgroup.procs"));
        assertThat(groups.existing("containers-1-0123456789ab")).isPresent();
        assertThat(groups.existing("containers-2-0123456789ab")).isEmpty();
    }

    @Test
    void usesTheUnifiedHierarchyWhenItHasMemoryAndPids()
            throws IOException
    {
        Files.writeString(root.resolve("cgroup.controllers"), "cpuset cpu io memory hugetlb pids rdma misc\n");
        Files.writeString(root.resolve("cgroup.subtree_control"), "cpu\n");

        ControlGroups groups = ControlGroups.detect(root, true);
        assertThat(groups.version()).contains(ControlGroups.Version.V2);
        ControlGroup group = groups.create("images-7-0123456789ab", LIMITS);
        assertThat(group.directories()).containsExactly(root.resolve("dolly/images-7-0123456789ab"));
        assertThat(Files.readString(root.resolve("cgroup.subtree_control"))).isEqualTo("+memory +pids\n");
        assertThat(Files.readString(root.resolve("dolly/cgroup.subtree_control"))).isEqualTo("+memory +pids\n");
        assertThat(Files.readString(root.resolve("dolly/images-7-0123456789ab/memory.max"))).isEqualTo("536870912\n");
        assertThat(Files.readString(root.resolve("dolly/images-7-0123456789ab/pids.max"))).isEqualTo("100\n");
    }

    @Test
    void saysWhyThereAreNone()
            throws IOException
    {
        assertThat(ControlGroups.detect(root, false).reason()).isEqualTo("the daemon does not run as root, and only root may create cgroups");
        assertThat(ControlGroups.detect(root, true).reason()).isEqualTo("no cgroup hierarchy with memory and pids controllers is mounted at " + root);
        Files.writeString(root.resolve("cgroup.controllers"), "hugetlb\n");
        ControlGroups unified = ControlGroups.detect(root, true);
        assertThat(unified.version()).isEmpty();
        assertThat(unified.reason()).isEqualTo("the cgroup v2 hierarchy at " + root + " offers no memory and pids controllers");
    }

    @Test
    void readsTheProcessesOfAGroup()
            throws IOException
    {
        Files.writeString(root.resolve("cgroup.controllers"), "memory pids\n");
        ControlGroup group = ControlGroups.detect(root, true).create("a-0123456789ab", LIMITS);
        long self = ProcessHandle.current().pid();
        Files.writeString(group.processFiles().getFirst(), self + "\n4194300\n");
        // a process id that does not exist is not a process of the group
        assertThat(group.processes()).isEqualTo(List.of(self));
    }
}
