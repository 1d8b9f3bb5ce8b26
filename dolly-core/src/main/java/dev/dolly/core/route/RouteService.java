package dev.dolly.core.route;

import dev.dolly.api.CreateRouteRequest;
import dev.dolly.api.DollyException;
import dev.dolly.api.ErrorCode;
import dev.dolly.api.NextStep;
import dev.dolly.api.ResourceStatus;
import dev.dolly.api.Route;
import dev.dolly.api.UpdateRouteRequest;
import dev.dolly.api.relay.RelayTarget;
import dev.dolly.api.relay.TcpRelay;
import dev.dolly.core.DollyConfiguration;
import dev.dolly.core.auth.Caller;
import dev.dolly.core.catalog.Catalog;
import dev.dolly.core.catalog.ContainerRecord;
import dev.dolly.core.catalog.RouteRecord;
import dev.dolly.core.container.ContainerService;
import dev.dolly.core.image.ImageDefinitionParser;
import dev.dolly.core.process.CommandRunner;
import dev.dolly.core.storage.StorageDrivers;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.NoRouteToHostException;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import static java.util.Objects.requireNonNull;

/**
 * Routes: a port the daemon listens on (on the address engines listen on, {@code DOLLY_CONTAINER_LISTEN}) and relays
 * to a container with a {@link TcpRelay}. Routes are kept in the catalog and listened on again when the daemon
 * starts; a route whose port another program took meanwhile is shown as not listening, with the reason, and listens
 * again on its next update.
 *
 * <p>A switch is synchronous: the relay has its new target before the request is answered, so a connection made
 * after the answer goes to the new container. The target is the container, not its address: each connection asks
 * the catalog where the container's server listens, on the connection's own thread, so a load or reset (the server
 * starts again on the same port) needs nothing from the route, and a server that is stopped could be started there
 * before the connection is relayed.
 *
 * <p>As root, a route on {@code 127.0.0.1} is also given to the kernel ({@link KernelRoutes}, unless
 * {@code DOLLY_ROUTE_KERNEL_PATH=off}): its connections go straight to the container's port, as fast as direct ones.
 * A stopped container's port is listened on by the daemon, which wakes it, so routes to stopped containers work the
 * same. The relay keeps the port, and takes the connections the kernel does not: those of a route whose container
 * was deleted (refused), and all of them when the kernel cannot take routes (not root, no nftables, another listen
 * address), which the daemon's log says once at start.
 */
public final class RouteService
        implements AutoCloseable
{
    private static final Logger LOG = LoggerFactory.getLogger(RouteService.class);
    private static final int FIRST_PORT = 1024;
    private static final int LAST_PORT = 65535;

    private final Catalog catalog;
    private final ContainerService containers;
    private final DollyConfiguration configuration;
    private final Clock clock;
    private final Map<Long, TcpRelay> relays = new ConcurrentHashMap<>();
    private final Map<Long, String> failures = new ConcurrentHashMap<>();
    private volatile KernelRoutes kernel;
    private volatile String path = "relayed by the daemon (the routes have not started yet)";

    public RouteService(Catalog catalog, ContainerService containers, DollyConfiguration configuration, Clock clock)
    {
        this.catalog = requireNonNull(catalog, "catalog is null");
        this.containers = requireNonNull(containers, "containers is null");
        this.configuration = requireNonNull(configuration, "configuration is null");
        this.clock = requireNonNull(clock, "clock is null");
    }

    /** Listens on the port of every route of the catalog; a port that cannot be bound is noted, not fatal. */
    public void start()
    {
        kernel = openKernelRoutes().orElse(null);
        containers.whenDeleted(this::containerDeleted);
        for (RouteRecord route : catalog.routes().list()) {
            try {
                listen(route);
            }
            catch (DollyException e) {
                LOG.warn("Route {} does not listen: {}", route.name(), e.getMessage());
                failures.put(route.id(), e.getMessage());
            }
        }
    }

    /** Creates a route to a container the caller may connect to, listening at once. */
    public synchronized Route create(CreateRouteRequest request, Caller caller)
    {
        requireNonNull(request, "request is null");
        requireNonNull(caller, "caller is null");
        if (request.name() == null || request.name().isBlank()) {
            throw DollyException.badInput("Name the route, for example 'dolly create route app-db --port 9160 --to my-container'.");
        }
        String name = request.name().strip();
        ImageDefinitionParser.checkName(name);
        checkPort(request.port());
        if (request.container() == null || request.container().isBlank()) {
            throw DollyException.badInput("Name the data container route '" + name + "' relays to (--to).");
        }
        ContainerRecord container = containers.resolve(request.container(), caller);
        Optional<RouteRecord> sameName = catalog.routes().findByName(name);
        if (sameName.isPresent()) {
            throw new DollyException(ErrorCode.ALREADY_EXISTS, "A route named '" + name + "' exists already. Choose another name, or delete it first.");
        }
        catalog.routes().list().stream().filter(route -> route.port() == request.port()).findFirst().ifPresent(route -> {
            throw new DollyException(ErrorCode.ALREADY_EXISTS, "Port " + request.port() + " is the port of route '" + (caller.canSee(route) ? route.name() : "of another user")
                    + "'. Choose another port.");
        });
        RouteRecord record = new RouteRecord(0, name, request.port(), container.id(), caller.name(), clock.instant());
        // listening first: a port another program holds refuses the route with nothing recorded
        TcpRelay relay = startRelay(name, request.port(), container.id());
        long id;
        try {
            id = catalog.routes().insert(record).orElseThrow(() -> new DollyException(ErrorCode.ALREADY_EXISTS,
                    "A route named '" + name + "' or on port " + request.port() + " was created meanwhile. Choose another name or port."));
        }
        catch (RuntimeException e) {
            relay.close();
            throw e;
        }
        relays.put(id, relay);
        routeInKernel(request.port(), container);
        LOG.info("Route {} ({}) listens on port {} for container {} ({})", name, id, request.port(), container.name(), container.id());
        return view(load(id));
    }

    /**
     * Points a route at another container. Connections accepted once this returns go there; open ones stay on their
     * container until they end, or are closed at once with {@code dropConnections}. A route that did not listen
     * (its port was taken) tries again.
     */
    public synchronized Route update(String reference, UpdateRouteRequest request, Caller caller)
    {
        requireNonNull(request, "request is null");
        RouteRecord route = resolve(reference, caller);
        if (request.container() == null || request.container().isBlank()) {
            throw DollyException.badInput("Name the data container route '" + route.name() + "' is to relay to (--to).");
        }
        ContainerRecord container = containers.resolve(request.container(), caller);
        catalog.routes().setContainer(route.id(), container.id());
        TcpRelay relay = relays.get(route.id());
        if (relay == null) {
            relay = startRelay(route.name(), route.port(), container.id());
            relays.put(route.id(), relay);
            failures.remove(route.id());
        }
        else {
            relay.setTarget(target(container.id()), false);
        }
        // new connections go to the new container from here on; then the open ones are closed, when asked
        routeInKernel(route.port(), container);
        if (request.dropConnections()) {
            KernelRoutes kernelRoutes = kernel;
            int dropped = relay.dropConnections() + (kernelRoutes == null ? 0 : kernelRoutes.dropConnections(route.port()));
            if (dropped > 0) {
                LOG.info("Route {} ({}): closed {} open connections", route.name(), route.id(), dropped);
            }
        }
        LOG.info("Route {} ({}) now relays to container {} ({})", route.name(), route.id(), container.name(), container.id());
        return view(load(route.id()));
    }

    public synchronized Route delete(String reference, Caller caller)
    {
        RouteRecord route = resolve(reference, caller);
        Route view = view(route);
        unrouteInKernel(route.port());
        TcpRelay relay = relays.remove(route.id());
        if (relay != null) {
            relay.close();
        }
        failures.remove(route.id());
        catalog.routes().delete(route.id());
        LOG.info("Route {} ({}) deleted", route.name(), route.id());
        return view;
    }

    public Route get(String reference, Caller caller)
    {
        return view(resolve(reference, caller));
    }

    /** The routes the caller may see: their own, or all for administrators. */
    public List<Route> list(Caller caller)
    {
        requireNonNull(caller, "caller is null");
        Map<Integer, Integer> kernelConnections = kernelConnections();
        return catalog.routes().list().stream().filter(caller::canSee).map(route -> view(route, kernelConnections)).toList();
    }

    /** Stops listening on every route and closes their connections (the daemon stops). */
    @Override
    public void close()
    {
        KernelRoutes kernelRoutes = kernel;
        kernel = null;
        if (kernelRoutes != null) {
            kernelRoutes.close();
        }
        relays.values().forEach(TcpRelay::close);
        relays.clear();
    }

    /** How connections to routes reach their containers, for {@code dolly info}: the kernel, or the relay and why. */
    public String path()
    {
        return path;
    }

    /** Before a container's record (and port) is freed: no route sends connections to its port any more. */
    private synchronized void containerDeleted(long containerId)
    {
        for (RouteRecord route : catalog.routes().list()) {
            if (route.containerId() != null && route.containerId() == containerId) {
                unrouteInKernel(route.port());
            }
        }
    }

    private Optional<KernelRoutes> openKernelRoutes()
    {
        if (!configuration.routeKernelPath()) {
            return relayed(DollyConfiguration.ROUTE_KERNEL_PATH + "=off");
        }
        if (!"127.0.0.1".equals(listenAddress())) {
            return relayed("they listen on " + listenAddress() + ", and the kernel takes routes on 127.0.0.1 only");
        }
        if (!StorageDrivers.runningAsRoot()) {
            return relayed("only a daemon running as root can have the kernel take them");
        }
        // one table per daemon home: a daemon that crashed finds and replaces its own at its next start
        String table = "dolly_" + Integer.toHexString(configuration.home().toAbsolutePath().normalize().toString().hashCode());
        KernelRoutes.Result result = KernelRoutes.open(table, CommandRunner.system());
        if (result.routes().isEmpty()) {
            LOG.warn("Routes are relayed by the daemon, at about 0.6 of a direct connection's throughput: the kernel cannot take them ({}). "
                    + "Install nftables and iproute2, or set {}=off to say so.", result.reason(), DollyConfiguration.ROUTE_KERNEL_PATH);
            path = "relayed by the daemon: the kernel cannot take them (" + result.reason() + ")";
            return Optional.empty();
        }
        LOG.info("Routes on 127.0.0.1 are taken by the kernel ({})", result.reason());
        path = "taken by the kernel (" + result.reason() + ")";
        return result.routes();
    }

    private Optional<KernelRoutes> relayed(String reason)
    {
        LOG.info("Routes are relayed by the daemon: {}", reason);
        path = "relayed by the daemon: " + reason;
        return Optional.empty();
    }

    /** Has the kernel send the route's new connections to the container, when it takes routes; else the relay does. */
    private void routeInKernel(int port, ContainerRecord container)
    {
        KernelRoutes kernelRoutes = kernel;
        if (kernelRoutes == null) {
            return;
        }
        InetSocketAddress server = containers.serverAddress(container);
        if (container.status() == ResourceStatus.DELETING || container.status() == ResourceStatus.FAILED || !"127.0.0.1".equals(server.getHostString())) {
            unrouteInKernel(port);
            return;
        }
        try {
            kernelRoutes.route(port, server.getPort());
        }
        catch (DollyException e) {
            LOG.warn("The kernel does not take route port {} ({}): the daemon relays it", port, e.getMessage());
            unrouteInKernel(port);
        }
    }

    /**
     * The kernel no longer sends the route's connections anywhere. Should nft fail, the kernel path is given up
     * altogether (its table deleted): a port left mapped could send a route's connections to whichever container
     * takes the old container's port next.
     */
    private void unrouteInKernel(int port)
    {
        KernelRoutes kernelRoutes = kernel;
        if (kernelRoutes == null) {
            return;
        }
        try {
            kernelRoutes.unroute(port);
        }
        catch (DollyException e) {
            LOG.error("Could not remove route port {} from the kernel ({}): the daemon relays every route from now on", port, e.getMessage());
            kernel = null;
            path = "relayed by the daemon: nft failed (" + e.getMessage() + ")";
            kernelRoutes.close();
        }
    }


    private RouteRecord resolve(String reference, Caller caller)
    {
        requireNonNull(reference, "reference is null");
        requireNonNull(caller, "caller is null");
        String trimmed = reference.strip();
        Optional<RouteRecord> route = catalog.routes().findByName(trimmed).filter(caller::canSee);
        if (route.isEmpty() && trimmed.matches("\\d{1,18}")) {
            route = catalog.routes().find(Long.parseLong(trimmed)).filter(caller::canSee);
        }
        return route.orElseThrow(() -> DollyException.notFound("Route '" + reference + "' not found.", NextStep.of(NextStep.Kind.LIST_ROUTES)));
    }

    private RouteRecord load(long id)
    {
        return catalog.routes().find(id).orElseThrow(() -> DollyException.notFound("Route " + id + " not found: it was deleted meanwhile.",
                NextStep.of(NextStep.Kind.LIST_ROUTES)));
    }

    private void checkPort(int port)
    {
        if (port < FIRST_PORT || port > LAST_PORT) {
            throw DollyException.badInput("Port " + port + " cannot be a route's: choose a port from " + FIRST_PORT + " to " + LAST_PORT + " (--port).");
        }
        if (port >= configuration.firstContainerPort() && port <= configuration.lastContainerPort()) {
            throw DollyException.badInput("Port " + port + " is in the containers' port range (" + configuration.firstContainerPort() + "-"
                    + configuration.lastContainerPort() + ", DOLLY_CONTAINER_PORTS): choose a port outside it for the route.");
        }
        if (port == configuration.listenPort()) {
            throw DollyException.badInput("Port " + port + " is the daemon's own (DOLLY_LISTEN): choose another port for the route.");
        }
    }

    private void listen(RouteRecord route)
    {
        Long containerId = route.containerId();
        relays.put(route.id(), startRelay(route.name(), route.port(), containerId == null ? -1 : containerId));
        failures.remove(route.id());
        if (containerId != null) {
            catalog.containers().find(containerId).ifPresent(container -> routeInKernel(route.port(), container));
        }
        LOG.info("Route {} ({}) listens on port {}", route.name(), route.id(), route.port());
    }

    private TcpRelay startRelay(String name, int port, long containerId)
    {
        InetSocketAddress address = new InetSocketAddress(listenAddress(), port);
        try {
            return TcpRelay.start("route " + name, address, target(containerId));
        }
        catch (IOException e) {
            throw new DollyException(ErrorCode.CONFLICT, "Route '" + name + "' cannot listen on " + listenAddress() + ":" + port + " (" + e.getMessage()
                    + "): another program probably uses that port. Choose another port, or stop that program.");
        }
    }

    /** The address routes listen on: the first address engines listen on. */
    private String listenAddress()
    {
        String listen = configuration.containerListenAddress().split(",")[0].strip();
        return listen.equals("*") || listen.isEmpty() ? "0.0.0.0" : listen;
    }

    /**
     * The container's server, looked up per connection: a load or reset keeps its port, and a deleted container
     * closes the connection.
     */
    private RelayTarget target(long containerId)
    {
        return () -> {
            ContainerRecord container = catalog.containers().find(containerId)
                    .orElseThrow(() -> new NoRouteToHostException("the route's container " + containerId + " was deleted"));
            if (container.status() == ResourceStatus.DELETING || container.status() == ResourceStatus.FAILED) {
                throw new NoRouteToHostException("the route's container " + container.name() + " is " + container.status().displayName());
            }
            return containers.serverAddress(container);
        };
    }

    private Route view(RouteRecord route)
    {
        return view(route, kernelConnections());
    }

    /** The connections the kernel carries, per port: none when it takes no routes. */
    private Map<Integer, Integer> kernelConnections()
    {
        KernelRoutes kernelRoutes = kernel;
        return kernelRoutes == null ? Map.of() : kernelRoutes.connectionsByPort();
    }

    private Route view(RouteRecord route, Map<Integer, Integer> kernelConnections)
    {
        Optional<ContainerRecord> container = Optional.ofNullable(route.containerId()).flatMap(id -> catalog.containers().find(id));
        TcpRelay relay = relays.get(route.id());
        int connections = (relay == null ? 0 : relay.activeConnections()) + kernelConnections.getOrDefault(route.port(), 0);
        return new Route(route.id(), route.name(), configuration.containerHost(), route.port(), container.map(ContainerRecord::id).orElse(null),
                container.map(ContainerRecord::name).orElse(null), connections, route.owner(), route.createdAt(),
                relay != null, relay == null ? failures.getOrDefault(route.id(), "Not listening.") : null);
    }
}
