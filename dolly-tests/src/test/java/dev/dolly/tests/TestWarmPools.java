package dev.dolly.tests;

import dev.dolly.api.DataContainer;
import dev.dolly.api.DataImage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static dev.dolly.tests.TestImagesAndContainers.connect;
import static dev.dolly.tests.TestImagesAndContainers.count;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Warm pools through the real daemon and CLI on btrfs, with real PostgreSQL servers: a pool fills, a creation takes
 * one of its containers (the daemon says so in its log) with a password of its own while the pool's is refused, the
 * pool refills, fills again after a restart, serves parallel creations without sharing a container, and goes with its
 * image.
 */
@ParameterizedClass(name = "{0}")
@EnumSource(value = DriverUnderTest.class, names = "BTRFS")
class TestWarmPools
        extends DaemonOnDriver
{
    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final Pattern TAKEN = Pattern.compile("Container (\\S+) \\((\\d+)\\) of image chinook taken from its pool");

    @Override
    String exampleImage()
    {
        return "chinook/image.yaml";
    }

    @Test
    void poolLifeCycle()
            throws Exception
    {
        dolly.succeed("update", "data-image", "chinook", "--pool", "2");
        awaitPool(2);
        assertThat(dolly.succeed("get", "data-image", "chinook").stdout()).contains("POOL").contains("2/2 ready");
        // nobody's: not even the administrator lists them
        assertThat(dolly.json(DataContainer[].class, "get", "data-containers")).isEmpty();
        Map<Long, String> poolPasswords = poolPasswords();
        assertThat(poolPasswords).hasSize(2);

        DataContainer taken = dolly.json(DataContainer.class, "create", "data-container", "-i", "chinook", "-n", "from-pool", "--lifetime", "1h");

        // the fast path: one of the pool's containers, as the daemon logs
        assertThat(poolPasswords).containsKey(taken.id());
        assertThat(takenFromPool()).containsExactly("from-pool");
        assertThat(taken.name()).isEqualTo("from-pool");
        assertThat(taken.expiresAt()).isNotNull();
        assertThat(taken.password()).isNotEqualTo(poolPasswords.get(taken.id()));
        try (Connection connection = connect(taken); Statement statement = connection.createStatement()) {
            assertThat(count(statement, "select count(*) from track")).isEqualTo(3503);
            statement.execute("delete from invoice_line");
        }
        assertThatThrownBy(() -> DriverManager.getConnection(taken.jdbcUrl(), taken.user(), poolPasswords.get(taken.id())).close())
                .isInstanceOf(SQLException.class)
                .hasMessageContaining("password authentication failed");
        assertThat(dolly.json(DataContainer[].class, "get", "data-containers")).extracting(DataContainer::name).containsExactly("from-pool");
        // rev.0 of a taken container is its image, as for any new container: a reset brings the rows back
        dolly.succeed("reset", "data-container", "from-pool");
        try (Connection connection = connect(dolly.json(DataContainer.class, "get", "data-container", "from-pool")); Statement statement = connection.createStatement()) {
            assertThat(count(statement, "select count(*) from invoice_line")).isEqualTo(2240);
        }

        // a replacement fills the pool again
        awaitPool(2);
        assertThat(poolPasswords().keySet()).doesNotContain(taken.id());

        // after a restart, the pool's containers run again and it serves creations
        daemon.stop();
        daemon.start();
        awaitPool(2);
        DataContainer afterRestart = dolly.json(DataContainer.class, "create", "data-container", "-i", "chinook", "-n", "after-restart");
        assertThat(takenFromPool()).containsExactly("from-pool", "after-restart");
        try (Connection connection = connect(afterRestart); Statement statement = connection.createStatement()) {
            assertThat(count(statement, "select count(*) from track")).isEqualTo(3503);
        }
        awaitPool(2);

        // four creations at once from a pool of two: each gets a container of its own, and both that waited were taken
        // (a replacement made meanwhile may serve a later creation too)
        Set<Long> pooled = poolPasswords().keySet();
        List<DataContainer> parallel = createInParallel(4);
        assertThat(parallel.stream().map(DataContainer::id).distinct()).hasSize(4);
        assertThat(parallel.stream().map(DataContainer::port).distinct()).hasSize(4);
        assertThat(parallel.stream().filter(container -> pooled.contains(container.id())).count()).isEqualTo(2L);
        for (DataContainer container : parallel) {
            try (Connection connection = connect(container); Statement statement = connection.createStatement()) {
                assertThat(count(statement, "select count(*) from track")).isEqualTo(3503);
            }
        }
        awaitPool(2);

        // an image with only pool containers is deleted with its pool
        for (DataContainer container : dolly.json(DataContainer[].class, "get", "data-containers")) {
            dolly.succeed("delete", "data-container", container.name());
        }
        List<Long> poolIds = List.copyOf(poolPasswords().keySet());
        dolly.succeed("delete", "data-image", "chinook");
        assertThat(poolPasswords()).isEmpty();
        for (long id : poolIds) {
            Path volume = daemon.home().resolve("storage/containers/" + id);
            assertThat(volume).doesNotExist();
            assertThat(Engines.postmaster(volume)).isEmpty();
        }
    }

    private List<DataContainer> createInParallel(int creations)
            throws Exception
    {
        CyclicBarrier start = new CyclicBarrier(creations);
        List<Future<DataContainer>> futures = new ArrayList<>();
        try (ExecutorService threads = Executors.newFixedThreadPool(creations)) {
            for (int i = 0; i < creations; i++) {
                String name = "parallel-" + i;
                futures.add(threads.submit(() -> {
                    start.await();
                    return dolly.json(DataContainer.class, "create", "data-container", "-i", "chinook", "-n", name);
                }));
            }
        }
        List<DataContainer> created = new ArrayList<>();
        for (Future<DataContainer> future : futures) {
            created.add(future.get());
        }
        return created;
    }

    /** The names of the containers the daemon logged as taken from the pool, in order. */
    private List<String> takenFromPool()
            throws Exception
    {
        List<String> names = new ArrayList<>();
        Matcher matcher = TAKEN.matcher(daemon.log());
        while (matcher.find()) {
            names.add(matcher.group(1));
        }
        return names;
    }

    /** The pool's containers and their passwords, which the API never shows, from the catalog. */
    private Map<Long, String> poolPasswords()
            throws SQLException
    {
        Path catalog = daemon.home().resolve("catalog.db");
        assertThat(Files.exists(catalog)).isTrue();
        Map<Long, String> passwords = new HashMap<>();
        try (Connection connection = DriverManager.getConnection("jdbc:sqlite:" + catalog + "?open_mode=1");
                Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery("SELECT id, password FROM containers WHERE pooled = 1 AND status <> 'DELETING'")) {
            while (rows.next()) {
                passwords.put(rows.getLong(1), rows.getString(2));
            }
        }
        return passwords;
    }

    private void awaitPool(int ready)
            throws InterruptedException
    {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (true) {
            DataImage image = dolly.json(DataImage.class, "get", "data-image", "chinook");
            if (image.pool() != null && image.pool().ready() == ready && image.pool().size() == ready) {
                return;
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("The pool of chinook is " + image.pool() + " after " + WAIT.toSeconds() + " s, not " + ready + " ready");
            }
            Thread.sleep(100);
        }
    }
}
