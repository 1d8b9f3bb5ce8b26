package dev.dolly.core.catalog;

import dev.dolly.api.ResourceStatus;

import java.time.Instant;

/** A container as the catalog holds it. */
public record ContainerRecord(
        long id,
        String name,
        long imageId,
        ResourceStatus status,
        String statusMessage,
        String engine,
        String engineVersion,
        String host,
        int port,
        String userName,
        String password,
        String databaseName,
        String volume,
        String revision,
        String owner,
        Instant createdAt,
        Instant expiresAt) {}
