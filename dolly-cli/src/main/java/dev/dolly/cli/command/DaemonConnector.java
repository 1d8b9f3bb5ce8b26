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
 * Finds the daemon a command talks to: the server given with {@code --server} or {@code DOLLY_SERVER}, else the
 * local daemon of {@code DOLLY_HOME}, started in the background when it does not run.
 */
final class DaemonConnector
{
    private final CommandContext context;

    DaemonConnector(CommandContext context)
    {
        this.context = requireNonNull(context, "context is null");
    }

    DollyClient connect(GlobalOptions options)
    {
        Optional<String> accessToken = options.accessToken(context);
        Optional<String> server = options.server(context);
        if (server.isPresent()) {
            URI uri = serverUri(server.get());
            String token = accessToken.orElseThrow(() -> new DollyException(ErrorCode.NOT_AUTHENTICATED,
                    "No access token for " + uri + ". Set DOLLY_ACCESS_TOKEN or pass --access-token TOKEN "
                            + "(the server's administrator token is in the file admin-token of its DOLLY_HOME)."));
            return new DollyClient(uri, token, options.trust(context));
        }
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

    /** The local daemon once it answers, started when it does not run. */
    private DollyClient connectChecked(GlobalOptions options, LocalDaemon daemon, Optional<String> accessToken)
    {
        DaemonAddress address = daemon.running().orElseGet(() -> daemon.start(
                () -> context.progress(options.quiet, "Starting the Dolly daemon for " + daemon.home() + "...")));
        return daemon.client(address, daemon.accessToken(accessToken));
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
