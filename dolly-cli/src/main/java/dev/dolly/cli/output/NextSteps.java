package dev.dolly.cli.output;

import dev.dolly.api.DollyException;
import dev.dolly.api.NextStep;

/**
 * How the {@code dolly} command says what to do about a failure: the daemon sends a {@link NextStep}, and this class,
 * the only place that knows which command does what, words it. A failure without a next step keeps its message.
 */
public final class NextSteps
{
    private NextSteps() {}

    /** The failure's message followed by its next step, as the CLI prints it after "Error: ". */
    public static String describe(DollyException exception)
    {
        return exception.nextStep()
                .map(step -> withNextStep(exception.getMessage(), step))
                .orElse(exception.getMessage());
    }

    /** {@code message}, which says what went wrong, followed by the command that {@code step} stands for. */
    public static String withNextStep(String message, NextStep step)
    {
        String subject = step.subject();
        return switch (step.kind()) {
            case LIST_IMAGES -> sentence(message, "List images with 'dolly get data-images'.");
            case LIST_CONTAINERS -> sentence(message, "List containers with 'dolly get data-containers'.");
            case LIST_ROUTES -> sentence(message, "List routes with 'dolly get routes'.");
            case LIST_REVISIONS -> sentence(message, "List its revisions with 'dolly get revisions " + subject + "'.");
            case LIST_USERS -> sentence(message, "List users with 'dolly get users'.");
            case LIST_ACCESS_TOKENS -> sentence(message, "List yours with 'dolly get access-tokens'.");
            case CREATE_TEAM -> sentence(message, "Create it with 'dolly create team " + subject + "'.");
            case CREATE_USERS -> sentence(message, "Create users with 'dolly create user NAME'.");
            case SIGN_IN -> sentence(message, "Sign in with 'dolly auth login', or set DOLLY_ACCESS_TOKEN (the local CLI reads DOLLY_HOME/admin-token).");
            case SIGN_IN_AGAIN -> sentence(message, "Sign in again with 'dolly auth login', or set a valid one with DOLLY_ACCESS_TOKEN.");
            case ASK_AN_ADMINISTRATOR -> sentence(message, "Ask one, or sign in as one with 'dolly auth login'.");
            case EXTEND_IMAGE_LIFETIME -> sentence(message, "Use a newer image, or keep this one with 'dolly update data-image " + subject + " --lifetime 7d'.");
            case WAIT_FOR_IMAGE -> sentence(message, "Wait until it is Ready ('dolly get data-image " + subject + "').");
            case NAME_THE_IMAGE -> example(message, "dolly create data-container -i IMAGE");
            case DELETE_CONTAINERS_FIRST -> sentence(message, "Delete them first ('dolly delete data-container NAME').");
            case DELETE_CONTAINER -> sentence(message, "Delete the container with 'dolly delete data-container " + subject + "'.");
            case NAME_THE_REVISION -> example(message, "dolly load data-container " + subject + " -r rev.N");
            case LOAD_ANOTHER_REVISION -> sentence(message, "Load another revision first ('dolly load data-container " + subject + " -r rev.0').");
            case SAVE_A_REVISION -> aside(message, "'dolly save data-container " + subject + "'");
            case EMPTY_THE_STORAGE -> sentence(message, "Delete them all first ('dolly delete data-container …', 'dolly delete data-image …'), or use a new DOLLY_HOME.");
            case RUN_AS_ROOT -> sentence(message, "Run the daemon as root (for example 'sudo dolly storage init ...').");
            case USE_OR_STOP_THE_DAEMON -> sentence(message, "Use it, or stop it with 'dolly daemon stop'.");
        };
    }

    /** "Data image 'x' not found. List images with …." */
    private static String sentence(String message, String sentence)
    {
        return message + " " + sentence;
    }

    /** "Name the revision to load: dolly load data-container c -r rev.N." */
    private static String example(String message, String command)
    {
        return withoutFinalPeriod(message) + ": " + command + ".";
    }

    /** "… or save a revision first ('dolly save data-container c')." */
    private static String aside(String message, String command)
    {
        return withoutFinalPeriod(message) + " (" + command + ").";
    }

    private static String withoutFinalPeriod(String message)
    {
        return message.endsWith(".") ? message.substring(0, message.length() - 1) : message;
    }
}
