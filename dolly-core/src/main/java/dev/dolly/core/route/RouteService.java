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
            int dropped = relay.setTarget(target(container.id()), request.dropConnections());
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
        return catalog.routes().list().stream().filter(caller::canSee).map(this::view).toList();
    }

    /** Stops listening on every route and closes their connections (the daemon stops). */
    @Override
    public void close()
    {
        relays.values().forEach(TcpRelay::close);
        relays.clear();
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
        Optional<ContainerRecord> container = Optional.ofNullable(route.containerId()).flatMap(id -> catalog.containers().find(id));
        TcpRelay relay = relays.get(route.id());
        return new Route(route.id(), route.name(), configuration.containerHost(), route.port(), container.map(ContainerRecord::id).orElse(null),
                container.map(ContainerRecord::name).orElse(null), relay == null ? 0 : relay.activeConnections(), route.owner(), route.createdAt(),
                relay != null, relay == null ? failures.getOrDefault(route.id(), "Not listening.") : null);
    }
}
