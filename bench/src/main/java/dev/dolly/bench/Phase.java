package dev.dolly.bench;

import java.util.Arrays;
import java.util.stream.Collectors;

/** What a run measures. */
enum Phase
{
    /** Dolly clones per driver and size, the pg_restore and TEMPLATE baselines, the whole CLI command. */
    CLONE("clone"),
    /** Disk space and memory per idle container. */
    DENSITY("density"),
    /** Save, load and reset of a container. */
    REVISIONS("revisions");

    private final String id;

    Phase(String id)
    {
        this.id = id;
    }

    String id()
    {
        return id;
    }

    static Phase fromId(String id)
    {
        for (Phase phase : values()) {
            if (phase.id.equals(id)) {
                return phase;
            }
        }
        throw new IllegalArgumentException("Unknown phase '" + id + "': use " + Arrays.stream(values()).map(Phase::id).collect(Collectors.joining(", ")));
    }

    @Override
    public String toString()
    {
        return id;
    }
}
