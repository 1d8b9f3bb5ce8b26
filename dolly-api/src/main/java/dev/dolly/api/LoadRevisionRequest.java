package dev.dolly.api;

/** Brings a container to one of its revisions, such as {@code rev.0} (its image). */
public record LoadRevisionRequest(String revision) {}
