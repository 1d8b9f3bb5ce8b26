package dev.dolly.api;

/**
 * The life cycle of images and containers. Every long operation is recorded in the catalog before it starts, so a
 * crash never leaves a resource whose state is unknown: the daemon settles {@code PENDING} and {@code DELETING}
 * resources when it starts again.
 */
public enum ResourceStatus
{
    /** Being built (image) or created (container). */
    PENDING,
    /** Usable: an image can be cloned, a container's engine runs. */
    READY,
    /** A container whose engine is not running (for example it could not be restarted). */
    STOPPED,
    /** The build or creation failed; {@code statusMessage} says why. Nothing of it remains on disk. */
    FAILED,
    /** Being deleted. */
    DELETING;

    /** The way the CLI shows it: {@code Ready}, {@code Pending}. */
    public String displayName()
    {
        String name = name();
        return name.charAt(0) + name.substring(1).toLowerCase(java.util.Locale.ROOT);
    }
}
