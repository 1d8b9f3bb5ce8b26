package dev.dolly.cli.command;

import picocli.CommandLine.Command;

/** {@code dolly proxy}: a relay on this machine to a container or a route of the daemon. */
@Command(
        name = "proxy",
        description = "Relay a local port to a data container or a route of the daemon, in the foreground until Ctrl-C: for a daemon on another machine.",
        subcommands = {
                ProxyDataContainerCommand.class,
                ProxyRouteCommand.class,
        })
final class ProxyCommand {}
