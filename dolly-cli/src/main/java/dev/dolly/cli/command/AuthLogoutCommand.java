package dev.dolly.cli.command;

import dev.dolly.api.DollyException;
import dev.dolly.api.ErrorCode;
import dev.dolly.api.client.DollyClient;
import dev.dolly.cli.output.NextSteps;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

import java.util.Optional;
import java.util.concurrent.Callable;

import static java.util.Objects.requireNonNull;

/** {@code dolly auth logout}: revokes the session on the server and removes it from the CLI configuration. */
@Command(name = "logout", description = "Sign out: the session token is revoked on the server and removed from the CLI configuration.")
final class AuthLogoutCommand
        implements Callable<Integer>
{
    private final CommandContext context;

    @Mixin
    QuietOption quietOption;

    AuthLogoutCommand(CommandContext context)
    {
        this.context = requireNonNull(context, "context is null");
    }

    @Override
    public Integer call()
    {
        ClientConfiguration configuration = ClientConfiguration.of(context);
        Optional<StoredSession> stored = configuration.session();
        if (stored.isEmpty()) {
            print("Not signed in.");
            return 0;
        }
        try {
            new DollyClient(DaemonConnector.serverUri(stored.get().server()), stored.get().token(), GlobalOptions.environmentTrust(context)).signOut();
        }
        catch (DollyException e) {
            if (e.errorCode() == ErrorCode.DAEMON_UNREACHABLE) {
                // the token stays valid on the server until it expires; say so, and forget it here anyway
                context.stderr().println("Warning: " + NextSteps.describe(e) + " The session could not be revoked there; it expires "
                        + stored.get().expiresAt() + ".");
            }
            else if (e.errorCode() != ErrorCode.NOT_AUTHENTICATED) {
                throw e;
            }
        }
        configuration.remove();
        print("Signed out of " + stored.get().server() + ".");
        return 0;
    }

    private void print(String message)
    {
        if (!quietOption.quiet) {
            context.stdout().println(message);
        }
    }
}
