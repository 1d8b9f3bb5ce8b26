package dev.dolly.core.route;

import dev.dolly.api.DollyException;
import dev.dolly.api.ErrorCode;
import dev.dolly.core.process.Command;
import dev.dolly.core.process.CommandRunner;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.stream.Stream;

import static java.util.Objects.requireNonNull;

/**
 * Routes on the loopback address taken by the kernel instead of relayed: an nftables table of the daemon's own holds a
 * map from route ports to container ports, and a rule of its {@code output} chain redirects each new connection to
 * {@code 127.0.0.1:ROUTE} to {@code 127.0.0.1:CONTAINER}. Its packets then go from the client to the server as on a
 * direct connection, with no copy through the daemon (a relay costs two copies and two wake-ups per message, half
 * the throughput of a direct connection under pgbench's TPC-B-like load on two cores).
 *
 * <p>The kernel rewrites connections when they open; open ones keep their container (its connection tracking
 * remembers), so a switch is a change of one map element, applied atomically by one {@code nft} transaction.
 * Connections are counted in {@code /proc/net/tcp} and {@code tcp6} (clients' sockets keep the route's port as their
 * peer) and dropped with {@code ss -K}, which aborts those sockets. A port without an element (a route whose
 * container was deleted) is not redirected: the route's relay, still listening, answers it.
 *
 * <p>The table is named after the daemon's home and made anew when the daemon starts, so a daemon that crashed leaves
 * nothing that outlives its next start.
 */
final class KernelRoutes
        implements AutoCloseable
{
    private static final Logger LOG = LoggerFactory.getLogger(KernelRoutes.class);
    private static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(20);
    private static final String LOOPBACK = "127.0.0.1";
    private static final String ESTABLISHED = "01";
    private static final Set<String> LOOPBACK_PEERS = Set.of("0100007F", "0000000000000000FFFF00000100007F");

    private final CommandRunner runner;
    private final Path nft;
    private final Path ss;
    private final String table;
    private final Map<Integer, Integer> containerPorts = new HashMap<>();

    private KernelRoutes(CommandRunner runner, Path nft, Path ss, String table)
    {
        this.runner = requireNonNull(runner, "runner is null");
        this.nft = requireNonNull(nft, "nft is null");
        this.ss = requireNonNull(ss, "ss is null");
        this.table = requireNonNull(table, "table is null");
    }

    /**
     * Makes the table {@code table} anew (an old one of that name, left by a daemon that crashed, is deleted first).
     *
     * @return why the kernel cannot take routes here (no {@code nft} or {@code ss}, not root, no nftables NAT in the
     *         kernel), or the routes
     */
    static Result open(String table, CommandRunner runner)
    {
        requireNonNull(table, "table is null");
        requireNonNull(runner, "runner is null");
        if (!table.matches("[a-z][a-z0-9_]{0,30}")) {
            throw new IllegalArgumentException("not a table name: " + table);
        }
        Optional<Path> nft = program("nft");
        Optional<Path> ss = program("ss");
        if (nft.isEmpty() || ss.isEmpty()) {
            return new Result(Optional.empty(), "nft (Debian: nftables) or ss (iproute2) is not installed");
        }
        KernelRoutes routes = new KernelRoutes(runner, nft.get(), ss.get(), table);
        try {
            // one transaction: the old table (if any) goes and the new one comes, with one nft at the daemon's start
            routes.apply(routes.deleteTableScript() + """
                    table ip %s {
                      map routes { type inet_service : inet_service; }
                      chain output {
                        type nat hook output priority -100; policy accept;
                        ip daddr %s meta l4proto tcp redirect to : tcp dport map @routes
                      }
                    }
                    """.formatted(table, LOOPBACK));
        }
        catch (DollyException e) {
            return new Result(Optional.empty(), e.getMessage());
        }
        return new Result(Optional.of(routes), "nftables table ip " + table);
    }

    /** What {@link #open} came to: the routes, or why there are none. */
    record Result(Optional<KernelRoutes> routes, String reason)
    {
        Result
        {
            requireNonNull(routes, "routes is null");
            requireNonNull(reason, "reason is null");
        }
    }

    /** Redirects new connections to the route's port to the container's, at once; open ones stay where they are. */
    synchronized void route(int routePort, int containerPort)
    {
        Integer current = containerPorts.get(routePort);
        if (current != null && current == containerPort) {
            return;
        }
        String add = "add element ip %s routes { %d : %d }\n".formatted(table, routePort, containerPort);
        apply(current == null ? add : "delete element ip %s routes { %d }\n".formatted(table, routePort) + add);
        containerPorts.put(routePort, containerPort);
    }

    /** Stops redirecting the route's port: its new connections reach whatever listens on it (the route's relay). */
    synchronized void unroute(int routePort)
    {
        if (containerPorts.remove(routePort) != null) {
            apply("delete element ip %s routes { %d }\n".formatted(table, routePort));
        }
    }

    /** Whether new connections to the route's port are redirected. */
    synchronized boolean routed(int routePort)
    {
        return containerPorts.containsKey(routePort);
    }

    /** The established connections of clients to the route's port. */
    int connections(int routePort)
    {
        return connectionsByPort().getOrDefault(routePort, 0);
    }

    /**
     * The established connections of clients to each port of 127.0.0.1, read once from {@code /proc/net/tcp} and
     * {@code tcp6}: a listing of routes takes its counts from one reading.
     */
    Map<Integer, Integer> connectionsByPort()
    {
        Map<Integer, Integer> connections = new HashMap<>();
        Stream.of("/proc/net/tcp", "/proc/net/tcp6").flatMap(KernelRoutes::lines)
                .forEach(line -> loopbackPeerPort(line).ifPresent(port -> connections.merge(port, 1, Integer::sum)));
        return connections;
    }

    /** Aborts every open connection to the route's port (their clients see the connection reset); returns how many. */
    int dropConnections(int routePort)
    {
        int open = connections(routePort);
        if (open == 0) {
            return 0;
        }
        // one filter for IPv4 sockets and IPv6 ones connected to the IPv4-mapped loopback address (Java's default)
        CommandRunner.Result result = runner.run(Command.of(ss.toString(), "-K", "-t", "-n", "state", "established",
                "( dst " + LOOPBACK + " or dst [::ffff:" + LOOPBACK + "] )", "and", "dport", "=", ":" + routePort).withTimeout(COMMAND_TIMEOUT));
        if (!result.succeeded()) {
            LOG.warn("Could not close the connections to route port {}: ss -K failed ({}): {}", routePort, result.exitCode(), result.output());
            return 0;
        }
        // a kernel built without CONFIG_INET_DIAG_DESTROY lists the sockets and leaves them open
        int left = connections(routePort);
        if (left > 0) {
            LOG.warn("{} connections to route port {} are still open after ss -K: this kernel cannot close sockets (CONFIG_INET_DIAG_DESTROY); "
                    + "set DOLLY_ROUTE_KERNEL_PATH=off to have the daemon relay routes and close their connections itself", left, routePort);
        }
        return Math.max(0, open - left);
    }

    /** Deletes the table: nothing is redirected any more. */
    @Override
    public synchronized void close()
    {
        containerPorts.clear();
        try {
            deleteTable();
        }
        catch (DollyException e) {
            LOG.warn("Could not delete the nftables table ip {} of the routes: {}", table, e.getMessage());
        }
    }

    private void deleteTable()
    {
        apply(deleteTableScript());
    }

    private String deleteTableScript()
    {
        // "destroy table" needs nftables 1.0.8; "add" then "delete" works everywhere and fails only for real trouble
        return "add table ip %s\ndelete table ip %s\n".formatted(table, table);
    }

    private void apply(String script)
    {
        CommandRunner.Result result = runner.run(Command.of(nft.toString(), "-f", "-")
                .withInput(output -> output.write(script.getBytes(java.nio.charset.StandardCharsets.UTF_8)))
                .withTimeout(COMMAND_TIMEOUT));
        if (!result.succeeded()) {
            throw new DollyException(ErrorCode.OPERATION_FAILED, "nft failed (" + result.exitCode() + "): " + result.output());
        }
    }

    /** The peer's port of a line of /proc/net/tcp or tcp6 that is an established socket whose peer is 127.0.0.1. */
    static OptionalInt loopbackPeerPort(String line)
    {
        String[] fields = line.strip().split("\\s+");
        if (fields.length < 4 || !fields[3].equals(ESTABLISHED)) {
            return OptionalInt.empty();
        }
        String peer = fields[2];
        int colon = peer.indexOf(':');
        // 127.0.0.1 as the kernel prints it: in host byte order, little-endian here; in tcp6 as ::ffff:127.0.0.1
        if (colon < 0 || !LOOPBACK_PEERS.contains(peer.substring(0, colon))) {
            return OptionalInt.empty();
        }
        try {
            return OptionalInt.of(Integer.parseInt(peer.substring(colon + 1), 16));
        }
        catch (NumberFormatException e) {
            return OptionalInt.empty();
        }
    }

    private static Stream<String> lines(String file)
    {
        try {
            return Files.readAllLines(Path.of(file)).stream().skip(1);
        }
        catch (IOException e) {
            return Stream.empty();
        }
    }

    private static Optional<Path> program(String name)
    {
        return List.of("/usr/sbin", "/sbin", "/usr/bin", "/bin").stream().map(directory -> Path.of(directory, name)).filter(Files::isExecutable).findFirst();
    }
}
