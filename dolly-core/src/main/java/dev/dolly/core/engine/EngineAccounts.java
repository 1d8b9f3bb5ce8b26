package dev.dolly.core.engine;

import dev.dolly.api.DollyException;

import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Supplier;

import static java.util.Objects.requireNonNull;

/**
 * Hands out the accounts engine processes run as. When the daemon runs as root, every container and every image
 * build gets an unprivileged UID of its own from {@link EngineUidRange} (the GID is the same number), recorded in
 * the catalog with it; an ID is free again once no container or image records it. Otherwise there is one account,
 * the daemon's own user, for everything.
 *
 * <p>Allocation is race-safe: the ID is chosen and recorded under this allocator's lock, so two creations at once
 * never get the same one. IDs are handed out round-robin, so that a freed ID is not given again at once.
 */
public final class EngineAccounts
{
    private final EngineUser shared;
    private final Optional<EngineUidRange> range;
    private final Supplier<Set<Integer>> recordedIds;
    private int next;

    private EngineAccounts(EngineUser shared, Optional<EngineUidRange> range, Supplier<Set<Integer>> recordedIds)
    {
        this.shared = requireNonNull(shared, "shared is null");
        this.range = requireNonNull(range, "range is null");
        this.recordedIds = requireNonNull(recordedIds, "recordedIds is null");
        this.next = range.map(EngineUidRange::first).orElse(0);
    }

    /** One account for everything: a daemon that is not root cannot switch users. */
    public static EngineAccounts sharedOnly(EngineUser account)
    {
        return new EngineAccounts(account, Optional.empty(), Set::of);
    }

    /**
     * An account of its own for every container and build.
     *
     * @param shared the named account that runs what needs a name ({@code initdb})
     * @param recordedIds the IDs the catalog records for containers and images
     */
    public static EngineAccounts separate(EngineUser shared, EngineUidRange range, Supplier<Set<Integer>> recordedIds)
    {
        return new EngineAccounts(shared, Optional.of(range), recordedIds);
    }

    /** Whether each container and image build runs as an account of its own. */
    public boolean separate()
    {
        return range.isPresent();
    }

    /** The range IDs are allocated from; empty when there is one account for everything. */
    public Optional<EngineUidRange> range()
    {
        return range;
    }

    /** The named account: the daemon's own user without root, otherwise the one that runs {@code initdb}. */
    public EngineUser shared()
    {
        return shared;
    }

    /**
     * Allocates an ID and records it: {@code record} runs under the allocator's lock and must store the ID it is
     * given in the catalog before it returns (with the row of the container or image, or right after inserting it).
     *
     * @param record given the new ID, or {@code null} when there is one account for everything
     */
    public <T> T allocate(Function<Integer, T> record)
    {
        requireNonNull(record, "record is null");
        if (range.isEmpty()) {
            return record.apply(null);
        }
        synchronized (this) {
            EngineUidRange ids = range.get();
            Set<Integer> used = recordedIds.get();
            for (int tried = 0; tried < ids.size(); tried++) {
                int candidate = next;
                next = candidate == ids.last() ? ids.first() : candidate + 1;
                if (!used.contains(candidate)) {
                    return record.apply(candidate);
                }
            }
            throw DollyException.conflict("Every ID of " + EngineUidRange.VARIABLE + "=" + ids + " is taken by a container or an image (each has an account "
                    + "of its own). Delete containers or images, or give the daemon a wider range.");
        }
    }

    /** The account that a recorded ID stands for: its own, or the shared one when none was recorded. */
    public EngineUser account(Integer recordedId)
    {
        if (recordedId == null) {
            return shared;
        }
        return EngineUser.ofIds(recordedId, recordedId);
    }
}
