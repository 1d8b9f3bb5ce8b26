package dev.dolly.core.image.build;

/** Shuts the server down cleanly, so that containers start without recovery, and gives its port back. */
final class StopStep
        implements BuildStep
{
    @Override
    public String name()
    {
        return "stop";
    }

    @Override
    public void run(BuildContext context)
    {
        context.progress("A clean shutdown");
        context.engine().stop(context.installation(), context.dataDirectory());
        releasePort(context);
    }

    static void releasePort(BuildContext context)
    {
        if (context.port() > 0) {
            context.ports().release(context.port());
            context.setPort(0);
        }
    }
}
