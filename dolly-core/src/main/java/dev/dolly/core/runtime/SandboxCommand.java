package dev.dolly.core.runtime;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import static java.util.Objects.requireNonNull;

/**
 * The command line that runs a server in its sandbox, from the outside in: {@code setsid} (a session of its own, so
 * that a terminal's signals to the daemon do not reach it), {@code unshare} (new PID, mount and IPC namespaces,
 * {@code /proc} of the new PID namespace), a shell that joins the server's cgroups before anything else runs, then
 * mounts the data directory's view (when there is one) and the private {@code /tmp} inside the namespaces, and
 * {@code setpriv}, which drops to the server's account for good. Each layer replaces itself with the next
 * ({@code exec}), but {@code unshare}, which forks the namespace's first process and waits for it: the server is that
 * process, and only it and what it starts are in the cgroups. Paths and the command travel as arguments or in the
 * mount table, never inside the shell text. Every program started costs a few milliseconds of a container's start, so
 * the layers are as few as the isolation allows: the shell writes to the cgroups itself, and one {@code mount -a} reads
 * every mount from a table in fstab's format (the view, the directories kept below {@code /tmp}, created where
 * missing, then the private {@code /tmp}, in that order), where a {@code mount} per mount and a {@code mkdir} per
 * directory took a program each. Without namespaces, a shell of its own joins the cgroups.
 *
 * @param setsid {@code setsid}, when installed
 * @param processFiles the {@code cgroup.procs} files to join; none without cgroups
 * @param namespaces {@code unshare}, when the server gets namespaces of its own
 * @param privateTemporaryDirectory the directory mounted over {@code /tmp} in the namespaces, already the account's
 * @param mountTableFile where the runtime writes {@link #mountTable()}, for the namespace's shell to read (as root)
 * @param visibleDirectories directories below {@code /tmp} that stay visible in the private {@code /tmp}
 * @param account the ids to switch to, when the server runs as another account than the daemon
 * @param dataView an ID-mapped view of the data directory that shows its files as the account's, mounted over the
 *         data directory inside the namespaces before anything else
 */
record SandboxCommand(
        Optional<Path> setsid,
        List<Path> processFiles,
        Optional<Path> namespaces,
        Path privateTemporaryDirectory,
        Path mountTableFile,
        List<Path> visibleDirectories,
        Optional<Ids> account,
        Optional<DataView> dataView)
{
    static final Path TEMPORARY = Path.of("/tmp");

    private static final String JOIN_CGROUPS = "count=$1; shift; "
            + "while [ \"$count\" -gt 0 ]; do echo $$ > \"$1\" || exit 125; shift; count=$((count - 1)); done; "
            + "exec \"$@\"";
    // "0" moves the process that writes it; $$ would be 1 in the namespace, but the kernel reads it as the writer's
    private static final String JOIN_AND_MOUNT = "table=$1; count=$2; shift 2; "
            + "while [ \"$count\" -gt 0 ]; do echo 0 > \"$1\" || exit 125; shift; count=$((count - 1)); done; "
            + "mount --all --fstab \"$table\" || exit 125; "
            + "exec \"$@\"";

    /** A numeric user and group id. */
    record Ids(int uid, int gid) {}

    /** A mount that shows a data directory's files as the server's account's, and the data directory it goes over. */
    record DataView(Path view, Path dataDirectory) {}

    SandboxCommand
    {
        requireNonNull(setsid, "setsid is null");
        processFiles = List.copyOf(requireNonNull(processFiles, "processFiles is null"));
        requireNonNull(namespaces, "namespaces is null");
        requireNonNull(privateTemporaryDirectory, "privateTemporaryDirectory is null");
        requireNonNull(mountTableFile, "mountTableFile is null");
        visibleDirectories = List.copyOf(requireNonNull(visibleDirectories, "visibleDirectories is null"));
        requireNonNull(account, "account is null");
        requireNonNull(dataView, "dataView is null");
        if (dataView.isPresent() && namespaces.isEmpty()) {
            throw new IllegalArgumentException("a view of the data directory needs namespaces");
        }
    }

    List<String> wrap(List<String> command)
    {
        List<String> line = new ArrayList<>();
        setsid.ifPresent(program -> line.add(program.toString()));
        if (namespaces.isPresent()) {
            line.addAll(List.of(namespaces.get().toString(), "--pid", "--fork", "--kill-child", "--mount-proc", "--mount", "--ipc", "--propagation", "slave", "--"));
            line.addAll(List.of("/bin/sh", "-c", JOIN_AND_MOUNT, "dolly-sandbox", mountTableFile.toString(), String.valueOf(processFiles.size())));
            processFiles.forEach(file -> line.add(file.toString()));
        }
        else if (!processFiles.isEmpty()) {
            line.addAll(List.of("/bin/sh", "-c", JOIN_CGROUPS, "dolly-cgroup", String.valueOf(processFiles.size())));
            processFiles.forEach(file -> line.add(file.toString()));
        }
        account.ifPresent(ids -> line.addAll(List.of("setpriv", "--reuid=" + ids.uid(), "--regid=" + ids.gid(), "--clear-groups", "--no-new-privs", "--")));
        line.addAll(command);
        return line;
    }

    /**
     * The mounts made inside the namespaces, in fstab's format and in order: the data view over the data directory,
     * each directory kept below {@code /tmp} bound (with what is mounted below it) to the same place in the private
     * one, its mount point created where missing, then the private directory over {@code /tmp}.
     */
    String mountTable()
    {
        StringBuilder table = new StringBuilder();
        dataView.ifPresent(view -> addMount(table, view.view(), view.dataDirectory(), "bind"));
        for (Path directory : keptBelowTemporary(visibleDirectories)) {
            addMount(table, directory, privateTemporaryDirectory.resolve(TEMPORARY.relativize(directory)), "rbind,X-mount.mkdir");
        }
        addMount(table, privateTemporaryDirectory, TEMPORARY, "rbind");
        return table.toString();
    }

    private static void addMount(StringBuilder table, Path source, Path target, String options)
    {
        table.append(tableField(source)).append(' ').append(tableField(target)).append(" none ").append(options).append(" 0 0\n");
    }

    /** A path as fstab writes it: a backslash, space, tab or line break as its octal escape. */
    static String tableField(Path path)
    {
        String text = path.toAbsolutePath().normalize().toString();
        StringBuilder field = new StringBuilder(text.length());
        for (int index = 0; index < text.length(); index++) {
            char character = text.charAt(index);
            switch (character) {
                case '\\' -> field.append("\\134");
                case ' ' -> field.append("\\040");
                case '\t' -> field.append("\\011");
                case '\n' -> field.append("\\012");
                default -> field.append(character);
            }
        }
        return field.toString();
    }

    /** The directories below {@code /tmp} to mount in the private one, without those inside another of them. */
    static List<Path> keptBelowTemporary(List<Path> directories)
    {
        List<Path> sorted = directories.stream().map(directory -> directory.toAbsolutePath().normalize())
                .filter(directory -> directory.startsWith(TEMPORARY) && !directory.equals(TEMPORARY))
                .distinct().sorted().toList();
        List<Path> kept = new ArrayList<>();
        for (Path directory : sorted) {
            if (kept.stream().noneMatch(directory::startsWith)) {
                kept.add(directory);
            }
        }
        return kept;
    }
}
