package dev.dolly.cli.command;

import dev.dolly.api.DataContainer;
import dev.dolly.api.client.DollyClient;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.util.concurrent.Callable;

import static java.util.Objects.requireNonNull;

/** {@code dolly proxy data-container CONTAINER --port 9160} */
@Command(
        name = Aliases.DATA_CONTAINER,
        aliases = {"datacontainer", "dc"},
        description = "Relay a local port to a data container's server, in the foreground until Ctrl-C.")
final class ProxyDataContainerCommand
        implements Callable<Integer>
{
    private final CommandContext context;

    @Mixin
    GlobalOptions global;

    @Parameters(index = "0", paramLabel = "CONTAINER", description = "The container: its name or ID (yours, or one shared with your team).")
    String reference;

    @Option(names = {"-p", "--port"}, required = true, paramLabel = "PORT", description = "The local port to listen on.")
    int port;

    @Option(names = "--listen", paramLabel = "ADDRESS", defaultValue = "127.0.0.1", description = "The local address to listen on. Default: ${DEFAULT-VALUE}.")
    String listenAddress;

    ProxyDataContainerCommand(CommandContext context)
    {
        this.context = requireNonNull(context, "context is null");
    }

    @Override
    public Integer call()
    {
        DollyClient client = new DaemonConnector(context).connect(global);
        DataContainer container = client.getContainer(reference);
        return new LocalProxy(context).run(listenAddress, port, container.host(), container.port(), "data container '" + container.name() + "'", global.quiet);
    }
}
