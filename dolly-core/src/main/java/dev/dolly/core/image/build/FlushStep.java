package dev.dolly.core.image.build;

/** The build ran without fsync: writes the volume's file system to disk once, now that the server is shut down. */
final class FlushStep
        implements BuildStep
{
    @Override
    public String name()
    {
        return "flush";
    }

    @Override
    public void run(BuildContext context)
    {
        context.progress("Writing the image to disk");
        context.storage().flush(context.volume());
    }
}
