package dev.dolly.api;

import java.util.List;

/**
 * What {@code dolly info} shows.
 *
 * @param storageDriver the storage driver in use, such as {@code copy}
 * @param storageDriverReason why that driver was chosen, and how to get a faster one where that applies
 */
public record ServerInfo(
        String version,
        String home,
        String storageDriver,
        String storageDriverReason,
        String engineUser,
        List<EngineInfo> engines)
{
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
