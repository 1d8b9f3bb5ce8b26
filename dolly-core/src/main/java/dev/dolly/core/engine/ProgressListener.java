package dev.dolly.core.engine;

/** Receives short progress messages of long operations ("Restoring backup chinook.sql: 40%"). */
@FunctionalInterface
public interface ProgressListener
{
    ProgressListener NONE = message -> {};

    void progress(String message);
}
