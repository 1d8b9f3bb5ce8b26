package dev.dolly.core.image.build;

/**
 * One step of an image build, with one job. Steps share what they make through the {@link BuildContext}; the
 * {@link BuildPipeline} runs them in order, names them in progress lines and times them.
 */
public interface BuildStep
{
    /** The step's name in progress lines, build timings and crash points: {@code load}, {@code seal}. */
    String name();

    /** Whether the step has anything to do for this build; a step without is neither run nor timed. */
    default boolean isNeeded(BuildContext context)
    {
        return true;
    }

    void run(BuildContext context);

    /**
     * Takes back what {@link #run} made, when a later step (or this one) failed: called in reverse order for every
     * step that started, so it must cope with a run that ended half-way. Nothing by default.
     */
    default void undo(BuildContext context) {}
}
