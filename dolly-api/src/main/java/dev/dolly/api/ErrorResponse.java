package dev.dolly.api;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * The body of every non-2xx answer of the API.
 *
 * @param nextStep what the user can do about it, when Dolly knows; absent from the JSON otherwise
 */
public record ErrorResponse(ErrorCode code, String message, @JsonInclude(JsonInclude.Include.NON_NULL) NextStep nextStep)
{
    public ErrorResponse(ErrorCode code, String message)
    {
        this(code, message, null);
    }
}
