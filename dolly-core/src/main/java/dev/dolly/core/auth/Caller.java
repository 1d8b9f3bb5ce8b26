package dev.dolly.core.auth;

import dev.dolly.api.DollyException;
import dev.dolly.api.ErrorCode;
import dev.dolly.api.NextStep;
import dev.dolly.core.catalog.ContainerRecord;
import dev.dolly.core.catalog.ImageRecord;
import dev.dolly.core.catalog.RouteRecord;

import java.util.Set;

import static java.util.Objects.requireNonNull;

/**
 * Who is asking: the user a request's token belongs to, whether they are an administrator, and their teams. The
 * services decide with it what the caller may see and change:
 * <ul>
 * <li>an image is visible to its owner, to members of any of its teams, and to administrators; members may create
 * containers from it; only its owner and administrators may delete or change it;</li>
 * <li>a container is visible to its owner, to members of any of its teams (a shared container: they get its
 * connection details and may point their routes at it), and to administrators; only its owner and administrators
 * may change it, save, load or reset its revisions, or delete it;</li>
 * <li>a route is visible to its owner and to administrators, who alone may change or delete it.</li>
 * </ul>
 * What a caller may not see is answered as if it did not exist, so that names do not leak.
 *
 * @param teams the teams the user is a member of, {@code org:team}
 */
public record Caller(
        String name,
        boolean admin,
        Set<String> teams)
{
    public Caller
    {
        requireNonNull(name, "name is null");
        teams = Set.copyOf(requireNonNull(teams, "teams is null"));
    }

    /** The local administrator, for work the daemon does on its own behalf and for tests. */
    public static Caller administrator(String name)
    {
        return new Caller(name, true, Set.of());
    }

    public boolean canSee(ImageRecord image)
    {
        return admin || image.owner().equals(name) || image.teams().stream().anyMatch(teams::contains);
    }

    /** Delete it, change its tags, teams, name or lifetime. */
    public boolean canChange(ImageRecord image)
    {
        return admin || image.owner().equals(name);
    }

    /** Whether the caller may see a container: their own, or any for administrators; one waiting in a warm pool is nobody's to see. */
    public boolean canSee(ContainerRecord container)
    {
        return !container.pooled() && (admin || container.owner().equals(name) || container.teams().stream().anyMatch(teams::contains));
    }

    /** Delete it, change its name, lifetime or teams, save, load or reset its revisions. */
    public boolean canChange(ContainerRecord container)
    {
        return !container.pooled() && (admin || container.owner().equals(name));
    }

    /** Refuses a caller who may see the container (a member of one of its teams) but not change it. */
    public void checkCanChange(ContainerRecord container, String action)
    {
        if (!canChange(container)) {
            throw new DollyException(ErrorCode.NOT_PERMITTED, "Only the owner of data container '" + container.name() + "' (" + container.owner()
                    + ") or an administrator may " + action + " it; you can connect to it through one of its teams.");
        }
    }

    public boolean canSee(RouteRecord route)
    {
        return admin || route.owner().equals(name);
    }

    /** Refuses a caller who may see the image but not change it. */
    public void checkCanChange(ImageRecord image, String action)
    {
        if (!canChange(image)) {
            throw new DollyException(ErrorCode.NOT_PERMITTED, "Only the owner of data image '" + image.name() + "' (" + image.owner()
                    + ") or an administrator may " + action + " it; you can see it through one of its teams.");
        }
    }

    /**
     * Refuses to share with a team the caller is not a member of: sharing puts an image in front of that team, under
     * names its members use. Administrators may share with any team.
     */
    public void checkCanShareWith(String team)
    {
        if (!admin && !teams.contains(team)) {
            throw new DollyException(ErrorCode.NOT_PERMITTED, "You are not a member of team '" + team + "': only its members and administrators may share "
                    + "images and containers with it." + (teams.isEmpty() ? "" : " Your teams: " + String.join(", ", teams.stream().sorted().toList()) + "."));
        }
    }

    /** Refuses a caller who is not an administrator. */
    public void checkAdministrator(String action)
    {
        if (!admin) {
            throw new DollyException(ErrorCode.NOT_PERMITTED, "Only administrators may " + action + ".", NextStep.of(NextStep.Kind.ASK_AN_ADMINISTRATOR));
        }
    }
}
