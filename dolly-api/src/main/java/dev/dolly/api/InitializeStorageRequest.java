package dev.dolly.api;

/**
 * Asks the daemon to put its storage on a new loop-mounted copy-on-write file system: the fix for hosts whose
 * file system cannot share blocks (ext4).
 *
 * @param sizeBytes the file system's size; its file is sparse, so disk is used as data is written
 * @param fileSystem {@code btrfs} (default) or {@code xfs}
 */
public record InitializeStorageRequest(long sizeBytes, String fileSystem) {}
