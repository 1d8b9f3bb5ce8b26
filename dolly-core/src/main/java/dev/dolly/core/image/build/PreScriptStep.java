package dev.dolly.core.image.build;

/** Runs the definition's pre-script in the database the sources load into. */
final class PreScriptStep
        implements BuildStep
{
    @Override
    public String name()
    {
        return "pre-script";
    }

    @Override
    public boolean isNeeded(BuildContext context)
    {
        return context.plan().preScript().isPresent();
    }

    @Override
    public void run(BuildContext context)
    {
        context.progress("Running the pre-script");
        context.engine().execute(context.installation(), context.superuser(), context.loadDatabase(), context.plan().preScript().orElseThrow(),
                "pre-script", context::progress);
    }
}
