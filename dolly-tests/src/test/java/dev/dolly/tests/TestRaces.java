package dev.dolly.tests;

import dev.dolly.api.CreateContainerRequest;
import dev.dolly.api.DataContainer;
import dev.dolly.api.DataImage;
import dev.dolly.api.DollyException;
import dev.dolly.api.ErrorCode;
import dev.dolly.api.ResourceStatus;
import dev.dolly.api.client.DollyClient;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Requests that race, sent at once over HTTP with the client the CLI uses, to a real daemon with real PostgreSQL
 * servers on btrfs and overlay: an image deleted while containers are created from it, and 50 creations from 5
 * images at once. A loser is refused with 409 or 404, never a 500, and afterwards the catalog agrees with the disk:
 * every listed container answers queries, and deleted ones leave no volume, mount, server or port behind.
 */
@ParameterizedClass(name = "{0}")
@EnumSource(value = DriverUnderTest.class, names = {"BTRFS", "OVERLAY"})
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class TestRaces
        extends DaemonOnDriver
{
    /** Below the ephemeral ports, so that no client connection holds one: 51 ports, every one of which the tests take. */
    private static final int FIRST_PORT = 29401;
    private static final int LAST_PORT = 29451;
    /** The refusals a loser of a race may get. */
    private static final Set<ErrorCode> REFUSALS = Set.of(ErrorCode.CONFLICT, ErrorCode.IN_USE, ErrorCode.NOT_FOUND);

    @Override
    String exampleImage()
    {
        return "scripts/image.yaml";
    }

    @Override
    Map<String, String> daemonSettings()
    {
        return Map.of("DOLLY_CONTAINER_PORTS", FIRST_PORT + "-" + LAST_PORT, "DOLLY_QUOTA_CONTAINERS", "unlimited");
    }

    @Test
    @Order(1)
    void anImageDeletedWhileContainersAreCreatedFromItIsNeverPulledFromUnderThem()
            throws Exception
    {
        DollyClient client = client();
        try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int round = 0; round < 3; round++) {
                String imageName = "doomed-" + round;
                dolly.succeed("create", "data-image", "-f", EXAMPLES.resolve(exampleImage()).toString(), "-n", imageName, "-q");
                long imageId = client.getImage(imageName).id();
                CyclicBarrier start = new CyclicBarrier(6);
                List<Future<DataContainer>> creations = new ArrayList<>();
                for (int creation = 0; creation < 5; creation++) {
                    creations.add(threads.submit(atOnce(start, () -> client.createContainer(new CreateContainerRequest(imageName, null, null)))));
                }
                Future<DataImage> deletion = threads.submit(atOnce(start, () -> client.deleteImage(String.valueOf(imageId))));

                List<DataContainer> created = new ArrayList<>();
                for (Future<DataContainer> creation : creations) {
                    outcome(creation).ifPresent(created::add);
                }
                boolean deleted = outcome(deletion).isPresent();
                if (deleted) {
                    assertThat(created).as("containers of an image that was deleted").isEmpty();
                    assertThat(client.listImages()).extracting(DataImage::id).doesNotContain(imageId);
                }
                else {
                    assertThat(client.getImage(String.valueOf(imageId)).status()).isEqualTo(ResourceStatus.READY);
                }
                assertCatalogAgreesWithTheDisk(client);
                for (DataContainer container : created) {
                    assertThat(widgets(container)).isPositive();
                    client.deleteContainer(container.name());
                }
                if (!deleted) {
                    client.deleteImage(String.valueOf(imageId));
                }
                assertCatalogAgreesWithTheDisk(client);
                assertPortsFree(created);
                assertThat(Files.exists(daemon.home().resolve("storage/images/" + imageId))).isFalse();
            }
        }
    }

    @Test
    @Order(2)
    void failedCreationsLeaveEveryPortAndFiftyCreationsFromFiveImagesAtOnceSucceed()
            throws Exception
    {
        DollyClient client = client();
        List<String> images = new ArrayList<>(List.of("widgetstore"));
        for (int image = 1; image < 5; image++) {
            dolly.succeed("create", "data-image", "-f", EXAMPLES.resolve(exampleImage()).toString(), "-n", "widgets-" + image, "-q");
            images.add("widgets-" + image);
        }
        assertThat(client.listContainers()).isEmpty();

        // refusals of every kind, each of which once took a port for good
        for (int attempt = 0; attempt < 200; attempt++) {
            CreateContainerRequest request = switch (attempt % 4) {
                case 0 -> new CreateContainerRequest("widgetstore", null, "400000000000d");
                case 1 -> new CreateContainerRequest("widgetstore", "bad name!", null);
                case 2 -> new CreateContainerRequest("no-such-image", null, null);
                default -> new CreateContainerRequest("widgetstore", null, "-5m");
            };
            try {
                client.createContainer(request);
                throw new AssertionError("Creation " + attempt + " succeeded");
            }
            catch (DollyException refused) {
                assertThat(refused.errorCode()).as(refused.getMessage()).isNotEqualTo(ErrorCode.DAEMON_UNREACHABLE);
            }
        }

        CyclicBarrier start = new CyclicBarrier(50);
        List<Future<DataContainer>> creations = new ArrayList<>();
        List<DataContainer> created = new ArrayList<>();
        try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int creation = 0; creation < 50; creation++) {
                String image = images.get(creation % images.size());
                creations.add(threads.submit(atOnce(start, () -> client.createContainer(new CreateContainerRequest(image, null, null)))));
            }
            for (Future<DataContainer> creation : creations) {
                created.add(creation.get(10, TimeUnit.MINUTES));
            }
            assertThat(created).extracting(DataContainer::status).containsOnly(ResourceStatus.READY);
            assertThat(created.stream().map(DataContainer::port).distinct()).hasSize(50);
            assertCatalogAgreesWithTheDisk(client);
            for (DataContainer container : created) {
                assertThat(widgets(container)).isPositive();
            }

            // the range had 51 ports: exactly one is left, whatever failed before
            DataContainer last = client.createContainer(new CreateContainerRequest("widgetstore", null, null));
            created.add(last);
            try {
                client.createContainer(new CreateContainerRequest("widgetstore", null, null));
                throw new AssertionError("A creation found a port beyond the range");
            }
            catch (DollyException refused) {
                assertThat(refused).hasMessageContaining("No free port is left in " + FIRST_PORT + "-" + LAST_PORT);
            }

            List<Future<DataContainer>> deletions = new ArrayList<>();
            for (DataContainer container : created) {
                deletions.add(threads.submit(() -> client.deleteContainer(container.name())));
            }
            for (Future<DataContainer> deletion : deletions) {
                deletion.get(10, TimeUnit.MINUTES);
            }
        }
        assertThat(client.listContainers()).isEmpty();
        assertCatalogAgreesWithTheDisk(client);
        assertPortsFree(created);
        for (String image : images.subList(1, images.size())) {
            client.deleteImage(image);
        }
    }

    private DollyClient client()
            throws IOException
    {
        return new DollyClient(URI.create(daemon.address().url()), daemon.adminToken());
    }

    /**
     * Every container the daemon lists answers queries, and every volume, mount and server on disk belongs to one
     * it lists.
     */
    private void assertCatalogAgreesWithTheDisk(DollyClient client)
            throws Exception
    {
        List<DataContainer> listed = client.listContainers();
        for (DataContainer container : listed) {
            assertThat(container.status()).as(container.name()).isEqualTo(ResourceStatus.READY);
            assertThat(widgets(container)).as(container.name()).isPositive();
        }
        List<String> expected = listed.stream().map(container -> String.valueOf(container.id())).sorted().toList();
        Path containers = daemon.home().resolve("storage/containers");
        assertThat(entries(containers)).as("container volumes on disk").isEqualTo(expected);
        assertThat(Engines.postgresProcessesUnder(containers).stream().filter(process -> process.parent().map(parent -> !isPostgres(parent)).orElse(true)))
                .as("servers of containers").hasSize(listed.size());
        try (Stream<String> mounts = Files.lines(Path.of("/proc/self/mountinfo"))) {
            List<String> containerMounts = mounts.map(line -> line.split(" ")[4]).filter(mountPoint -> mountPoint.startsWith(containers + "/")).toList();
            for (String mountPoint : containerMounts) {
                String id = containers.relativize(Path.of(mountPoint)).getName(0).toString();
                assertThat(expected).as("the container of mount " + mountPoint).contains(id);
            }
        }
    }

    private static boolean isPostgres(ProcessHandle process)
    {
        return process.info().command().map(command -> command.endsWith("/postgres")).orElse(false);
    }

    private static List<String> entries(Path directory)
            throws IOException
    {
        if (!Files.isDirectory(directory)) {
            return List.of();
        }
        try (Stream<Path> entries = Files.list(directory)) {
            return entries.map(entry -> entry.getFileName().toString()).sorted().toList();
        }
    }

    /** The ports of deleted containers: nothing listens on them any more. */
    private static void assertPortsFree(List<DataContainer> deleted)
            throws IOException
    {
        for (DataContainer container : deleted) {
            try (ServerSocket socket = new ServerSocket()) {
                socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), container.port()));
            }
        }
    }

    private static long widgets(DataContainer container)
            throws SQLException
    {
        try (Connection connection = DriverManager.getConnection(container.jdbcUrl(), container.user(), container.password());
                Statement statement = connection.createStatement();
                ResultSet result = statement.executeQuery("select count(*) from widget")) {
            result.next();
            return result.getLong(1);
        }
    }

    private static <T> Callable<T> atOnce(CyclicBarrier start, Callable<T> request)
    {
        return () -> {
            start.await(1, TimeUnit.MINUTES);
            return request.call();
        };
    }

    /** What a request that may lose a race returned: empty when it was refused with 409 or 404, as a loser is. */
    private static <T> Optional<T> outcome(Future<T> request)
            throws Exception
    {
        try {
            return Optional.of(request.get(10, TimeUnit.MINUTES));
        }
        catch (ExecutionException e) {
            if (e.getCause() instanceof DollyException refused && REFUSALS.contains(refused.errorCode())) {
                assertThat(refused.errorCode().httpStatus()).isIn(404, 409);
                return Optional.empty();
            }
            throw new AssertionError("A request that lost a race failed instead of being refused", e.getCause());
        }
    }
}
