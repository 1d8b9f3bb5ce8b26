package dev.dolly.api;

import static java.util.Objects.requireNonNull;

/**
 * The one exception type of Dolly: a code that decides the HTTP status and the exit code, and a message written for
 * the user, saying what went wrong and what to do next.
 */
public class DollyException
        extends RuntimeException
{
    private final ErrorCode errorCode;

    public DollyException(ErrorCode errorCode, String message)
    {
        super(requireNonNull(message, "message is null"));
        this.errorCode = requireNonNull(errorCode, "errorCode is null");
    }

    public DollyException(ErrorCode errorCode, String message, Throwable cause)
    {
        super(requireNonNull(message, "message is null"), cause);
        this.errorCode = requireNonNull(errorCode, "errorCode is null");
    }

    public ErrorCode errorCode()
    {
        return errorCode;
    }

    public static DollyException badInput(String message)
    {
        return new DollyException(ErrorCode.BAD_INPUT, message);
    }

    public static DollyException notFound(String message)
    {
        return new DollyException(ErrorCode.NOT_FOUND, message);
    }

    public static DollyException failed(String message)
    {
        return new DollyException(ErrorCode.OPERATION_FAILED, message);
    }

    public static DollyException failed(String message, Throwable cause)
    {
        return new DollyException(ErrorCode.OPERATION_FAILED, message, cause);
    }
}
