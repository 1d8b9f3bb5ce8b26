package dev.dolly.api;

import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.Map;
import java.util.stream.Collectors;

import static java.util.Map.entry;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Each error code's HTTP status and exit code, and the error body's JSON. */
class ErrorCodeTest
{
    @Test
    void everyCodeHasItsStatusAndExitCode()
    {
        // the exit codes are those the dolly command had before the failures were told apart: scripts rely on them
        Map<ErrorCode, String> expected = Map.ofEntries(
                entry(ErrorCode.OPERATION_FAILED, "500 1"),
                entry(ErrorCode.LOAD_FAILED, "422 1"),
                entry(ErrorCode.ENGINE_FAILED, "500 1"),
                entry(ErrorCode.STORAGE_FAILED, "500 1"),
                entry(ErrorCode.CONFLICT, "409 1"),
                entry(ErrorCode.IN_USE, "409 1"),
                entry(ErrorCode.NOT_FOUND, "404 2"),
                entry(ErrorCode.BAD_INPUT, "400 3"),
                entry(ErrorCode.TOO_LARGE, "413 3"),
                entry(ErrorCode.REQUEST_TOO_SLOW, "408 3"),
                entry(ErrorCode.ALREADY_EXISTS, "409 3"),
                entry(ErrorCode.NOT_AUTHENTICATED, "401 7"),
                entry(ErrorCode.TIMED_OUT, "504 4"),
                entry(ErrorCode.NOT_PERMITTED, "403 8"),
                entry(ErrorCode.QUOTA_EXCEEDED, "403 8"),
                entry(ErrorCode.TOO_MANY_ATTEMPTS, "429 9"),
                entry(ErrorCode.DAEMON_UNREACHABLE, "503 1"),
                entry(ErrorCode.TLS_FAILURE, "502 10"),
                entry(ErrorCode.INTERNAL_ERROR, "500 1"));

        Map<ErrorCode, String> actual = Arrays.stream(ErrorCode.values())
                .collect(Collectors.toMap(code -> code, code -> code.httpStatus() + " " + code.exitCode()));

        assertThat(actual).isEqualTo(expected);
    }

    @Test
    void factoriesChooseTheirCodes()
    {
        assertThat(DollyException.loadFailed("x").errorCode()).isEqualTo(ErrorCode.LOAD_FAILED);
        assertThat(DollyException.engineFailed("x", new RuntimeException()).errorCode()).isEqualTo(ErrorCode.ENGINE_FAILED);
        assertThat(DollyException.storageFailed("x").errorCode()).isEqualTo(ErrorCode.STORAGE_FAILED);
        assertThat(DollyException.conflict("x").errorCode()).isEqualTo(ErrorCode.CONFLICT);
        assertThat(DollyException.conflict("x").nextStep()).isEmpty();
        assertThat(DollyException.notFound("x", NextStep.of(NextStep.Kind.LIST_IMAGES)).nextStep()).hasValue(new NextStep(NextStep.Kind.LIST_IMAGES, null));
    }

    @Test
    void theNextStepIsInTheBodyOnlyWhenThereIsOne()
            throws Exception
    {
        assertThat(Json.json().writeValueAsString(new ErrorResponse(ErrorCode.NOT_FOUND, "Data image 'x' not found.")))
                .isEqualTo("{\"code\":\"NOT_FOUND\",\"message\":\"Data image 'x' not found.\"}");
        assertThat(Json.json().writeValueAsString(new ErrorResponse(ErrorCode.NOT_FOUND, "Data image 'x' not found.", NextStep.of(NextStep.Kind.LIST_IMAGES))))
                .isEqualTo("{\"code\":\"NOT_FOUND\",\"message\":\"Data image 'x' not found.\",\"nextStep\":{\"kind\":\"LIST_IMAGES\"}}");
        ErrorResponse withSubject = new ErrorResponse(ErrorCode.CONFLICT, "Data image 'x' (4) is Pending.", NextStep.of(NextStep.Kind.WAIT_FOR_IMAGE, 4L));
        String json = Json.json().writeValueAsString(withSubject);
        assertThat(json).isEqualTo("{\"code\":\"CONFLICT\",\"message\":\"Data image 'x' (4) is Pending.\",\"nextStep\":{\"kind\":\"WAIT_FOR_IMAGE\",\"subject\":\"4\"}}");
        assertThat(Json.json().readValue(json, ErrorResponse.class)).isEqualTo(withSubject);
    }

    @Test
    void aNextStepHasASubjectExactlyWhenItsKindNeedsOne()
    {
        assertThatThrownBy(() -> new NextStep(NextStep.Kind.WAIT_FOR_IMAGE, null)).hasMessage("WAIT_FOR_IMAGE needs a subject: null");
        assertThatThrownBy(() -> new NextStep(NextStep.Kind.LIST_IMAGES, "4")).hasMessage("LIST_IMAGES takes no subject: 4");
    }
}
