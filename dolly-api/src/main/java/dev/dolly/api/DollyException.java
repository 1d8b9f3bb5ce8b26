package dev.dolly.api;

import java.util.Optional;

import static java.util.Objects.requireNonNull;

/**
 * The one exception type of Dolly: a code that decides the HTTP status and the exit code, a message written for the
 * user saying what went wrong, and, where Dolly knows one, a {@link NextStep} saying what to do about it. The core
 * leaves the wording of the next step to each client (the CLI names a command), so its messages name no command.
 */
public class DollyException
        extends RuntimeException
{
    private final ErrorCode errorCode;
    private final NextStep nextStep;

    public DollyException(ErrorCode errorCode, String message)
    {
        this(errorCode, message, (NextStep) null);
    }

    public DollyException(ErrorCode errorCode, String message, Throwable cause)
    {
        this(errorCode, message, null, cause);
    }

    /** @param nextStep what the user can do about it, or {@code null} */
    public DollyException(ErrorCode errorCode, String message, NextStep nextStep)
    {
        super(requireNonNull(message, "message is null"));
        this.errorCode = requireNonNull(errorCode, "errorCode is null");
        this.nextStep = nextStep;
    }

    /** @param nextStep what the user can do about it, or {@code null} */
    public DollyException(ErrorCode errorCode, String message, NextStep nextStep, Throwable cause)
    {
        super(requireNonNull(message, "message is null"), cause);
        this.errorCode = requireNonNull(errorCode, "errorCode is null");
        this.nextStep = nextStep;
    }

    public ErrorCode errorCode()
    {
        return errorCode;
    }

    /** What the user can do about this failure, when Dolly knows. */
    public Optional<NextStep> nextStep()
    {
        return Optional.ofNullable(nextStep);
    }

    public static DollyException badInput(String message)
    {
        return new DollyException(ErrorCode.BAD_INPUT, message);
    }

    public static DollyException notFound(String message)
    {
        return new DollyException(ErrorCode.NOT_FOUND, message);
    }

    public static DollyException notFound(String message, NextStep nextStep)
    {
        return new DollyException(ErrorCode.NOT_FOUND, message, requireNonNull(nextStep, "nextStep is null"));
    }

    /** The user's own backup or script failed to load: the input is at fault, not the server. */
    public static DollyException loadFailed(String message)
    {
        return new DollyException(ErrorCode.LOAD_FAILED, message);
    }

    public static DollyException loadFailed(String message, Throwable cause)
    {
        return new DollyException(ErrorCode.LOAD_FAILED, message, cause);
    }

    /** A database server failed to install, start, stop or answer. */
    public static DollyException engineFailed(String message)
    {
        return new DollyException(ErrorCode.ENGINE_FAILED, message);
    }

    public static DollyException engineFailed(String message, Throwable cause)
    {
        return new DollyException(ErrorCode.ENGINE_FAILED, message, cause);
    }

    /** A volume, snapshot, mount or file of Dolly's storage could not be made, read or removed. */
    public static DollyException storageFailed(String message)
    {
        return new DollyException(ErrorCode.STORAGE_FAILED, message);
    }

    public static DollyException storageFailed(String message, Throwable cause)
    {
        return new DollyException(ErrorCode.STORAGE_FAILED, message, cause);
    }

    /** The resource is in a state that does not allow this now. */
    public static DollyException conflict(String message)
    {
        return new DollyException(ErrorCode.CONFLICT, message);
    }

    public static DollyException conflict(String message, NextStep nextStep)
    {
        return new DollyException(ErrorCode.CONFLICT, message, requireNonNull(nextStep, "nextStep is null"));
    }

    /** Something failed that none of the more precise codes describes. */
    public static DollyException failed(String message)
    {
        return new DollyException(ErrorCode.OPERATION_FAILED, message);
    }

    public static DollyException failed(String message, Throwable cause)
    {
        return new DollyException(ErrorCode.OPERATION_FAILED, message, cause);
    }
}
