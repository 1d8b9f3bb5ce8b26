package dev.dolly.core.testing;

import dev.dolly.api.DollyException;
import dev.dolly.api.ErrorCode;
import dev.dolly.api.NextStep;
import org.assertj.core.api.AbstractThrowableAssert;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Assertions on the one error type of Dolly. */
public final class DollyAssertions
{
    private DollyAssertions() {}

    /** Asserts that the call fails with a {@link DollyException} of that code; the message can be checked further. */
    public static AbstractThrowableAssert<?, ? extends Throwable> assertFailsWith(ErrorCode code, ThrowingCallable call)
    {
        return assertThatThrownBy(call)
                .isInstanceOfSatisfying(DollyException.class, exception -> assertThat(exception.errorCode()).as("error code of: " + exception.getMessage()).isEqualTo(code));
    }

    /** Asserts that the call fails with a {@link DollyException} of that code and that next step. */
    public static AbstractThrowableAssert<?, ? extends Throwable> assertFailsWith(ErrorCode code, NextStep nextStep, ThrowingCallable call)
    {
        return assertFailsWith(code, call)
                .isInstanceOfSatisfying(DollyException.class, exception -> assertThat(exception.nextStep()).as("next step of: " + exception.getMessage()).hasValue(nextStep));
    }
}
