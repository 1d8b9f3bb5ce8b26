package dev.dolly.daemon;

import dev.dolly.api.DataContainer;
import dev.dolly.api.DataImage;
import dev.dolly.api.ErrorCode;
import dev.dolly.api.ImageBuildStep;
import dev.dolly.api.ResourceStatus;
import dev.dolly.api.ServerInfo;
import dev.dolly.core.Dolly;
import dev.dolly.core.auth.Caller;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;

import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import static java.util.Objects.requireNonNull;

/**
 * The daemon's metrics, served at {@code GET /metrics} in Prometheus's text format to administrators.
 *
 * <p>Requests are counted and timed as they end ({@link #recordRequest}); what the catalog and the storage know
 * (images and containers by status, disk bytes, build durations, storage space) and the engine servers running are
 * read when the metrics are scraped. Container sizes are the ones the container service measures in the background
 * and keeps in memory, so a scrape never walks a volume.
 */
final class DaemonMetrics
{
    static final String PATH = "/metrics";
    /** Engine server programs, by the name of their executable, counted among the daemon's descendant processes. */
    private static final Set<String> ENGINE_PROGRAMS = Set.of("postgres", "mariadbd", "mysqld");

    private final Supplier<Dolly> dolly;
    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final List<RoutePattern> routes;
    private final MultiGauge images;
    private final MultiGauge containers;
    private final MultiGauge containerDiskBytes;
    private final MultiGauge imageDiskBytes;
    private final MultiGauge buildDurations;
    private final MultiGauge storageBytes;
    private final MultiGauge engineProcesses;

    DaemonMetrics(Supplier<Dolly> dolly)
    {
        this.dolly = requireNonNull(dolly, "dolly is null");
        this.routes = OpenApiDocument.OPERATIONS.stream().map(RoutePattern::new).toList();
        images = MultiGauge.builder("dolly.images").description("Data images by status").register(registry);
        containers = MultiGauge.builder("dolly.containers").description("Data containers by status").register(registry);
        containerDiskBytes = MultiGauge.builder("dolly.container.disk").baseUnit("bytes")
                .description("Disk bytes of each container's volume, as last measured in the background (absent until measured)").register(registry);
        imageDiskBytes = MultiGauge.builder("dolly.image.disk").baseUnit("bytes").description("Disk bytes of each ready image").register(registry);
        buildDurations = MultiGauge.builder("dolly.image.build.duration").baseUnit("seconds")
                .description("How long each image's build took, the sum of its steps").register(registry);
        storageBytes = MultiGauge.builder("dolly.storage").baseUnit("bytes").description("Space of the storage's file system: total, used and free")
                .register(registry);
        engineProcesses = MultiGauge.builder("dolly.engine.servers").description("Database servers running (engine processes started by the daemon)")
                .register(registry);
        // created at zero, so that a scrape shows them before the first failure
        Counter.builder("dolly.sign.in.failures").description("Failed sign-ins").tag("reason", ErrorCode.NOT_AUTHENTICATED.name()).register(registry);
    }

    /**
     * Counts and times a request that ended, by its operation (the operationId of the API's description; {@code
     * unknown} for a path under {@code /api/} no route has) and result. Requests outside the API (pages) are not counted.
     */
    void recordRequest(String method, String path, int status, Optional<ErrorCode> errorCode, Duration duration)
    {
        String operation = operation(method, path);
        if (operation.equals("unknown") && !path.startsWith("/api/")) {
            return;
        }
        String result = status < 400 ? "success" : errorCode.map(ErrorCode::name).orElse(String.valueOf(status));
        Timer.builder("dolly.operations")
                .description("API requests by operation and result")
                .tags("operation", operation, "result", result)
                .publishPercentileHistogram()
                .minimumExpectedValue(Duration.ofMillis(1))
                .maximumExpectedValue(Duration.ofMinutes(10))
                .register(registry)
                .record(duration);
        if (operation.equals("signIn") && (status == 401 || status == 429)) {
            Counter.builder("dolly.sign.in.failures").description("Failed sign-ins").tag("reason", result).register(registry).increment();
        }
    }

    /** The current values in Prometheus's text format. */
    String scrape()
    {
        refresh();
        return registry.scrape();
    }

    private String operation(String method, String path)
    {
        for (RoutePattern route : routes) {
            if (route.matches(method, path)) {
                return route.operation().id();
            }
        }
        return "unknown";
    }

    private void refresh()
    {
        Dolly current = dolly.get();
        Caller everyone = Caller.administrator("metrics");
        List<DataImage> allImages = current.images().list(everyone);
        List<DataContainer> allContainers = current.containers().list(everyone);

        images.register(byStatus(allImages.stream().map(DataImage::status).toList()), true);
        containers.register(byStatus(allContainers.stream().map(DataContainer::status).toList()), true);

        List<MultiGauge.Row<?>> containerRows = new ArrayList<>();
        for (DataContainer container : allContainers) {
            if (container.sizeBytes() != null) {
                containerRows.add(MultiGauge.Row.of(Tags.of("container", container.name(), "image", String.valueOf(container.imageName()), "owner",
                        container.owner()), container.sizeBytes()));
            }
        }
        containerDiskBytes.register(containerRows, true);

        List<MultiGauge.Row<?>> imageRows = new ArrayList<>();
        List<MultiGauge.Row<?>> buildRows = new ArrayList<>();
        for (DataImage image : allImages) {
            Tags tags = Tags.of("image", image.name(), "id", String.valueOf(image.id()), "engine", image.engine());
            if (image.sizeBytes() != null) {
                imageRows.add(MultiGauge.Row.of(tags, image.sizeBytes()));
            }
            if (image.status() == ResourceStatus.READY && !image.buildSteps().isEmpty()) {
                long milliseconds = image.buildSteps().stream().mapToLong(ImageBuildStep::milliseconds).sum();
                buildRows.add(MultiGauge.Row.of(tags, milliseconds / 1000.0));
            }
        }
        imageDiskBytes.register(imageRows, true);
        buildDurations.register(buildRows, true);

        ServerInfo info = current.info();
        List<MultiGauge.Row<?>> storageRows = new ArrayList<>();
        addRow(storageRows, "total", info.storageTotalBytes());
        addRow(storageRows, "used", info.storageUsedBytes());
        addRow(storageRows, "free", info.storageFreeBytes());
        storageBytes.register(storageRows, true);

        engineProcesses.register(engineServers().entrySet().stream()
                .map(entry -> MultiGauge.Row.of(Tags.of("program", entry.getKey()), entry.getValue()))
                .collect(Collectors.toList()), true);
    }

    private static void addRow(List<MultiGauge.Row<?>> rows, String kind, Long bytes)
    {
        if (bytes != null) {
            rows.add(MultiGauge.Row.of(Tags.of("kind", kind), bytes));
        }
    }

    private static List<MultiGauge.Row<?>> byStatus(List<ResourceStatus> statuses)
    {
        Map<ResourceStatus, Long> counts = new EnumMap<>(ResourceStatus.class);
        for (ResourceStatus status : ResourceStatus.values()) {
            counts.put(status, 0L);
        }
        statuses.forEach(status -> counts.merge(status, 1L, Long::sum));
        return counts.entrySet().stream()
                .map(entry -> MultiGauge.Row.of(Tags.of("status", entry.getKey().name()), entry.getValue()))
                .collect(Collectors.toList());
    }

    /**
     * The engine servers among the daemon's descendants: processes of an engine program whose parent is not one
     * (a PostgreSQL server's own workers are not counted), by program.
     */
    private static Map<String, Long> engineServers()
    {
        Map<String, Long> servers = new TreeMap<>();
        ENGINE_PROGRAMS.forEach(program -> servers.put(program, 0L));
        ProcessHandle.current().descendants().forEach(process -> {
            Optional<String> program = program(process);
            if (program.isPresent() && process.parent().flatMap(DaemonMetrics::program).filter(program.get()::equals).isEmpty()) {
                servers.merge(program.get(), 1L, Long::sum);
            }
        });
        return servers;
    }

    private static Optional<String> program(ProcessHandle process)
    {
        return process.info().command()
                .map(command -> command.substring(command.lastIndexOf('/') + 1))
                .filter(ENGINE_PROGRAMS::contains);
    }

    /** A route of the API's description as a pattern over request paths. */
    private record RoutePattern(OpenApiDocument.Operation operation, Pattern path)
    {
        RoutePattern(OpenApiDocument.Operation operation)
        {
            this(operation, Pattern.compile(operation.path().replaceAll("\\{[^}]+}", "[^/]+")));
        }

        boolean matches(String method, String requestPath)
        {
            return operation.method().equalsIgnoreCase(method) && path.matcher(requestPath).matches();
        }
    }
}
