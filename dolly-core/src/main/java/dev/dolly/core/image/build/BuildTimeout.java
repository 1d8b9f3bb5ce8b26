package dev.dolly.core.image.build;

import dev.dolly.api.DollyException;
import dev.dolly.api.Durations;
import dev.dolly.core.DollyConfiguration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

import static java.util.Objects.requireNonNull;

/**
 * Ends a build that runs longer than {@code DOLLY_BUILD_TIMEOUT}, so that a pre-script running {@code select
 * pg_sleep(1e9)} cannot hold a build slot (and its owner's quota) for ever. When the time is up, the build is marked
 * out of time and the build's server, if one runs, is stopped: that ends whatever statement, restore or script runs
 * in it, whose step then fails; the pipeline runs no further step, undoes those that started (no server, port or
 * volume is left) and fails with a message that names the setting.
 */
public final class BuildTimeout
{
    private static final Logger LOG = LoggerFactory.getLogger(BuildTimeout.class);

    private final ScheduledFuture<?> expiry;

    private BuildTimeout(ScheduledFuture<?> expiry)
    {
        this.expiry = expiry;
    }

    /** Watches a build that starts now; {@link #cancel} once it is over. */
    public static BuildTimeout watch(BuildContext context, Duration limit, ScheduledExecutorService scheduler)
    {
        requireNonNull(context, "context is null");
        requireNonNull(limit, "limit is null");
        requireNonNull(scheduler, "scheduler is null");
        return new BuildTimeout(scheduler.schedule(() -> expire(context, limit), limit.toMillis(), TimeUnit.MILLISECONDS));
    }

    /** The build is over: the timeout no longer applies. */
    public void cancel()
    {
        expiry.cancel(false);
    }

    private static void expire(BuildContext context, Duration limit)
    {
        String step = context.currentStep();
        LOG.warn("Image {} ({}) has been building for longer than {} ({}) allows, in step '{}': stopping it", context.image().name(), context.imageId(),
                DollyConfiguration.BUILD_TIMEOUT, Durations.format(limit), step);
        context.timeOut(DollyException.failed("The build ran longer than " + DollyConfiguration.BUILD_TIMEOUT + " allows (" + Durations.format(limit) + ") and was "
                + "stopped" + (step.isEmpty() ? "" : " in step '" + step + "'") + ". Make the definition's scripts faster, or ask an administrator to raise "
                + DollyConfiguration.BUILD_TIMEOUT + "."));
        if (context.port() > 0 && context.installationIfAny().isPresent() && context.dataDirectoryIfAny().isPresent()) {
            try {
                context.engine().stop(context.installation(), context.dataDirectory());
            }
            catch (RuntimeException e) {
                LOG.warn("Could not stop the server of image {} ({}), which ran out of time", context.image().name(), context.imageId(), e);
            }
        }
    }
}
