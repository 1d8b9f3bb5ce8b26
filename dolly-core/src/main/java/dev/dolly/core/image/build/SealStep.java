package dev.dolly.core.image.build;

/** Makes the loaded server's state final, as the engine does it: statistics, frozen rows, a checkpoint. */
final class SealStep
        implements BuildStep
{
    @Override
    public String name()
    {
        return "seal";
    }

    @Override
    public void run(BuildContext context)
    {
        context.progress("Statistics for every table, rows frozen, everything written out");
        context.engine().seal(context.superuser(), context.parallelism());
    }
}
