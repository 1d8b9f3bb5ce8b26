package dev.dolly.cli.command;

/** The names spawnctl accepts for each kind of resource. */
final class Aliases
{
    static final String DATA_IMAGE = "data-image";
    static final String DATA_CONTAINER = "data-container";

    private Aliases() {}
}
