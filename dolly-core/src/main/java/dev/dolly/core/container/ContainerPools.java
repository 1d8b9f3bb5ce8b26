package dev.dolly.core.container;

import dev.dolly.api.ResourceStatus;
import dev.dolly.core.catalog.Catalog;
import dev.dolly.core.catalog.ContainerRecord;
import dev.dolly.core.catalog.ImageRecord;
import dev.dolly.core.engine.PasswordChange;
import dev.dolly.core.image.ImagePools;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import static java.util.Objects.requireNonNull;

/**
 * The warm pools of images: for an image whose pool size is N, N containers started and idle, owned by nobody, which
 * {@link ContainerService#create} takes instead of making one. One background thread brings every pool to its size,
 * one container at a time: it makes the missing ones, removes those a smaller pool (or an image that is no longer
 * READY, or has expired) does not need, and those that broke (STOPPED, FAILED). It runs whenever a pool may differ
 * from its size ({@link #fillSoon}: a take, a size changed, an image ready, the daemon started, and every few seconds
 * with the reaper), so pools refill after a daemon restart too.
 * <p>
 * For each READY pool container it holds a password change made ready for its take
 * ({@link ContainerService#preparePasswordChange}: for PostgreSQL a superuser session logged in, the new password
 * hashed into its statement), so that a take does not wait for a login; a pass prepares the missing ones (after a
 * restart, or a failure) and closes those of containers no longer in a pool. After a take the pool refills a moment
 * later ({@link #REFILL_DELAY}), so that the replacement's server does not start while the request is answered.
 */
public final class ContainerPools
        implements ImagePools
{
    private static final Logger LOG = LoggerFactory.getLogger(ContainerPools.class);
    /** A pool whose container could not be made is not tried again before this: its cause (no port, no disk) may last. */
    private static final Duration RETRY_PAUSE = Duration.ofSeconds(30);
    /** How long after a take its replacement starts: the answer goes out first. */
    static final Duration REFILL_DELAY = Duration.ofMillis(100);

    private final ContainerService containers;
    private final Catalog catalog;
    private final Clock clock;
    private final ExecutorService filler = Executors.newSingleThreadExecutor(Thread.ofPlatform().name("container-pools").daemon().factory());
    private final AtomicBoolean fillQueued = new AtomicBoolean();
    /** Held while a pool container is made or an image's pool drained: a drain waits for the container being made. */
    private final Object changing = new Object();
    private final Map<Long, Instant> failedAt = new ConcurrentHashMap<>();
    /** Password changes made ready for takes, by pool container ID. */
    private final Map<Long, PasswordChange> passwordChanges = new ConcurrentHashMap<>();
    private volatile boolean stopped;

    ContainerPools(ContainerService containers, Catalog catalog, Clock clock)
    {
        this.containers = requireNonNull(containers, "containers is null");
        this.catalog = requireNonNull(catalog, "catalog is null");
        this.clock = requireNonNull(clock, "clock is null");
    }

    @Override
    public void fillSoon()
    {
        // one pass queued at most: a pass looks at every pool, so the requests made while one waits are answered by it
        if (stopped || !fillQueued.compareAndSet(false, true)) {
            return;
        }
        try {
            filler.execute(() -> {
                fillQueued.set(false);
                fill();
            });
        }
        catch (RejectedExecutionException e) {
            fillQueued.set(false);
        }
    }

    /** {@link #fillSoon} a moment after a take ({@link #REFILL_DELAY}), once its answer has gone out. */
    void refillAfterTake()
    {
        if (!stopped) {
            CompletableFuture.delayedExecutor(REFILL_DELAY.toMillis(), TimeUnit.MILLISECONDS).execute(this::fillSoon);
        }
    }

    /**
     * The password change made ready for a pool container's take, no longer held here; one that logs in when
     * applied when none is ready (the daemon restarted since, or its session could not be opened).
     */
    PasswordChange takePasswordChange(ContainerRecord pooled)
    {
        PasswordChange prepared = passwordChanges.remove(pooled.id());
        return prepared != null ? prepared : containers.passwordChangeOnApply(pooled);
    }

    @Override
    public void drain(long imageId)
    {
        synchronized (changing) {
            for (ContainerRecord container : pooledOf(imageId)) {
                LOG.info("Removing container {} of the pool of image {}: the image is deleted", container.id(), imageId);
                closePasswordChange(container.id());
                containers.deletePooled(container);
            }
        }
    }

    /** Stops filling, waiting for a pool container being made, for the daemon's shutdown. */
    public void shutdown()
    {
        stopped = true;
        filler.shutdown();
        try {
            if (!filler.awaitTermination(60, TimeUnit.SECONDS)) {
                filler.shutdownNow();
            }
        }
        catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        passwordChanges.keySet().forEach(this::closePasswordChange);
    }

    /** Brings every pool to its size, one change at a time, until none differs (or one that cannot be made waits for its retry). */
    private void fill()
    {
        try {
            while (!stopped && fillOnce()) {
                // another round: a pool may need more than one change
            }
        }
        catch (RuntimeException e) {
            LOG.warn("Could not fill the pools of data images", e);
        }
    }

    /** @return whether a container was made or removed */
    private boolean fillOnce()
    {
        boolean changed = false;
        Instant now = clock.instant();
        Set<Long> ready = new HashSet<>();
        for (ImageRecord image : catalog.images().list()) {
            if (stopped) {
                return false;
            }
            List<ContainerRecord> pool = pooledOf(image.id());
            for (ContainerRecord container : pool) {
                if (container.status() == ResourceStatus.READY) {
                    ready.add(container.id());
                    if (!passwordChanges.containsKey(container.id())) {
                        preparePasswordChange(container);
                    }
                }
            }
            PoolChange change = PoolChange.of(wantedSize(image, now), pool);
            switch (change.kind()) {
                case NONE -> { }
                case REMOVE -> {
                    synchronized (changing) {
                        LOG.info("Removing container {} of the pool of image {} ({}): {}", change.container().id(), image.name(), image.id(), change.reason());
                        closePasswordChange(change.container().id());
                        containers.deletePooled(change.container());
                    }
                    changed = true;
                }
                case CREATE -> {
                    Instant failed = failedAt.get(image.id());
                    if (failed != null && failed.plus(RETRY_PAUSE).isAfter(now)) {
                        continue;
                    }
                    try {
                        synchronized (changing) {
                            // read again under the lock: a deletion of the image may have drained the pool meanwhile
                            if (wantedSize(catalog.images().find(image.id()).orElse(null), now) > 0) {
                                // its password change is prepared before it is READY
                                ready.add(containers.createPooled(image).id());
                            }
                        }
                        failedAt.remove(image.id());
                        changed = true;
                    }
                    catch (RuntimeException e) {
                        failedAt.put(image.id(), now);
                        LOG.warn("Could not add a container to the pool of image {} ({}): trying again in {} s", image.name(), image.id(),
                                RETRY_PAUSE.toSeconds(), e);
                    }
                }
            }
        }
        // a take that found none prepared may have raced this pass's preparing one: its session is closed here
        for (Long id : List.copyOf(passwordChanges.keySet())) {
            if (!ready.contains(id)) {
                closePasswordChange(id);
            }
        }
        return changed;
    }

    /** Makes a READY pool container's password change ready for its take; a failure leaves the take to log in itself. */
    void preparePasswordChange(ContainerRecord container)
    {
        try {
            PasswordChange previous = passwordChanges.put(container.id(), containers.preparePasswordChange(container));
            if (previous != null) {
                previous.close();
            }
        }
        catch (RuntimeException e) {
            LOG.info("Could not prepare the password change of container {} of the pool of image {}: its take will log in ({})", container.id(),
                    container.imageId(), e.getMessage());
        }
    }

    private void closePasswordChange(long id)
    {
        PasswordChange change = passwordChanges.remove(id);
        if (change != null) {
            change.close();
        }
    }

    /** How many containers an image's pool should hold now: its size while it is READY and not expired, else none. */
    static int wantedSize(ImageRecord image, Instant now)
    {
        if (image == null || image.status() != ResourceStatus.READY || (image.expiresAt() != null && !image.expiresAt().isAfter(now))) {
            return 0;
        }
        return image.poolSize();
    }

    private List<ContainerRecord> pooledOf(long imageId)
    {
        return catalog.containers().listOfImage(imageId).stream().filter(ContainerRecord::pooled).toList();
    }

    /**
     * The next change a pool needs to reach its size: remove a broken container first, then one too many (the
     * newest), else make one that is missing.
     */
    record PoolChange(Kind kind, ContainerRecord container, String reason)
    {
        enum Kind { NONE, CREATE, REMOVE }

        static PoolChange of(int wanted, List<ContainerRecord> pool)
        {
            for (ContainerRecord container : pool) {
                if (container.status() == ResourceStatus.STOPPED || container.status() == ResourceStatus.FAILED) {
                    return new PoolChange(Kind.REMOVE, container, "it is " + container.status().displayName()
                            + (container.statusMessage() == null ? "" : " (" + container.statusMessage() + ")"));
                }
            }
            // a container a deletion left DELETING is removed again; one a crash left PENDING is removed when the daemon starts
            for (ContainerRecord container : pool) {
                if (container.status() == ResourceStatus.DELETING) {
                    return new PoolChange(Kind.REMOVE, container, "its deletion was interrupted");
                }
            }
            List<ContainerRecord> live = pool.stream()
                    .filter(container -> container.status() == ResourceStatus.READY || container.status() == ResourceStatus.PENDING)
                    .toList();
            if (live.size() > wanted) {
                ContainerRecord newest = live.stream()
                        .filter(container -> container.status() == ResourceStatus.READY)
                        .max(Comparator.comparingLong(ContainerRecord::id))
                        .orElse(null);
                return newest == null ? none() : new PoolChange(Kind.REMOVE, newest, "the pool holds " + wanted);
            }
            return live.size() < wanted ? new PoolChange(Kind.CREATE, null, "") : none();
        }

        private static PoolChange none()
        {
            return new PoolChange(Kind.NONE, null, "");
        }
    }
}
