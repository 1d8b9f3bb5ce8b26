package dev.dolly.cli.command;

import dev.dolly.api.DaemonAddress;
import dev.dolly.api.DollyException;
import dev.dolly.api.ErrorCode;
import dev.dolly.api.client.DollyClient;
import dev.dolly.cli.daemon.LocalDaemon;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Optional;

import static java.util.Objects.requireNonNull;

/**
 * Finds the daemon a command talks to, and the token to use. The server: {@code --server}, else
 * {@code DOLLY_SERVER}, else the one signed in to with {@code dolly auth login} (the CLI configuration), else the
 * local daemon of {@code DOLLY_HOME}, started in the background when it does not run. The token: {@code
 * --access-token}, else {@code DOLLY_ACCESS_TOKEN} (or spawnctl's {@code SPAWNCTL_ACCESS_TOKEN}), else the session of the configuration when it is for that
 * server, else, for the local daemon, its administrator token.
 */
final class DaemonConnector
{
    private final CommandContext context;
    private boolean localAdministrator;

    DaemonConnector(CommandContext context)
    {
        this.context = requireNonNull(context, "context is null");
    }

    /**
     * Whether the client {@link #connect} made talks to the local daemon of DOLLY_HOME with that home's administrator
     * token: only then may a command name directories of this machine to the daemon, instead of uploading files. A
     * signed-in session (from DOLLY_CONFIG) is someone else's, and uploads.
     */
    boolean localAdministrator()
    {
        return localAdministrator;
    }

    DollyClient connect(GlobalOptions options)
    {
        Optional<String> accessToken = options.accessToken(context);
        Optional<String> server = options.server(context);
        // read only when needed: a command with both a server and a token works whatever the file holds
        Optional<StoredSession> session = server.isPresent() && accessToken.isPresent() ? Optional.empty() : ClientConfiguration.of(context).session();
        if (server.isPresent()) {
            URI uri = serverUri(server.get());
            // a session is only ever sent to the server it was made by
            String token = accessToken.or(() -> session.filter(stored -> sameServer(stored.server(), uri)).map(StoredSession::token))
                    .orElseThrow(() -> new DollyException(ErrorCode.NOT_AUTHENTICATED,
                            "No access token for " + uri + ". Sign in with 'dolly auth login --server " + uri + " --username NAME', "
                                    + "or set DOLLY_ACCESS_TOKEN (the server's administrator token is in the file admin-token of its DOLLY_HOME)."));
            return new DollyClient(uri, token, options.trust(context));
        }
        if (session.isPresent()) {
            return new DollyClient(serverUri(session.get().server()), accessToken.orElse(session.get().token()), options.trust(context));
        }
        localAdministrator = accessToken.isEmpty();
        LocalDaemon daemon = context.localDaemon();
        // The daemon daemon.json names runs: talk to it straight away, without asking it first whether it answers
        // (a request of its own), and check only when the real request finds nobody there.
        Optional<DaemonAddress> recorded = daemon.recorded();
        if (recorded.isPresent()) {
            String token;
            try {
                token = daemon.accessToken(accessToken);
            }
            catch (DollyException e) {
                // no token to talk with (yet): the checked way says why, or starts a daemon that writes one
                return connectChecked(options, daemon, accessToken);
            }
            return daemon.client(recorded.get(), token).withReconnect(() -> connectChecked(options, daemon, accessToken));
        }
        return connectChecked(options, daemon, accessToken);
    }

    /**
     * A client of the daemon {@link #connect} would talk to, but only when there is one to talk to: the local daemon is
     * not started (for completions, which must be quick and leave nothing behind).
     */
    Optional<DollyClient> connectIfRunning(GlobalOptions options)
    {
        if (options.server(context).isPresent() || ClientConfiguration.of(context).session().isPresent()) {
            return Optional.of(connect(options));
        }
        LocalDaemon daemon = context.localDaemon();
        return daemon.recorded().map(address -> daemon.client(address, daemon.accessToken(options.accessToken(context))));
    }

    /** The local daemon once it answers, started when it does not run. */
    private DollyClient connectChecked(GlobalOptions options, LocalDaemon daemon, Optional<String> accessToken)
    {
        DaemonAddress address = daemon.running().orElseGet(() -> daemon.start(
                () -> context.progress(options.quiet, "Starting the Dolly daemon for " + daemon.home() + "...")));
        return daemon.client(address, daemon.accessToken(accessToken));
    }

    private static boolean sameServer(String stored, URI server)
    {
        try {
            return withoutTrailingSlash(serverUri(stored).toString()).equals(withoutTrailingSlash(server.toString()));
        }
        catch (DollyException e) {
            return false;
        }
    }

    private static String withoutTrailingSlash(String url)
    {
        return url.replaceAll("/+$", "");
    }

    static URI serverUri(String server)
    {
        String text = server.contains("://") ? server : "http://" + server;
        try {
            URI uri = new URI(text);
            if (!("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) || uri.getHost() == null) {
                throw new URISyntaxException(text, "not an http or https URL with a host");
            }
            return uri;
        }
        catch (URISyntaxException e) {
            throw DollyException.badInput("Invalid server URL '" + server + "': use http://HOST:PORT or https://HOST:PORT.");
        }
    }
}
