package dev.dolly.cli;

/**
 * The entry point of the {@code dolly} command. The only place that reads the process environment: everything else
 * gets it passed in, so that tests run the whole CLI in-process.
 */
public final class Main
{
    private Main() {}

    public static void main(String[] args)
            throws java.io.IOException
    {
        if (Boolean.getBoolean("dolly.startUpTraining")) {
            StartUpTraining.run();
            return;
        }
        DollyCommandLine dolly = new DollyCommandLine(System.getenv(), System.out, System.err, System.in, LauncherSettings.fromSystemProperties());
        System.exit(dolly.run(args));
    }
}
