package dev.dolly.core.storage;

import dev.dolly.api.DollyException;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * The keys of volumes, the one place that knows their layout: {@code images/<image>}, {@code containers/<container>}
 * and {@code revisions/<container>/<number>}. Drivers keep a volume at its key below their root.
 */
public final class VolumeKeys
{
    private static final String IMAGES = "images";
    private static final String CONTAINERS = "containers";
    private static final String REVISIONS = "revisions";

    private VolumeKeys() {}

    /** The volume of an image. */
    public static String image(long imageId)
    {
        return IMAGES + "/" + imageId;
    }

    /** The volume of a container. */
    public static String container(long containerId)
    {
        return CONTAINERS + "/" + containerId;
    }

    /**
     * The volume a load or reset of a container clones into, beside the one it is on ({@code current}):
     * {@code containers/<container>-<n>}, n one more than the current volume's.
     */
    public static String nextContainerVolume(long containerId, String current)
    {
        String base = container(containerId);
        int generation = 0;
        if (current != null && current.startsWith(base + "-")) {
            try {
                generation = Integer.parseInt(current.substring(base.length() + 1));
            }
            catch (NumberFormatException e) {
                generation = 0;
            }
        }
        return base + "-" + (generation + 1);
    }

    /** The volume of a container's revision {@code rev.<number>}. */
    public static String revision(long containerId, int number)
    {
        return REVISIONS + "/" + containerId + "/" + number;
    }

    /** Whether a key is a revision's volume, which volumes stacked on it name among their dependencies. */
    public static boolean isRevision(String key)
    {
        return key.startsWith(REVISIONS + "/");
    }

    /**
     * The keys of the volumes below a root whose directories are laid out as the keys are: revisions first, then
     * containers, then images, an order in which they can be deleted (a volume is only ever stacked on the kinds that
     * come after it). Anything else below the root (probes, records) is not a volume.
     */
    static List<String> list(Path root)
    {
        List<String> keys = new ArrayList<>();
        for (Path container : entries(root.resolve(REVISIONS))) {
            for (Path revision : entries(container)) {
                keys.add(REVISIONS + "/" + container.getFileName() + "/" + revision.getFileName());
            }
        }
        for (String kind : List.of(CONTAINERS, IMAGES)) {
            for (Path volume : entries(root.resolve(kind))) {
                keys.add(kind + "/" + volume.getFileName());
            }
        }
        return keys;
    }

    private static List<Path> entries(Path directory)
    {
        if (!Files.isDirectory(directory, LinkOption.NOFOLLOW_LINKS)) {
            return List.of();
        }
        try (Stream<Path> entries = Files.list(directory)) {
            return entries.sorted().toList();
        }
        catch (IOException e) {
            throw DollyException.storageFailed("Cannot list the volumes in " + directory + ": " + e.getMessage(), e);
        }
    }
}
