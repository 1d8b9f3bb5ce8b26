package dev.dolly.core;

import dev.dolly.api.DollyException;

import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static java.util.Objects.requireNonNull;

/**
 * Named points where the daemon halts at once when {@code DOLLY_CRASH_AT} names them: no cleanup, no shutdown
 * hook, as {@code kill -9} would stop it. A switch for tests of what a crash at each point leaves and what the next
 * start settles; without the variable nothing happens. The daemon reads the variable once, when it starts
 * ({@link #arm}), and refuses names it does not know.
 */
public final class CrashPoints
{
    public static final String VARIABLE = "DOLLY_CRASH_AT";
    /** The exit status of a halt at a crash point, as a process killed by SIGKILL reports it in a shell. */
    public static final int EXIT_STATUS = 137;

    public static final String IMAGE_VOLUME_CREATED = "image.volume-created";
    public static final String IMAGE_LOADED = "image.loaded";
    public static final String IMAGE_SEALED = "image.sealed";
    public static final String CONTAINER_CLONED = "container.cloned";
    public static final String CONTAINER_STARTED = "container.started";
    /** A container's server stopped (idle or by hand), before the catalog records it stopped. */
    public static final String CONTAINER_SERVER_STOPPED = "container.server-stopped";
    public static final String REVISION_STOPPED = "revision.stopped";
    public static final String REVISION_SNAPSHOT = "revision.snapshot";
    public static final String REVISION_LOAD_CLONED = "revision.load.cloned";
    public static final String REVISION_LOAD_STARTED = "revision.load.started";
    public static final String REVISION_LOAD_SWITCHED = "revision.load.switched";
    public static final String REVISION_LOAD_DELETED = "revision.load.deleted";
    public static final String GRADUATE_CLONED = "graduate.cloned";
    public static final String IMAGE_DELETE_VOLUME = "image.delete.volume";
    public static final String CONTAINER_DELETE_VOLUME = "container.delete.volume";
    public static final String STORAGE_INIT_FORMATTED = "storage.init.formatted";
    public static final String STORAGE_INIT_MOUNTED = "storage.init.mounted";

    /** Every point, in the order an image and a container go through them. */
    public static final List<String> KNOWN = List.of(IMAGE_VOLUME_CREATED, IMAGE_LOADED, IMAGE_SEALED, CONTAINER_CLONED, CONTAINER_STARTED,
            REVISION_STOPPED, REVISION_SNAPSHOT, REVISION_LOAD_CLONED, REVISION_LOAD_STARTED, REVISION_LOAD_SWITCHED, REVISION_LOAD_DELETED,
            GRADUATE_CLONED, IMAGE_DELETE_VOLUME, CONTAINER_DELETE_VOLUME, STORAGE_INIT_FORMATTED, STORAGE_INIT_MOUNTED,
            CONTAINER_SERVER_STOPPED);

    private static volatile Set<String> armed = Set.of();

    private CrashPoints() {}

    /**
     * The points {@code DOLLY_CRASH_AT} names (comma-separated), none when it is unset or empty.
     *
     * @throws DollyException ({@code BAD_INPUT}) naming an unknown point and every known one
     */
    public static Set<String> parse(Map<String, String> environment)
    {
        requireNonNull(environment, "environment is null");
        String value = environment.get(VARIABLE);
        if (value == null || value.isBlank()) {
            return Set.of();
        }
        Set<String> points = new LinkedHashSet<>();
        for (String point : Arrays.stream(value.split(",")).map(String::strip).filter(name -> !name.isEmpty()).toList()) {
            if (!KNOWN.contains(point)) {
                throw DollyException.badInput(VARIABLE + " names an unknown crash point '" + point + "'. The crash points are: " + String.join(", ", KNOWN) + ".");
            }
            points.add(point);
        }
        return Set.copyOf(points);
    }

    /** Reads {@code DOLLY_CRASH_AT} once, for the life of the process; refuses unknown points (see {@link #parse}). */
    public static void arm(Map<String, String> environment)
    {
        armed = parse(environment);
        if (!armed.isEmpty()) {
            System.err.println(VARIABLE + ": the daemon halts at " + String.join(", ", armed.stream().sorted().toList()) + " (a test switch)");
        }
    }

    /** Halts the process at once when {@code point} is armed; does nothing otherwise. */
    public static void reached(String point)
    {
        if (!KNOWN.contains(point)) {
            throw new IllegalArgumentException("Unknown crash point: " + point);
        }
        if (armed.contains(point)) {
            System.err.println("Crash point " + point + " reached: halting (" + VARIABLE + ")");
            System.err.flush();
            Runtime.getRuntime().halt(EXIT_STATUS);
        }
    }
}
