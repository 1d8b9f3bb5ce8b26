package dev.dolly.core.storage;

/**
 * Space of the file system (or ZFS dataset) that holds the volumes, for {@code dolly info}.
 *
 * @param totalBytes the size of the file system
 * @param usedBytes bytes in use, by Dolly or anything else on the same file system
 * @param freeBytes bytes new volumes and writes can still take
 */
public record StorageUsage(long totalBytes, long usedBytes, long freeBytes) {}
