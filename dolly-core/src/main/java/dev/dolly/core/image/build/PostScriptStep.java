package dev.dolly.core.image.build;

/** Runs the definition's post-script in the database the data ended up in. */
final class PostScriptStep
        implements BuildStep
{
    @Override
    public String name()
    {
        return "post-script";
    }

    @Override
    public boolean isNeeded(BuildContext context)
    {
        return context.plan().postScript().isPresent();
    }

    @Override
    public void run(BuildContext context)
    {
        context.progress("Running the post-script");
        context.engine().execute(context.installation(), context.superuser(), context.dataDatabase(), context.plan().postScript().orElseThrow(),
                "post-script", context::progress);
    }
}
