package dev.dolly.core.storage;

import static java.util.Objects.requireNonNull;

/**
 * The storage driver a home uses, and why, as {@code dolly info} shows it.
 *
 * @param reason why this driver, and how to get a faster one where that applies
 */
public record StorageSelection(StorageDriver driver, String reason)
{
    public StorageSelection
    {
        requireNonNull(driver, "driver is null");
        requireNonNull(reason, "reason is null");
    }
}
