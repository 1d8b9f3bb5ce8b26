package dev.dolly.core.storage;

import dev.dolly.api.DollyException;
import dev.dolly.core.process.CommandRunner;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The exact commands the ZFS driver runs, against a fake {@code zfs} that mounts datasets as plain directories. */
class ZfsStorageDriverTest
{
    private Path root;
    private FakeZfs zfs;
    private FakeCommandRunner runner;
    private ZfsStorageDriver driver;

    @BeforeEach
    void createDriver()
            throws IOException
    {
        root = Files.createTempDirectory("dolly-zfs").resolve("storage");
        Files.createDirectory(root);
        zfs = new FakeZfs();
        runner = new FakeCommandRunner().answering(zfs::run);
        driver = new ZfsStorageDriver(root, "tank/dolly", runner);
    }

    @AfterEach
    void removeRoot()
    {
        FileTrees.deleteRecursively(root.getParent());
    }

    @Test
    void createsSealsClonesAndDestroysDatasets()
            throws IOException
    {
        Path image = driver.createVolume("images/12");
        assertThat(image).isEqualTo(root.resolve("images/12"));
        driver.seal("images/12");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(image))).isEqualTo("r-x------");
        Path clone = driver.clone("images/12", "containers/7");
        assertThat(clone).isEqualTo(root.resolve("containers/7"));
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(clone))).isEqualTo("rwx------");
        driver.delete("containers/7");
        driver.delete("images/12");

        assertThat(runner.commandLines()).containsExactly(
                "zfs list -H -o name tank/dolly/images/12",
                "zfs create -p -o mountpoint=" + root + "/images/12 tank/dolly/images/12",
                "zfs snapshot tank/dolly/images/12@sealed",
                "zfs set readonly=on tank/dolly/images/12",
                "zfs clone -p -o mountpoint=" + root + "/containers/7 tank/dolly/images/12@sealed tank/dolly/containers/7",
                "zfs list -H -o name tank/dolly/containers/7",
                "zfs list -H -t snapshot -d 1 -o clones tank/dolly/containers/7",
                "zfs destroy -r tank/dolly/containers/7",
                "zfs list -H -o name tank/dolly/images/12",
                "zfs list -H -t snapshot -d 1 -o clones tank/dolly/images/12",
                "zfs destroy -r tank/dolly/images/12");
    }

    @Test
    void aRevisionIsASealedCloneOfASnapshotOfTheContainer()
    {
        driver.createVolume("images/12");
        driver.seal("images/12");
        driver.clone("images/12", "containers/7");
        runner.clear();
        driver.snapshot("containers/7", "revisions/7/1");
        // graduating: an image from the revision
        driver.snapshot("revisions/7/1", "images/13");
        assertThat(modeOf(root.resolve("revisions/7/1"))).isEqualTo("r-x------");
        assertThat(runner.commandLines()).containsExactly(
                "zfs snapshot tank/dolly/containers/7@revisions-7-1",
                "zfs clone -p -o mountpoint=" + root + "/revisions/7/1 tank/dolly/containers/7@revisions-7-1 tank/dolly/revisions/7/1",
                "zfs snapshot tank/dolly/revisions/7/1@sealed",
                "zfs set readonly=on tank/dolly/revisions/7/1",
                "zfs snapshot tank/dolly/revisions/7/1@images-13",
                "zfs clone -p -o mountpoint=" + root + "/images/13 tank/dolly/revisions/7/1@images-13 tank/dolly/images/13",
                "zfs snapshot tank/dolly/images/13@sealed",
                "zfs set readonly=on tank/dolly/images/13");
        assertThat(driver.dependencies("images/13")).isEmpty();
    }

    @Test
    void deletingADatasetPromotesTheClonesOfItsSnapshotsFirst()
    {
        driver.createVolume("images/12");
        driver.seal("images/12");
        driver.clone("images/12", "containers/7");
        driver.snapshot("containers/7", "revisions/7/1");
        driver.snapshot("containers/7", "revisions/7/2");
        runner.clear();
        // loading rev.1: the container's dataset goes, its revisions stay
        driver.delete("containers/7");
        driver.clone("revisions/7/1", "containers/7");
        assertThat(runner.commandLines()).containsExactly(
                "zfs list -H -o name tank/dolly/containers/7",
                "zfs list -H -t snapshot -d 1 -o clones tank/dolly/containers/7",
                "zfs promote tank/dolly/revisions/7/2",
                "zfs list -H -t snapshot -d 1 -o clones tank/dolly/containers/7",
                "zfs destroy -r tank/dolly/containers/7",
                "zfs clone -p -o mountpoint=" + root + "/containers/7 tank/dolly/revisions/7/1@sealed tank/dolly/containers/7");
    }

    @Test
    void aFailedSnapshotLeavesNothing()
    {
        driver.createVolume("images/12");
        driver.seal("images/12");
        driver.clone("images/12", "containers/7");
        zfs.failing = "clone";
        runner.clear();
        assertThatThrownBy(() -> driver.snapshot("containers/7", "revisions/7/1"))
                .isInstanceOf(DollyException.class)
                .hasMessageStartingWith("Cannot clone tank/dolly/containers/7@revisions-7-1 to tank/dolly/revisions/7/1");
        assertThat(runner.commandLines()).containsExactly(
                "zfs snapshot tank/dolly/containers/7@revisions-7-1",
                "zfs clone -p -o mountpoint=" + root + "/revisions/7/1 tank/dolly/containers/7@revisions-7-1 tank/dolly/revisions/7/1",
                "zfs list -H -o name tank/dolly/revisions/7/1",
                "zfs destroy tank/dolly/containers/7@revisions-7-1");
    }

    private static String modeOf(Path path)
    {
        try {
            return PosixFilePermissions.toString(Files.getPosixFilePermissions(path));
        }
        catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Test
    void deletingAMissingDatasetDoesNothing()
    {
        driver.delete("containers/404");
        assertThat(runner.commandLines()).containsExactly("zfs list -H -o name tank/dolly/containers/404");
    }

    @Test
    void refusesToCreateADatasetTwice()
    {
        driver.createVolume("images/12");
        assertThatThrownBy(() -> driver.createVolume("images/12"))
                .isInstanceOf(DollyException.class)
                .hasMessageContaining("the dataset tank/dolly/images/12 exists already");
    }

    @Test
    void reportsFailuresWithTheCommandAndItsOutput()
    {
        driver.createVolume("images/12");
        zfs.failing = "clone";
        assertThatThrownBy(() -> driver.clone("images/12", "containers/7"))
                .isInstanceOf(DollyException.class)
                .hasMessage("Cannot clone tank/dolly/images/12@sealed to tank/dolly/containers/7: 'zfs clone -p -o mountpoint=" + root
                        + "/containers/7 tank/dolly/images/12@sealed tank/dolly/containers/7' exited with 1: cannot open 'tank/dolly/images/12@sealed': dataset does not exist. "
                        + "Only sealed images can be cloned");
    }

    @Test
    void activateMountsOnlyWhatIsNotMounted()
    {
        driver.createVolume("images/12");
        driver.seal("images/12");
        driver.clone("images/12", "containers/7");
        runner.clear();
        driver.activate("containers/7");
        zfs.unmounted.add("tank/dolly/containers/7");
        driver.activate("containers/7");
        assertThat(runner.commandLines()).containsExactly(
                "zfs get -H -o value mounted tank/dolly/containers/7",
                "zfs get -H -o value mounted tank/dolly/containers/7",
                "zfs mount tank/dolly/containers/7");
    }

    @Test
    void sizesAndSpaceComeFromZfsProperties()
    {
        driver.createVolume("images/12");
        runner.clear();
        assertThat(driver.sizeBytes("images/12")).hasValue(4096);
        assertThat(driver.usage()).isEqualTo(new StorageUsage(1000 + 9000, 1000, 9000));
        assertThat(runner.commandLines()).containsExactly(
                "zfs get -Hp -o value used tank/dolly/images/12",
                "zfs get -Hp -o value used,available tank/dolly");
    }

    /** Datasets as a set of names; mounting one creates its mount point as a directory. */
    private static final class FakeZfs
    {
        private final Set<String> datasets = new HashSet<>(Set.of("tank/dolly"));
        private final Set<String> unmounted = new HashSet<>();
        /** The clones of each dataset's snapshots, oldest snapshot first. */
        private final Map<String, List<String>> clones = new HashMap<>();
        private String failing = "";

        CommandRunner.Result run(List<String> command)
        {
            if (!command.getFirst().equals("zfs")) {
                return new CommandRunner.Result(127, command.getFirst() + ": not found");
            }
            String verb = command.get(1);
            String name = command.getLast();
            if (verb.equals(failing)) {
                return new CommandRunner.Result(1, "cannot open '" + command.get(command.size() - 2) + "': dataset does not exist");
            }
            return switch (verb) {
                case "list" -> {
                    if (!datasets.contains(name)) {
                        yield new CommandRunner.Result(1, "cannot open '" + name + "': dataset does not exist");
                    }
                    if (command.contains("snapshot")) {
                        yield new CommandRunner.Result(0, String.join("\n", clones.getOrDefault(name, List.of())));
                    }
                    yield new CommandRunner.Result(0, name);
                }
                case "create", "clone" -> {
                    datasets.add(name);
                    mountPoint(command.get(4));
                    if (verb.equals("clone")) {
                        clones.computeIfAbsent(command.get(5).substring(0, command.get(5).indexOf('@')), origin -> new ArrayList<>()).add(name);
                    }
                    yield new CommandRunner.Result(0, "");
                }
                case "promote" -> {
                    // the promoted clone takes its origin's snapshots up to its own, and with them the clones of the older ones
                    for (List<String> list : clones.values()) {
                        int index = list.indexOf(name);
                        if (index >= 0) {
                            List<String> moved = new ArrayList<>(list.subList(0, index));
                            list.subList(0, index + 1).clear();
                            clones.computeIfAbsent(name, promoted -> new ArrayList<>()).addAll(0, moved);
                            break;
                        }
                    }
                    yield new CommandRunner.Result(0, "");
                }
                case "destroy" -> {
                    datasets.remove(name);
                    for (List<String> list : clones.values()) {
                        list.remove(name);
                    }
                    yield new CommandRunner.Result(0, "");
                }
                case "get" -> switch (command.get(command.size() - 2)) {
                    case "mounted" -> new CommandRunner.Result(0, unmounted.contains(name) ? "no" : "yes");
                    case "used" -> new CommandRunner.Result(0, "4096");
                    default -> new CommandRunner.Result(0, "1000\n9000");
                };
                case "mount" -> {
                    unmounted.remove(name);
                    yield new CommandRunner.Result(0, "");
                }
                default -> new CommandRunner.Result(0, "");
            };
        }

        private static void mountPoint(String option)
        {
            try {
                Files.createDirectories(Path.of(option.substring("mountpoint=".length())));
            }
            catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }
}
