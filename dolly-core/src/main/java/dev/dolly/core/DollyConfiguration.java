package dev.dolly.core;

import dev.dolly.api.DollyException;
import dev.dolly.api.DollyHome;
import dev.dolly.core.container.IdleStop;
import dev.dolly.core.engine.EngineProviders;
import dev.dolly.core.engine.EngineUidRange;
import dev.dolly.core.image.Lifetime;
import dev.dolly.core.quota.QuotaLimits;
import dev.dolly.core.runtime.ServerLimits;
import dev.dolly.core.storage.StorageDrivers;
import dev.dolly.core.tls.TlsIdentity;

import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

import static java.util.Objects.requireNonNull;

/**
 * The daemon's settings, read from environment variables and checked up front, so that a mistake is reported when
 * the daemon starts, with the variable's name, rather than when an image is built.
 *
 * @param listenPort the API port; when it is taken, the daemon picks a free one and writes it to daemon.json
 * @param tls the certificate and key the API serves HTTPS with; empty for plain HTTP (loopback, or explicitly allowed)
 * @param containerHost the host connection details name (what clients connect to)
 * @param containerListenAddress the address engines listen on; by default the container host
 * @param storageDriver the storage driver to use; empty to choose by the storage root's file system
 * @param zfsDataset the ZFS dataset to keep volumes in, which selects the zfs driver
 * @param sessionLifetime how long a sign-in ({@code dolly auth login}) lasts
 * @param quotas how many containers, images and builds at once each user may have
 * @param buildTimeout how long an image build may run before it is stopped and fails
 * @param containerLimits the memory and processes each container's server may use, where cgroups are at hand
 * @param defaultIdleStop how long a new container's server may go without a client connection before it is stopped,
 *         when its creation does not say; empty: never
 * @param routeKernelPath whether routes on the loopback address are taken by the kernel (nftables) rather than relayed by
 *         the daemon, where it can (as root, with nftables and iproute2)
 * @param engines the engine providers on the class path, each configured from the environment by its own
 *         configuration ({@code PostgresConfiguration}, {@code MariaDbConfiguration}): settings of one engine are
 *         not kept here
 */
public record DollyConfiguration(
        Path home,
        String listenAddress,
        int listenPort,
        Optional<TlsIdentity> tls,
        String containerHost,
        String containerListenAddress,
        int firstContainerPort,
        int lastContainerPort,
        boolean reserveContainerPorts,
        String engineUser,
        EngineUidRange engineUids,
        URI mavenRepository,
        Path downloadCache,
        Optional<String> storageDriver,
        Optional<String> zfsDataset,
        Duration sessionLifetime,
        QuotaLimits quotas,
        Duration buildTimeout,
        ServerLimits containerLimits,
        EngineProviders engines,
        Optional<Duration> defaultIdleStop,
        boolean routeKernelPath)
{
    public static final int DEFAULT_PORT = 7370;
    public static final String ALLOW_INSECURE_LISTEN = "DOLLY_ALLOW_INSECURE_LISTEN";
    public static final String RESERVE_CONTAINER_PORTS = "DOLLY_RESERVE_CONTAINER_PORTS";
    public static final String BUILD_TIMEOUT = "DOLLY_BUILD_TIMEOUT";
    public static final String DEFAULT_BUILD_TIMEOUT = "2h";
    public static final String ROUTE_KERNEL_PATH = "DOLLY_ROUTE_KERNEL_PATH";

    private static final Pattern ZFS_DATASET = Pattern.compile("[A-Za-z][A-Za-z0-9_.:-]*(/[A-Za-z0-9_.:-]+)*");

    public DollyConfiguration
    {
        requireNonNull(home, "home is null");
        requireNonNull(listenAddress, "listenAddress is null");
        requireNonNull(tls, "tls is null");
        requireNonNull(containerHost, "containerHost is null");
        requireNonNull(containerListenAddress, "containerListenAddress is null");
        requireNonNull(engineUser, "engineUser is null");
        requireNonNull(engineUids, "engineUids is null");
        requireNonNull(mavenRepository, "mavenRepository is null");
        requireNonNull(downloadCache, "downloadCache is null");
        requireNonNull(storageDriver, "storageDriver is null");
        requireNonNull(zfsDataset, "zfsDataset is null");
        requireNonNull(sessionLifetime, "sessionLifetime is null");
        requireNonNull(quotas, "quotas is null");
        requireNonNull(buildTimeout, "buildTimeout is null");
        if (buildTimeout.isZero() || buildTimeout.isNegative()) {
            throw new IllegalArgumentException("buildTimeout must be positive: " + buildTimeout);
        }
        requireNonNull(containerLimits, "containerLimits is null");
        requireNonNull(engines, "engines is null");
        requireNonNull(defaultIdleStop, "defaultIdleStop is null");
    }

    /**
     * Reads the settings:
     * <ul>
     * <li>{@code DOLLY_HOME}: where state lives (default {@code ~/.dolly}, {@code /var/lib/dolly} for root)</li>
     * <li>{@code DOLLY_LISTEN}: {@code host:port} of the API (default {@code 127.0.0.1:7370})</li>
     * <li>{@code DOLLY_TLS_CERTIFICATE}, {@code DOLLY_TLS_KEY}: PEM certificate chain and PKCS#8 key to serve HTTPS with;
     * required when {@code DOLLY_LISTEN} is not a loopback address, unless {@code DOLLY_ALLOW_INSECURE_LISTEN=true}</li>
     * <li>{@code DOLLY_CONTAINER_HOST}: the host connection details name (default {@code 127.0.0.1})</li>
     * <li>{@code DOLLY_CONTAINER_LISTEN}: the address engines listen on (default: {@code DOLLY_CONTAINER_HOST})</li>
     * <li>{@code DOLLY_CONTAINER_PORTS}: the port range of engines (default {@code 54320-54999})</li>
     * <li>{@code DOLLY_RESERVE_CONTAINER_PORTS}: whether the daemon, as root, adds that range to
     * {@code net.ipv4.ip_local_reserved_ports} so that no outgoing connection takes a container's port (default
     * {@code true})</li>
     * <li>{@code DOLLY_ENGINE_USER}: the named account that runs {@code initdb} when the daemon runs as root (default
     * {@code dolly}); servers and tools run as an account of their container or build</li>
     * <li>{@code DOLLY_ENGINE_UIDS}: the numeric IDs the accounts of containers and builds are allocated from when the
     * daemon runs as root (default {@code 2000000000-2000099999}), which no account of the machine may use</li>
     * <li>{@code DOLLY_MAVEN_REPOSITORY}: where engine binaries are fetched (default Maven Central)</li>
     * <li>{@code DOLLY_DOWNLOAD_CACHE}: where fetched binaries are kept (default {@code DOLLY_HOME/cache})</li>
     * <li>{@code DOLLY_STORAGE_DRIVER}: {@code btrfs}, {@code reflink}, {@code overlay}, {@code zfs} or {@code copy}
     * (default: the fastest that works on the file system of {@code DOLLY_HOME/storage})</li>
     * <li>{@code DOLLY_ZFS_DATASET}: the ZFS dataset to keep volumes in, such as {@code tank/dolly}; selects the
     * {@code zfs} driver</li>
     * <li>{@code DOLLY_SESSION_LIFETIME}: how long a sign-in lasts, such as {@code 12h} (the default) or {@code 7d}</li>
     * <li>{@code DOLLY_QUOTA_CONTAINERS}, {@code DOLLY_QUOTA_IMAGES}, {@code DOLLY_QUOTA_CONCURRENT_BUILDS}: how many
     * containers, images and builds at once each user may have (default 20, 50 and 2), or {@code unlimited}; see
     * {@link QuotaLimits}</li>
     * <li>{@code DOLLY_BUILD_TIMEOUT}: how long an image build may run, such as {@code 2h} (the default) or {@code 30m}</li>
     * <li>{@code DOLLY_CONTAINER_MEMORY_LIMIT}: the memory each container's server may use, such as {@code 2g} (the
     * default) or {@code 512m}; applied through cgroups, when the daemon runs as root</li>
     * <li>{@code DOLLY_CONTAINER_PIDS_LIMIT}: the processes and threads each container's server may run (default 512)</li>
     * <li>{@code DOLLY_IDLE_STOP}: how long a new container's server may go without a client connection before it is
     * stopped (woken by the next connection), such as {@code 30m}, when {@code --idle-stop} does not say (default
     * {@code off})</li>
     * <li>{@code DOLLY_ROUTE_KERNEL_PATH}: {@code on} (the default) to have the kernel take connections to routes on the
     * loopback address, as root, where nftables and iproute2 are installed; {@code off} to relay them through the
     * daemon</li>
     * </ul>
     * and then every engine provider's settings (such as {@code DOLLY_POSTGRESQL_SETTINGS}), which each provider
     * reads and checks itself.
     */
    public static DollyConfiguration fromEnvironment(Map<String, String> environment)
    {
        Path home = DollyHome.resolve(environment);
        String listen = environment.getOrDefault("DOLLY_LISTEN", "127.0.0.1:" + DEFAULT_PORT);
        int colon = listen.lastIndexOf(':');
        if (colon <= 0) {
            throw DollyException.badInput("DOLLY_LISTEN '" + listen + "' must be host:port, for example 127.0.0.1:7370.");
        }
        String listenAddress = listen.substring(0, colon);
        if (listenAddress.startsWith("[") && listenAddress.endsWith("]")) {
            listenAddress = listenAddress.substring(1, listenAddress.length() - 1);
        }
        int listenPort = port(listen.substring(colon + 1), "DOLLY_LISTEN");
        Optional<TlsIdentity> tls = tls(environment);
        if (tls.isEmpty() && !isLoopback(listenAddress, "DOLLY_LISTEN") && !allowInsecureListen(environment)) {
            throw DollyException.badInput("DOLLY_LISTEN '" + listen + "' is not a loopback address, and the API would be served without TLS: "
                    + "access tokens and passwords would cross the network in clear text. Set " + TlsIdentity.CERTIFICATE_VARIABLE
                    + " (a PEM certificate chain) and " + TlsIdentity.KEY_VARIABLE + " (its PKCS#8 PEM private key), or, behind a TLS proxy "
                    + "or on a trusted network only, set " + ALLOW_INSECURE_LISTEN + "=true.");
        }
        String containerHost = variable(environment, "DOLLY_CONTAINER_HOST").orElse("127.0.0.1");
        String containerListenAddress = variable(environment, "DOLLY_CONTAINER_LISTEN").orElse(containerHost);

        String range = environment.getOrDefault("DOLLY_CONTAINER_PORTS", "54320-54999");
        String[] bounds = range.split("-");
        if (bounds.length != 2) {
            throw DollyException.badInput("DOLLY_CONTAINER_PORTS '" + range + "' must be a range such as 54320-54999.");
        }
        int first = port(bounds[0].strip(), "DOLLY_CONTAINER_PORTS");
        int last = port(bounds[1].strip(), "DOLLY_CONTAINER_PORTS");
        if (first == 0 || last < first) {
            throw DollyException.badInput("DOLLY_CONTAINER_PORTS '" + range + "' must be a non-empty range of ports such as 54320-54999.");
        }

        URI repository;
        try {
            repository = URI.create(environment.getOrDefault("DOLLY_MAVEN_REPOSITORY", "https://repo1.maven.org/maven2/"));
        }
        catch (IllegalArgumentException e) {
            throw DollyException.badInput("DOLLY_MAVEN_REPOSITORY is not a URL: " + e.getMessage());
        }
        String engineUser = environment.getOrDefault("DOLLY_ENGINE_USER", "dolly");
        EngineUidRange engineUids = variable(environment, EngineUidRange.VARIABLE).map(EngineUidRange::parse).orElse(EngineUidRange.DEFAULT);

        Optional<String> storageDriver = Optional.ofNullable(environment.get("DOLLY_STORAGE_DRIVER")).map(String::strip).filter(value -> !value.isEmpty())
                .map(value -> value.toLowerCase(Locale.ROOT));
        if (storageDriver.isPresent() && !StorageDrivers.NAMES.contains(storageDriver.get())) {
            throw DollyException.badInput("DOLLY_STORAGE_DRIVER '" + storageDriver.get() + "' is not a storage driver. Choose one of "
                    + String.join(", ", StorageDrivers.NAMES) + ", or leave it unset to choose by file system.");
        }
        Optional<String> zfsDataset = Optional.ofNullable(environment.get("DOLLY_ZFS_DATASET")).map(String::strip).filter(value -> !value.isEmpty());
        if (zfsDataset.isPresent() && !ZFS_DATASET.matcher(zfsDataset.get()).matches()) {
            throw DollyException.badInput("DOLLY_ZFS_DATASET '" + zfsDataset.get() + "' is not a ZFS dataset name such as tank/dolly "
                    + "(a pool and file system names, separated by '/', of letters, digits and '_-.:').");
        }
        Duration sessionLifetime = Lifetime.parse(environment.getOrDefault("DOLLY_SESSION_LIFETIME", "12h"), "DOLLY_SESSION_LIFETIME").duration();
        if (sessionLifetime.isZero()) {
            throw DollyException.badInput("DOLLY_SESSION_LIFETIME must be a duration such as 12h or 7d: sessions always expire.");
        }
        QuotaLimits quotas = QuotaLimits.fromEnvironment(environment);
        Duration buildTimeout = Lifetime.parse(variable(environment, BUILD_TIMEOUT).orElse(DEFAULT_BUILD_TIMEOUT), BUILD_TIMEOUT).duration();
        if (buildTimeout.isZero()) {
            throw DollyException.badInput(BUILD_TIMEOUT + " must be a duration such as 2h or 30m: a build that hangs must not hold its place for ever.");
        }
        return new DollyConfiguration(
                home,
                listenAddress,
                listenPort,
                tls,
                containerHost,
                containerListenAddress,
                first,
                last,
                reserveContainerPorts(environment),
                engineUser,
                engineUids,
                repository,
                Optional.ofNullable(environment.get("DOLLY_DOWNLOAD_CACHE")).filter(value -> !value.isBlank()).map(Path::of)
                        .orElse(home.resolve("cache")),
                storageDriver,
                zfsDataset,
                sessionLifetime,
                quotas,
                buildTimeout,
                ServerLimits.fromEnvironment(environment),
                EngineProviders.load(environment),
                IdleStop.parse(variable(environment, "DOLLY_IDLE_STOP").orElse("off"), "DOLLY_IDLE_STOP"),
                routeKernelPath(environment));
    }

    /** The URL scheme of the API: {@code https} with TLS, else {@code http}. */
    public String scheme()
    {
        return tls.isPresent() ? "https" : "http";
    }

    public Path catalogFile()
    {
        return home.resolve("catalog.db");
    }

    public Path storageRoot()
    {
        return home.resolve("storage");
    }

    /** Staging directories of uploaded image sources, removed after their build. */
    public Path uploadsDirectory()
    {
        return home.resolve("uploads");
    }

    /** What scheduled image builds keep: their definitions' uploaded files, one directory per schedule. */
    public Path schedulesDirectory()
    {
        return home.resolve("schedules");
    }

    public Path enginesDirectory()
    {
        return home.resolve("engines");
    }

    public Path logsDirectory()
    {
        return home.resolve("logs");
    }

    /** Server logs of engines: the daemon creates and opens them, and hands them to the servers open. */
    public Path engineLogsDirectory()
    {
        return logsDirectory().resolve("engines");
    }

    /** What the runtime keeps for each running server: files the daemon writes for it, its private {@code /tmp}. */
    public Path runtimeDirectory()
    {
        return home.resolve("run");
    }

    /** Both TLS variables, or neither. */
    private static Optional<TlsIdentity> tls(Map<String, String> environment)
    {
        Optional<String> certificate = variable(environment, TlsIdentity.CERTIFICATE_VARIABLE);
        Optional<String> key = variable(environment, TlsIdentity.KEY_VARIABLE);
        if (certificate.isEmpty() && key.isEmpty()) {
            return Optional.empty();
        }
        if (certificate.isEmpty() || key.isEmpty()) {
            throw DollyException.badInput((certificate.isEmpty() ? TlsIdentity.KEY_VARIABLE : TlsIdentity.CERTIFICATE_VARIABLE) + " is set but "
                    + (certificate.isEmpty() ? TlsIdentity.CERTIFICATE_VARIABLE : TlsIdentity.KEY_VARIABLE) + " is not: set both (the PEM certificate "
                    + "chain and its PKCS#8 PEM private key) to serve HTTPS, or neither.");
        }
        return Optional.of(TlsIdentity.load(Path.of(certificate.get()), Path.of(key.get())));
    }

    private static boolean reserveContainerPorts(Map<String, String> environment)
    {
        String value = variable(environment, RESERVE_CONTAINER_PORTS).orElse("true").toLowerCase(Locale.ROOT);
        return switch (value) {
            case "true" -> true;
            case "false" -> false;
            default -> throw DollyException.badInput(RESERVE_CONTAINER_PORTS + " '" + value + "' must be true or false.");
        };
    }

    private static boolean routeKernelPath(Map<String, String> environment)
    {
        String value = variable(environment, ROUTE_KERNEL_PATH).orElse("on").toLowerCase(Locale.ROOT);
        return switch (value) {
            case "on" -> true;
            case "off" -> false;
            default -> throw DollyException.badInput(ROUTE_KERNEL_PATH + " '" + value + "' must be on (the kernel takes connections to routes on "
                    + "the loopback address, where it can) or off (the daemon relays them).");
        };
    }

    private static boolean allowInsecureListen(Map<String, String> environment)
    {
        String value = variable(environment, ALLOW_INSECURE_LISTEN).orElse("false").toLowerCase(Locale.ROOT);
        return switch (value) {
            case "true" -> true;
            case "false" -> false;
            default -> throw DollyException.badInput(ALLOW_INSECURE_LISTEN + " '" + value + "' must be true or false.");
        };
    }

    /** Whether every address the host names is a loopback address. */
    static boolean isLoopback(String host, String variable)
    {
        try {
            InetAddress[] addresses = InetAddress.getAllByName(host);
            for (InetAddress address : addresses) {
                if (!address.isLoopbackAddress()) {
                    return false;
                }
            }
            return addresses.length > 0;
        }
        catch (UnknownHostException e) {
            throw DollyException.badInput(variable + ": the host '" + host + "' is unknown. Use an address of this machine, such as 127.0.0.1 or 0.0.0.0.");
        }
    }

    private static Optional<String> variable(Map<String, String> environment, String name)
    {
        return Optional.ofNullable(environment.get(name)).map(String::strip).filter(value -> !value.isEmpty());
    }

    private static int port(String text, String variable)
    {
        try {
            int port = Integer.parseInt(text);
            if (port < 0 || port > 65535) {
                throw new NumberFormatException();
            }
            return port;
        }
        catch (NumberFormatException e) {
            throw DollyException.badInput(variable + ": '" + text + "' is not a port number (0 to 65535).");
        }
    }
}
