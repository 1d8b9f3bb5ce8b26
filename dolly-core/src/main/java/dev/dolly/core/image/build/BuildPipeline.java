package dev.dolly.core.image.build;

import dev.dolly.api.DollyException;
import dev.dolly.api.ImageBuildStep;
import dev.dolly.core.CrashPoints;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static java.util.Objects.requireNonNull;

/**
 * An image build as named steps, run in order: each is timed, named in the progress lines, and recorded with the
 * image when it ends ({@link #stepEnded}, the one place a step boundary is announced). When a step fails, every step
 * that started is undone in reverse order (the server stopped, the volume deleted) and the failure is thrown. A
 * build that ran out of time ({@link BuildTimeout}) runs no further step and fails with the timeout.
 *
 * <p>A new step goes in with {@link #withStepAfter}, without touching the others: a transform step, for example,
 * after {@code post-script} and before {@code seal}. A dry run ({@link #upTo}, {@link #runThenUndo}) runs the steps up to
 * one of them, then undoes them all as a failed build would.
 */
public final class BuildPipeline
{
    private static final Logger LOG = LoggerFactory.getLogger(BuildPipeline.class);

    /** The crash points at the end of steps ({@link CrashPoints}, for tests of what a crash leaves). */
    private static final Map<String, String> CRASH_POINTS = Map.of(
            "volume", CrashPoints.IMAGE_VOLUME_CREATED,
            "load", CrashPoints.IMAGE_LOADED,
            "seal", CrashPoints.IMAGE_SEALED);

    private final List<BuildStep> steps;

    public BuildPipeline(List<BuildStep> steps)
    {
        this.steps = List.copyOf(steps);
        List<String> names = new ArrayList<>();
        for (BuildStep step : this.steps) {
            if (names.contains(step.name())) {
                throw new IllegalArgumentException("Two build steps are named '" + step.name() + "'");
            }
            names.add(step.name());
        }
    }

    /**
     * The build of an image from its definition: install the engine, create the volume, initialise a data directory
     * in it, start a server, create the initial database, run the pre-script, load the backups or scripts, run the
     * post-script, seal (statistics, frozen rows, a checkpoint), stop the server cleanly, flush the volume to disk,
     * and mark the image ready.
     */
    public static BuildPipeline standard()
    {
        return new BuildPipeline(List.of(
                new InstallStep(),
                new CreateVolumeStep(),
                new InitializeStep(),
                new StartStep(),
                new CreateDatabaseStep(),
                new PreScriptStep(),
                new LoadStep(false),
                new PostScriptStep(),
                new SealStep(),
                new StopStep(),
                new FlushStep(),
                new MarkReadyStep()));
    }

    /**
     * This pipeline with a transform after the post-script: its load leaves a backup's indexes and constraints out when
     * it can, and a step after the transform adds them ({@link LoadStep}, {@link IndexesStep}).
     */
    public BuildPipeline withTransform(TransformStep transform)
    {
        requireNonNull(transform, "transform is null");
        List<BuildStep> changed = new ArrayList<>(steps);
        changed.set(indexOf("load"), new LoadStep(true));
        return new BuildPipeline(changed).withStepAfter("post-script", transform).withStepAfter(transform.name(), new IndexesStep());
    }

    /** This pipeline with a step inserted after the step of that name. */
    public BuildPipeline withStepAfter(String existing, BuildStep step)
    {
        requireNonNull(step, "step is null");
        List<BuildStep> changed = new ArrayList<>(steps);
        changed.add(indexOf(existing) + 1, step);
        return new BuildPipeline(changed);
    }

    /** This pipeline without the steps after the step of that name. */
    public BuildPipeline upTo(String last)
    {
        return new BuildPipeline(steps.subList(0, indexOf(last) + 1));
    }

    /** The steps' names, in order. */
    public List<String> stepNames()
    {
        return steps.stream().map(BuildStep::name).toList();
    }

    /** Runs the steps; on failure undoes those that started and throws. */
    public void run(BuildContext context)
    {
        requireNonNull(context, "context is null");
        runSteps(context, new ArrayList<>());
    }

    /**
     * Runs the steps, then undoes every one that started, in reverse order, whether they succeeded or not: a dry run,
     * which keeps nothing. A failure is thrown as {@link #run} throws it.
     */
    public void runThenUndo(BuildContext context)
    {
        requireNonNull(context, "context is null");
        List<BuildStep> started = new ArrayList<>();
        runSteps(context, started);
        RuntimeException undoFailures = null;
        for (BuildStep step : started.reversed()) {
            try {
                step.undo(context);
            }
            catch (RuntimeException undoFailure) {
                LOG.warn("Could not undo step '{}' of the dry run of image {}", step.name(), context.imageId(), undoFailure);
                if (undoFailures == null) {
                    undoFailures = undoFailure;
                }
                else {
                    undoFailures.addSuppressed(undoFailure);
                }
            }
        }
        if (undoFailures != null) {
            throw undoFailures;
        }
    }

    /** Runs the steps, adding each to {@code started} as it starts; on failure undoes those that started and throws. */
    private void runSteps(BuildContext context, List<BuildStep> started)
    {
        try {
            for (BuildStep step : steps) {
                if (!step.isNeeded(context)) {
                    continue;
                }
                if (context.timeout().isPresent()) {
                    throw context.timeout().get();
                }
                context.enterStep(step.name());
                started.add(step);
                step.run(context);
                stepEnded(context, step, context.stepMilliseconds());
                String crashPoint = CRASH_POINTS.get(step.name());
                if (crashPoint != null) {
                    CrashPoints.reached(crashPoint);
                }
            }
        }
        catch (RuntimeException | Error failure) {
            // how full the disk is, before the undone steps free what the build wrote
            OutOfSpace space = OutOfSpace.atFailure(context.storage(), context.volume());
            String failedStep = context.currentStep();
            for (BuildStep step : started.reversed()) {
                try {
                    step.undo(context);
                }
                catch (RuntimeException undoFailure) {
                    failure.addSuppressed(undoFailure);
                    LOG.warn("Could not undo step '{}' of the failed build of image {}", step.name(), context.imageId(), undoFailure);
                }
            }
            // a step whose server was stopped because the build ran out of time fails on its own terms: the timeout says why
            Optional<DollyException> timeout = context.timeout();
            if (timeout.isPresent() && !timeout.get().equals(failure)) {
                timeout.get().addSuppressed(failure);
                throw timeout.get();
            }
            Optional<DollyException> noSpace = space.explain(failure, context.image().name(), failedStep);
            if (noSpace.isPresent()) {
                throw noSpace.get();
            }
            throw failure;
        }
    }

    /**
     * Where a step boundary is announced: the step's time is logged and recorded with the image (unless the step
     * recorded it itself, {@link BuildContext#endStepHere}).
     */
    private static void stepEnded(BuildContext context, BuildStep step, long milliseconds)
    {
        LOG.info("Image {} ({}): step '{}' took {} ms", context.image().name(), context.imageId(), step.name(), milliseconds);
        if (!context.stepRecorded()) {
            context.catalog().addBuildStep(context.imageId(), new ImageBuildStep(step.name(), milliseconds));
        }
    }

    private int indexOf(String name)
    {
        for (int index = 0; index < steps.size(); index++) {
            if (steps.get(index).name().equals(name)) {
                return index;
            }
        }
        throw new IllegalArgumentException("No build step is named '" + name + "': the steps are " + String.join(", ", stepNames()));
    }
}
