package dev.dolly.core.image.build;

/**
 * Prepares the load: creates the definition's initial database, unless a script of the definition creates it, and
 * decides where the sources start (see {@link dev.dolly.core.engine.Engine#prepareLoad}).
 */
final class CreateDatabaseStep
        implements BuildStep
{
    @Override
    public String name()
    {
        return "create-database";
    }

    @Override
    public void run(BuildContext context)
    {
        context.setLoadDatabase(context.engine().prepareLoad(context.installation(), context.superuser(), context.plan(), context::progress));
    }
}
