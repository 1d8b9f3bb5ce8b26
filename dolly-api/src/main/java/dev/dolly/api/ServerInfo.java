package dev.dolly.api;

import java.util.List;

/**
 * What {@code dolly info} shows.
 *
 * @param storageDriver the storage driver in use, such as {@code copy}
 * @param storageDriverReason why that driver was chosen, and how to get a faster one where that applies
 * @param storageTotalBytes the size of the file system (or ZFS dataset) holding the volumes; null when unknown
 * @param storageUsedBytes bytes used on it, by Dolly or anything else; null when unknown
 * @param storageFreeBytes bytes still free for volumes; null when unknown
 * @param isolation how containers are kept apart from each other and from the daemon; null from servers of earlier
 *         versions
 * @param containerPorts the port range of containers, and whether it is reserved from outgoing connections; null from
 *         servers of earlier versions
 * @param routes how connections to routes reach their containers (the kernel, or the daemon's relay and why); null
 *         from servers of earlier versions
 */
public record ServerInfo(
        String version,
        String home,
        String storageDriver,
        String storageDriverReason,
        String engineUser,
        List<EngineInfo> engines,
        Long storageTotalBytes,
        Long storageUsedBytes,
        Long storageFreeBytes,
        Isolation isolation,
        String containerPorts,
        String routes)
{
    /** Without the storage's space, which servers of earlier versions did not report. */
    public ServerInfo(String version, String home, String storageDriver, String storageDriverReason, String engineUser, List<EngineInfo> engines)
    {
        this(version, home, storageDriver, storageDriverReason, engineUser, engines, null, null, null, null, null, null);
    }

    /** Without the isolation, which servers of earlier versions did not report. */
    public ServerInfo(String version, String home, String storageDriver, String storageDriverReason, String engineUser, List<EngineInfo> engines,
            Long storageTotalBytes, Long storageUsedBytes, Long storageFreeBytes)
    {
        this(version, home, storageDriver, storageDriverReason, engineUser, engines, storageTotalBytes, storageUsedBytes, storageFreeBytes, null, null, null);
    }

    /** Without the container ports, which servers of earlier versions did not report. */
    public ServerInfo(String version, String home, String storageDriver, String storageDriverReason, String engineUser, List<EngineInfo> engines,
            Long storageTotalBytes, Long storageUsedBytes, Long storageFreeBytes, Isolation isolation)
    {
        this(version, home, storageDriver, storageDriverReason, engineUser, engines, storageTotalBytes, storageUsedBytes, storageFreeBytes, isolation, null, null);
    }

    /** Without the routes' path, which servers of earlier versions did not report. */
    public ServerInfo(String version, String home, String storageDriver, String storageDriverReason, String engineUser, List<EngineInfo> engines,
            Long storageTotalBytes, Long storageUsedBytes, Long storageFreeBytes, Isolation isolation, String containerPorts)
    {
        this(version, home, storageDriver, storageDriverReason, engineUser, engines, storageTotalBytes, storageUsedBytes, storageFreeBytes, isolation,
                containerPorts, null);
    }

    /**
     * The isolation in force; each part says {@code none: <why>} when it is missing.
     *
     * @param accounts the accounts servers run as
     * @param namespaces the namespaces each server runs in
     * @param cgroups the cgroups servers run in
     * @param memoryLimitBytes the memory each container's server may use; null without cgroups
     * @param processLimit the processes and threads each container's server may run; null without cgroups
     */
    public record Isolation(String accounts, String namespaces, String cgroups, Long memoryLimitBytes, Long processLimit) {}

    /**
     * @param installedVersions versions unpacked and ready to use
     * @param defaultVersion what a definition without {@code version} gets
     * @param availableMajors majors that can be fetched on demand
     */
    public record EngineInfo(
            String engine,
            String defaultVersion,
            List<String> installedVersions,
            List<String> availableMajors,
            List<String> systemInstallations) {}
}
