package dev.dolly.api;

import com.fasterxml.jackson.annotation.JsonInclude;

import static java.util.Objects.requireNonNull;

/**
 * What the user can do about a failure, as data rather than words, so that each client says it its own way: the
 * {@code dolly} command names a command to run, a web page may offer a button. The failure's message says only what
 * went wrong.
 *
 * @param kind what to do
 * @param subject the image ID, container name or team name the step is about, for the kinds that need one; else {@code null}
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record NextStep(Kind kind, String subject)
{
    /** The remedies Dolly's failures suggest; each says whether it names a subject, and which. */
    public enum Kind
    {
        /** See the images the caller may use. */
        LIST_IMAGES(false),
        /** See the containers the caller may use. */
        LIST_CONTAINERS(false),
        /** See the caller's routes. */
        LIST_ROUTES(false),
        /** See the revisions of the container named by the subject. */
        LIST_REVISIONS(true),
        /** See the users (administrators). */
        LIST_USERS(false),
        /** See the caller's own access tokens. */
        LIST_ACCESS_TOKENS(false),
        /** Create the team named by the subject (administrators). */
        CREATE_TEAM(true),
        /** Create the users that were named (administrators). */
        CREATE_USERS(false),
        /** Sign in, or pass an access token: the request carried none. */
        SIGN_IN(false),
        /** Sign in again, or pass a valid access token: the one sent is unknown, revoked or expired. */
        SIGN_IN_AGAIN(false),
        /** Ask an administrator, or sign in as one. */
        ASK_AN_ADMINISTRATOR(false),
        /** Use a newer image, or extend the lifetime of the expired image whose ID is the subject. */
        EXTEND_IMAGE_LIFETIME(true),
        /** Wait until the image whose ID is the subject is built, watching its status. */
        WAIT_FOR_IMAGE(true),
        /** Name the image a new container is made from. */
        NAME_THE_IMAGE(false),
        /** Delete the containers that still use the image first. */
        DELETE_CONTAINERS_FIRST(false),
        /** Delete the container named by the subject (rather than its rev.0). */
        DELETE_CONTAINER(true),
        /** Name the revision to load into the container named by the subject. */
        NAME_THE_REVISION(true),
        /** Load another revision into the container named by the subject first. */
        LOAD_ANOTHER_REVISION(true),
        /** Save a revision of the container named by the subject first. */
        SAVE_A_REVISION(true),
        /** Delete every container and image first, or use a new home. */
        EMPTY_THE_STORAGE(false),
        /** Run the daemon as root. */
        RUN_AS_ROOT(false),
        /** Use the daemon that runs already, or stop it. */
        USE_OR_STOP_THE_DAEMON(false);

        private final boolean hasSubject;

        Kind(boolean hasSubject)
        {
            this.hasSubject = hasSubject;
        }

        /** Whether a step of this kind names the image or container it is about. */
        public boolean hasSubject()
        {
            return hasSubject;
        }
    }

    public NextStep
    {
        requireNonNull(kind, "kind is null");
        if (kind.hasSubject() != (subject != null)) {
            throw new IllegalArgumentException(kind + (kind.hasSubject() ? " needs a subject" : " takes no subject") + ": " + subject);
        }
    }

    /** A step about nothing in particular. */
    public static NextStep of(Kind kind)
    {
        return new NextStep(kind, null);
    }

    /** A step about one image (its ID), container or team (its name). */
    public static NextStep of(Kind kind, Object subject)
    {
        return new NextStep(kind, String.valueOf(requireNonNull(subject, "subject is null")));
    }
}
