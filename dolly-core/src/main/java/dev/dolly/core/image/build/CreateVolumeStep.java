package dev.dolly.core.image.build;

/** Creates the image's empty volume, owned by the engine's user. */
final class CreateVolumeStep
        implements BuildStep
{
    @Override
    public String name()
    {
        return "volume";
    }

    @Override
    public void run(BuildContext context)
    {
        context.setDataDirectory(context.storage().createVolume(context.volume()));
        context.engineUser().takeOwnership(context.dataDirectory());
    }

    /** Also when the creation failed half-way: deleting a volume that does not exist does nothing. */
    @Override
    public void undo(BuildContext context)
    {
        context.storage().delete(context.volume());
    }
}
