package dev.dolly.core.image.build;

/** Finds or fetches the engine's binaries of the image's version, and records the exact version. */
final class InstallStep
        implements BuildStep
{
    @Override
    public String name()
    {
        return "install";
    }

    @Override
    public void run(BuildContext context)
    {
        context.setInstallation(context.engine().install(context.image().engineVersion(), context::progress));
        context.catalog().updateEngineVersion(context.imageId(), context.installation().version());
    }
}
