package dev.dolly.core.auth;

import dev.dolly.api.CreateTeamRequest;
import dev.dolly.api.CreateUserRequest;
import dev.dolly.api.DollyException;
import dev.dolly.api.ErrorCode;
import dev.dolly.api.NextStep;
import dev.dolly.api.Team;
import dev.dolly.api.UpdateTeamRequest;
import dev.dolly.api.User;
import dev.dolly.core.catalog.TeamRecord;
import dev.dolly.core.catalog.UserCatalog;
import dev.dolly.core.catalog.UserRecord;
import dev.dolly.core.image.ImageDefinitionParser;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

import static java.util.Objects.requireNonNull;

/**
 * Users and teams: only administrators manage them. A daemon that does not run as root serves its local administrator
 * only: its database servers run as its own account, which can read {@code DOLLY_HOME/admin-token} and every
 * container's files, so other users' containers could read everyone's data and act as the administrator.
 */
public final class UserService
{
    private static final Logger LOG = LoggerFactory.getLogger(UserService.class);
    public static final int MINIMUM_PASSWORD_LENGTH = 12;
    private static final int MAXIMUM_PASSWORD_LENGTH = 1024;
    private static final Pattern USER_NAME = Pattern.compile("[a-z0-9][a-z0-9._-]{0,62}");

    private final UserCatalog catalog;
    private final Clock clock;
    private final PasswordHashing passwords;
    private final boolean runsAsRoot;

    /**
     * @param runsAsRoot whether the daemon runs as root, so that database servers run as other accounts than its own
     *         and users can be kept apart (see {@code EngineUser#switchesUser}); without it, no user is created
     */
    public UserService(UserCatalog catalog, Clock clock, PasswordHashing passwords, boolean runsAsRoot)
    {
        this.catalog = requireNonNull(catalog, "catalog is null");
        this.clock = requireNonNull(clock, "clock is null");
        this.passwords = requireNonNull(passwords, "passwords is null");
        this.runsAsRoot = runsAsRoot;
    }

    public User create(Caller caller, CreateUserRequest request)
    {
        caller.checkAdministrator("create users");
        requireNonNull(request, "request is null");
        if (!runsAsRoot) {
            throw new DollyException(ErrorCode.NOT_PERMITTED, "This daemon does not run as root, so every database server runs as the daemon's own account "
                    + "and can read its files, the administrator's token (DOLLY_HOME/admin-token) included: another user's containers could read "
                    + "everyone's data and act as the administrator. Teams need a daemon running as root; this one serves its local administrator only.");
        }
        String name = request.name() == null ? "" : request.name().strip();
        checkUserName(name);
        checkPassword(name, request.password());
        synchronized (this) {
            if (catalog.findUser(name).isPresent()) {
                throw new DollyException(ErrorCode.ALREADY_EXISTS, "A user named '" + name + "' exists already. Choose another name.");
            }
            catalog.insertUser(name, passwords.hash(request.password()), request.admin(), clock.instant());
        }
        LOG.info("User {} created {} {}", caller.name(), request.admin() ? "administrator" : "user", name);
        return view(catalog.findUser(name).orElseThrow());
    }

    public List<User> list(Caller caller)
    {
        caller.checkAdministrator("list users");
        return catalog.listUsers().stream().map(UserService::view).toList();
    }

    /** Deletes a user, their tokens, sessions and team memberships; what they own stays, for administrators to see. */
    public User delete(Caller caller, String name)
    {
        caller.checkAdministrator("delete users");
        UserRecord user = catalog.findUser(name == null ? "" : name.strip())
                .orElseThrow(() -> DollyException.notFound("User '" + name + "' not found.", NextStep.of(NextStep.Kind.LIST_USERS)));
        if (user.name().equals(AccessTokens.ADMIN_USER)) {
            throw DollyException.badInput("The local administrator '" + AccessTokens.ADMIN_USER + "' (the token in DOLLY_HOME/admin-token) cannot be deleted.");
        }
        if (user.name().equals(caller.name())) {
            throw DollyException.badInput("You cannot delete yourself; ask another administrator.");
        }
        User view = view(user);
        catalog.deleteUser(user.name());
        LOG.info("User {} deleted user {}", caller.name(), user.name());
        return view;
    }

    public Team createTeam(Caller caller, CreateTeamRequest request)
    {
        caller.checkAdministrator("create teams");
        String name = request == null || request.name() == null ? "" : request.name().strip();
        ImageDefinitionParser.checkTeam(name);
        synchronized (this) {
            if (catalog.findTeam(name).isPresent()) {
                throw new DollyException(ErrorCode.ALREADY_EXISTS, "A team named '" + name + "' exists already.");
            }
            catalog.insertTeam(name, clock.instant());
        }
        LOG.info("User {} created team {}", caller.name(), name);
        return view(catalog.findTeam(name).orElseThrow());
    }

    public List<Team> listTeams(Caller caller)
    {
        caller.checkAdministrator("list teams");
        return catalog.listTeams().stream().map(UserService::view).toList();
    }

    public Team updateTeam(Caller caller, String name, UpdateTeamRequest request)
    {
        caller.checkAdministrator("change teams");
        requireNonNull(request, "request is null");
        TeamRecord team = catalog.findTeam(name == null ? "" : name.strip())
                .orElseThrow(() -> DollyException.notFound("Team '" + name + "' not found.", NextStep.of(NextStep.Kind.CREATE_TEAM, name)));
        List<String> unknown = new ArrayList<>();
        for (String user : request.addMembers()) {
            if (catalog.findUser(user).isEmpty()) {
                unknown.add(user);
            }
        }
        if (!unknown.isEmpty()) {
            throw DollyException.notFound("No user named " + String.join(", ", unknown.stream().map(user -> "'" + user + "'").toList())
                    + ".", NextStep.of(NextStep.Kind.CREATE_USERS));
        }
        catalog.updateTeamMembers(team.name(), request.addMembers(), request.removeMembers());
        LOG.info("User {} changed team {}: added {}, removed {}", caller.name(), team.name(), request.addMembers(), request.removeMembers());
        return view(catalog.findTeam(team.name()).orElseThrow());
    }

    static boolean isUserName(String name)
    {
        return USER_NAME.matcher(name).matches();
    }

    static void checkUserName(String name)
    {
        if (!isUserName(name)) {
            throw DollyException.badInput("User name '" + name + "' is not valid: use up to 63 lower-case letters, digits, '.', '_' or '-', "
                    + "starting with a letter or digit.");
        }
    }

    /** Refuses passwords that are too short to resist guessing, or the user's name. */
    static void checkPassword(String name, String password)
    {
        if (password == null || password.length() < MINIMUM_PASSWORD_LENGTH) {
            throw DollyException.badInput("The password is too weak: use at least " + MINIMUM_PASSWORD_LENGTH
                    + " characters (a few random words make a good one).");
        }
        if (password.length() > MAXIMUM_PASSWORD_LENGTH) {
            throw DollyException.badInput("The password is too long: use at most " + MAXIMUM_PASSWORD_LENGTH + " characters.");
        }
        if (password.strip().equalsIgnoreCase(name) || password.chars().distinct().count() < 4) {
            throw DollyException.badInput("The password is too weak: it must not be the user name or repeat a few characters. Choose another one.");
        }
    }

    private static User view(UserRecord user)
    {
        return new User(user.name(), user.admin(), user.teams(), user.createdAt());
    }

    private static Team view(TeamRecord team)
    {
        return new Team(team.name(), team.members(), team.createdAt());
    }
}
