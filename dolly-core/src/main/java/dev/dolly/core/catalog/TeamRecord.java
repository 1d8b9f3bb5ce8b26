package dev.dolly.core.catalog;

import java.time.Instant;
import java.util.List;

/** A team and its members, by user name. */
public record TeamRecord(
        String name,
        List<String> members,
        Instant createdAt) {}
