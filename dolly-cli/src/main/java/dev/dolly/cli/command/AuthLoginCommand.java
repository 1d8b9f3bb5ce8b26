package dev.dolly.cli.command;

import dev.dolly.api.DaemonAddress;
import dev.dolly.api.SessionToken;
import dev.dolly.api.SignInRequest;
import dev.dolly.api.client.DollyClient;
import dev.dolly.cli.daemon.LocalDaemon;
import dev.dolly.cli.output.Printer;
import dev.dolly.cli.output.RelativeTime;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.net.URI;
import java.util.concurrent.Callable;

import static java.util.Objects.requireNonNull;

/**
 * {@code dolly auth login [--server URL] --username NAME [--password-stdin]}: signs in and keeps the session in the
 * CLI configuration, which later commands use.
 */
@Command(
        name = "login",
        description = {
                "Sign in to a Dolly server. The session token is kept in the CLI configuration (DOLLY_CONFIG, default ~/.dolly/config,",
                "readable by you only) and used by every command until it expires (12 hours by default) or you sign out."})
final class AuthLoginCommand
        implements Callable<Integer>
{
    private final CommandContext context;

    @Mixin
    GlobalOptions global;

    @Mixin
    OutputOptions output;

    @Option(names = {"-u", "--username"}, required = true, paramLabel = "NAME", description = "Your user name.")
    String username;

    @Option(names = "--password-stdin", description = "Read the password from the first line of stdin instead of asking for it.")
    boolean passwordStdin;

    AuthLoginCommand(CommandContext context)
    {
        this.context = requireNonNull(context, "context is null");
    }

    @Override
    public Integer call()
    {
        ClientConfiguration configuration = ClientConfiguration.of(context);
        // no token: signing in is the one request that needs none
        DollyClient client = global.server(context).map(DaemonConnector::serverUri)
                .or(() -> configuration.session().map(session -> DaemonConnector.serverUri(session.server())))
                .map(uri -> new DollyClient(uri, "", global.trust(context)))
                .orElseGet(this::localClient);
        URI server = client.server();
        String password = new PasswordInput(context).read(passwordStdin, false);
        SessionToken session = client.signIn(new SignInRequest(username, password));
        configuration.save(new StoredSession(server.toString(), session.user(), session.token(), session.expiresAt()));
        if (output.structured()) {
            new Printer(context.stdout()).print(new AuthStatus(server.toString(), session.user(), null, null, session.expiresAt()), output.format);
        }
        else if (!global.quiet) {
            context.stdout().println("Signed in to " + server + " as " + session.user() + ". The session expires "
                    + RelativeTime.expiry(session.expiresAt(), context.now()) + "; 'dolly auth logout' ends it sooner.");
        }
        return 0;
    }

    /** The local daemon, started when it does not run, trusted by the certificate its daemon.json names. */
    private DollyClient localClient()
    {
        LocalDaemon daemon = context.localDaemon();
        DaemonAddress address = daemon.running().orElseGet(() -> daemon.start(
                () -> context.progress(global.quiet, "Starting the Dolly daemon for " + daemon.home() + "...")));
        return daemon.client(address, "");
    }
}
