package dev.dolly.cli.output;

import dev.dolly.api.DollyException;
import dev.dolly.api.ErrorCode;
import dev.dolly.api.NextStep;
import dev.dolly.api.NextStep.Kind;
import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The CLI's wording of every next step: word for word what the daemon's messages said before they left it to the clients. */
class TestNextSteps
{
    @Test
    void everyKindIsWordedAsBefore()
    {
        Map<NextStep, String[]> cases = new LinkedHashMap<>();
        cases.put(NextStep.of(Kind.LIST_IMAGES), new String[] {"Data image 'x' not found.",
                "Data image 'x' not found. List images with 'dolly get data-images'."});
        cases.put(NextStep.of(Kind.LIST_CONTAINERS), new String[] {"Data container 'c' not found.",
                "Data container 'c' not found. List containers with 'dolly get data-containers'."});
        cases.put(NextStep.of(Kind.LIST_ROUTES), new String[] {"Route 'r' not found.",
                "Route 'r' not found. List routes with 'dolly get routes'."});
        cases.put(NextStep.of(Kind.LIST_REVISIONS, "c"), new String[] {"Data container 'c' has no revision rev.4.",
                "Data container 'c' has no revision rev.4. List its revisions with 'dolly get revisions c'."});
        cases.put(NextStep.of(Kind.LIST_USERS), new String[] {"User 'u' not found.",
                "User 'u' not found. List users with 'dolly get users'."});
        cases.put(NextStep.of(Kind.LIST_ACCESS_TOKENS), new String[] {"Access token '9' not found.",
                "Access token '9' not found. List yours with 'dolly get access-tokens'."});
        cases.put(NextStep.of(Kind.CREATE_TEAM, "org:ops"), new String[] {"Team 'org:ops' not found.",
                "Team 'org:ops' not found. Create it with 'dolly create team org:ops'."});
        cases.put(NextStep.of(Kind.CREATE_USERS), new String[] {"No user named 'dave'.",
                "No user named 'dave'. Create users with 'dolly create user NAME'."});
        cases.put(NextStep.of(Kind.SIGN_IN), new String[] {"This call needs an access token.",
                "This call needs an access token. Sign in with 'dolly auth login', or set DOLLY_ACCESS_TOKEN (the local CLI reads DOLLY_HOME/admin-token)."});
        cases.put(NextStep.of(Kind.SIGN_IN_AGAIN), new String[] {"The access token is not valid (unknown, revoked or expired).",
                "The access token is not valid (unknown, revoked or expired). Sign in again with 'dolly auth login', or set a valid one with DOLLY_ACCESS_TOKEN."});
        cases.put(NextStep.of(Kind.ASK_AN_ADMINISTRATOR), new String[] {"Only administrators may list users.",
                "Only administrators may list users. Ask one, or sign in as one with 'dolly auth login'."});
        cases.put(NextStep.of(Kind.EXTEND_IMAGE_LIFETIME, 4), new String[] {"Data image 'x' (4) expired at 2026-01-01T00:00:00Z and is deleted once nothing uses it.",
                "Data image 'x' (4) expired at 2026-01-01T00:00:00Z and is deleted once nothing uses it. Use a newer image, or keep this one with 'dolly update data-image 4 --lifetime 7d'."});
        cases.put(NextStep.of(Kind.WAIT_FOR_IMAGE, 4), new String[] {"Data image 'x' (4) is Pending.",
                "Data image 'x' (4) is Pending. Wait until it is Ready ('dolly get data-image 4')."});
        cases.put(NextStep.of(Kind.NAME_THE_IMAGE), new String[] {"Name the image to create the container from.",
                "Name the image to create the container from: dolly create data-container -i IMAGE."});
        cases.put(NextStep.of(Kind.DELETE_CONTAINERS_FIRST), new String[] {"Data image 'x' (4) is used by data containers 'c'.",
                "Data image 'x' (4) is used by data containers 'c'. Delete them first ('dolly delete data-container NAME')."});
        cases.put(NextStep.of(Kind.DELETE_CONTAINER, "c"), new String[] {"rev.0 of data container 'c' is its image: it cannot be deleted.",
                "rev.0 of data container 'c' is its image: it cannot be deleted. Delete the container with 'dolly delete data-container c'."});
        cases.put(NextStep.of(Kind.NAME_THE_REVISION, "c"), new String[] {"Name the revision to load.",
                "Name the revision to load: dolly load data-container c -r rev.N."});
        cases.put(NextStep.of(Kind.LOAD_ANOTHER_REVISION, "c"), new String[] {"Data container 'c' is on rev.2.",
                "Data container 'c' is on rev.2. Load another revision first ('dolly load data-container c -r rev.0')."});
        cases.put(NextStep.of(Kind.SAVE_A_REVISION, "c"), new String[] {"rev.0 of data container 'c' is its image 'x' itself: create containers from that image, or save a revision first.",
                "rev.0 of data container 'c' is its image 'x' itself: create containers from that image, or save a revision first ('dolly save data-container c')."});
        cases.put(NextStep.of(Kind.EMPTY_THE_STORAGE), new String[] {"Dolly's storage already holds images or containers.",
                "Dolly's storage already holds images or containers. Delete them all first ('dolly delete data-container …', 'dolly delete data-image …'), or use a new DOLLY_HOME."});
        cases.put(NextStep.of(Kind.RUN_AS_ROOT), new String[] {"Creating a loop-mounted file system needs root.",
                "Creating a loop-mounted file system needs root. Run the daemon as root (for example 'sudo dolly storage init ...')."});
        cases.put(NextStep.of(Kind.USE_OR_STOP_THE_DAEMON), new String[] {"Another Dolly daemon runs for /var/lib/dolly.",
                "Another Dolly daemon runs for /var/lib/dolly. Use it, or stop it with 'dolly daemon stop'."});

        assertThat(cases.keySet()).extracting(NextStep::kind).containsExactlyInAnyOrder(Kind.values());
        cases.forEach((step, messages) -> assertThat(NextSteps.withNextStep(messages[0], step)).as(step.toString()).isEqualTo(messages[1]));
    }

    @Test
    void aFailureWithoutANextStepKeepsItsMessage()
    {
        assertThat(NextSteps.describe(new DollyException(ErrorCode.LOAD_FAILED, "pg_restore failed on the dump."))).isEqualTo("pg_restore failed on the dump.");
        assertThat(NextSteps.describe(DollyException.notFound("Data image 'x' not found.", NextStep.of(Kind.LIST_IMAGES))))
                .isEqualTo("Data image 'x' not found. List images with 'dolly get data-images'.");
    }

    @Test
    void aCommandExampleFollowsAMessageWithoutAFinalPeriodToo()
    {
        assertThat(NextSteps.withNextStep("Name the revision to load", NextStep.of(Kind.NAME_THE_REVISION, "c")))
                .isEqualTo("Name the revision to load: dolly load data-container c -r rev.N.");
    }
}
