package dev.dolly.core.image.build;

import dev.dolly.core.engine.ServerSettings;

/** Starts a server on a private port with the engine's fast build settings (no durability until the flush). */
final class StartStep
        implements BuildStep
{
    @Override
    public String name()
    {
        return "start";
    }

    @Override
    public void run(BuildContext context)
    {
        context.setPort(context.ports().reserve());
        context.progress("Starting " + context.engine().name() + " " + context.installation().version());
        context.engine().start(context.installation(), context.dataDirectory(),
                new ServerSettings("127.0.0.1", context.port(), context.engine().buildParameters(), context.logFile()));
    }

    /** Stops the server, if it runs, and gives the port back. */
    @Override
    public void undo(BuildContext context)
    {
        try {
            if (context.installationIfAny().isPresent() && context.dataDirectoryIfAny().isPresent()) {
                context.engine().stop(context.installation(), context.dataDirectory());
            }
        }
        finally {
            StopStep.releasePort(context);
        }
    }
}
