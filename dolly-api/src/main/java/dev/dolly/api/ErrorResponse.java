package dev.dolly.api;

/** The body of every non-2xx answer of the API. */
public record ErrorResponse(ErrorCode code, String message) {}
