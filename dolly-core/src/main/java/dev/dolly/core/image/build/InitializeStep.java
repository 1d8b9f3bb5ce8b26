package dev.dolly.core.image.build;

/** Initialises a data directory in the volume, with the image's superuser password. */
final class InitializeStep
        implements BuildStep
{
    @Override
    public String name()
    {
        return "initialize";
    }

    @Override
    public void run(BuildContext context)
    {
        context.progress("Initializing " + context.engine().name() + " " + context.installation().version());
        context.engine().initialize(context.installation(), context.dataDirectory(), context.image().superuserPassword());
    }
}
