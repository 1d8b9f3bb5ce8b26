package dev.dolly.cli.command;

import dev.dolly.api.DollyException;
import dev.dolly.api.ErrorCode;
import dev.dolly.api.Session;
import dev.dolly.api.client.DollyClient;
import dev.dolly.cli.output.Printer;
import dev.dolly.cli.output.RelativeTime;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

import java.util.concurrent.Callable;

import static java.util.Objects.requireNonNull;

/** {@code dolly auth status}: the server, user and expiry of the session; exit code 7 when there is none. */
@Command(name = "status", description = "Show which server you are signed in to, as whom, and until when. Exits with 7 when not signed in.")
final class AuthStatusCommand
        implements Callable<Integer>
{
    private final CommandContext context;

    @Mixin
    OutputOptions output;

    @Mixin
    QuietOption quietOption;

    AuthStatusCommand(CommandContext context)
    {
        this.context = requireNonNull(context, "context is null");
    }

    @Override
    public Integer call()
    {
        ClientConfiguration configuration = ClientConfiguration.of(context);
        StoredSession stored = configuration.session().orElseThrow(() -> new DollyException(ErrorCode.NOT_AUTHENTICATED,
                "Not signed in (no session in " + configuration.file() + "). Sign in with 'dolly auth login --username NAME'."));
        if (stored.expiresAt() != null && !stored.expiresAt().isAfter(context.now())) {
            throw new DollyException(ErrorCode.NOT_AUTHENTICATED, "The session of " + stored.user() + " at " + stored.server() + " expired "
                    + RelativeTime.format(stored.expiresAt(), context.now()) + ". Sign in again with 'dolly auth login --username " + stored.user() + "'.");
        }
        Session session;
        try {
            session = new DollyClient(DaemonConnector.serverUri(stored.server()), stored.token(), GlobalOptions.environmentTrust(context)).currentSession();
        }
        catch (DollyException e) {
            if (e.errorCode() == ErrorCode.NOT_AUTHENTICATED) {
                throw new DollyException(ErrorCode.NOT_AUTHENTICATED, "The session of " + stored.user() + " at " + stored.server()
                        + " is no longer valid (revoked, or the user was deleted). Sign in again with 'dolly auth login --username " + stored.user() + "'.");
            }
            throw e;
        }
        AuthStatus status = new AuthStatus(stored.server(), session.user(), session.admin(), session.teams(), session.expiresAt());
        if (output.structured()) {
            new Printer(context.stdout()).print(status, output.format);
        }
        else if (quietOption.quiet) {
            context.stdout().println(status.user());
        }
        else {
            context.stdout().println("Signed in to " + status.server() + " as " + status.user() + (session.admin() ? " (administrator)" : "") + ".");
            context.stdout().println("Teams: " + (session.teams().isEmpty() ? "none" : String.join(", ", session.teams())) + ".");
            context.stdout().println("The session expires " + RelativeTime.expiry(session.expiresAt(), context.now())
                    + (session.expiresAt() == null ? "" : " (" + session.expiresAt() + ")") + ".");
        }
        return 0;
    }
}
