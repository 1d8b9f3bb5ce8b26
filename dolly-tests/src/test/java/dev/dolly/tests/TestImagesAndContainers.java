package dev.dolly.tests;

import dev.dolly.api.DataContainer;
import dev.dolly.api.DataImage;
import dev.dolly.api.ImageOrigin;
import dev.dolly.api.ResourceStatus;
import dev.dolly.api.Revision;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Images and containers end to end: a real daemon process, the real CLI, real PostgreSQL servers, on each storage
 * driver in turn (one daemon per driver, its home on the driver's test file system).
 */
@ParameterizedClass(name = "{0}")
@EnumSource(DriverUnderTest.class)
class TestImagesAndContainers
        extends DaemonOnDriver
{
    @Override
    String exampleImage()
    {
        return "chinook/image.yaml";
    }

    @Test
    void chinookImageGivesIsolatedContainersThatDeleteCleanly()
            throws Exception
    {
        DataImage image = dolly.json(DataImage.class, "get", "data-image", "chinook");
        assertThat(image.status()).isEqualTo(ResourceStatus.READY);
        assertThat(image.databaseName()).isEqualTo("chinook");
        assertThat(image.engineVersion()).startsWith("17.");
        assertThat(image.sizeBytes()).isPositive();

        Cli.Result created = dolly.succeed("create", "data-container", "-i", "chinook", "-n", "first");
        assertThat(created.stdout()).contains("Data container 'first'").contains("created!").contains("postgresql://");
        DataContainer first = dolly.json(DataContainer.class, "get", "data-container", "first");
        String second = dolly.succeed("create", "data-container", "chinook", "-q").stdout().strip();
        assertThat(second).matches("chinook-[a-z0-9]{6}");
        DataContainer other = dolly.json(DataContainer.class, "get", "data-container", second);

        assertThat(first.host()).isEqualTo("127.0.0.1");
        assertThat(first.port()).isNotEqualTo(other.port());
        assertThat(first.password()).hasSizeGreaterThanOrEqualTo(20).isNotEqualTo(other.password());
        assertThat(first.revision()).isEqualTo("rev.0");
        assertThat(first.jdbcUrl()).isEqualTo("jdbc:postgresql://127.0.0.1:" + first.port() + "/chinook");

        try (Connection connection = connect(first); Statement statement = connection.createStatement()) {
            assertThat(count(statement, "select count(*) from track")).isEqualTo(3503);
            assertThat(count(statement, "select count(*) from invoice_line")).isEqualTo(2240);
            statement.execute("delete from invoice_line where invoice_id < 100");
            statement.execute("create table scratch (id int)");
            assertThat(count(statement, "select count(*) from invoice_line")).isLessThan(2240);
        }
        try (Connection connection = connect(other); Statement statement = connection.createStatement()) {
            assertThat(count(statement, "select count(*) from invoice_line")).isEqualTo(2240);
            assertThat(count(statement, "select count(*) from information_schema.tables where table_name = 'scratch'")).isZero();
        }

        Path volume = daemon.home().resolve("storage/containers/" + first.id());
        ProcessHandle postmaster = Engines.postmaster(dataDirectory(volume)).orElseThrow();
        if ("root".equals(System.getProperty("user.name"))) {
            // each container runs as an account of its own (issue 10): its postmaster and every worker of it, and its
            // data directory, as its server sees it, belongs to that account, private to it (mode 0700), down to its files
            Path otherDirectory = dataDirectory(daemon.home().resolve("storage/containers/" + other.id()));
            ProcessHandle otherPostmaster = Engines.postmaster(otherDirectory).orElseThrow();
            int firstUid = Engines.uid(postmaster);
            int otherUid = Engines.uid(otherPostmaster);
            assertThat(firstUid).isNotEqualTo(otherUid);
            assertThat(List.of(firstUid, otherUid)).allMatch(Engines::isEngineAccount);
            assertThat(Engines.postgresProcessesUnder(dataDirectory(volume))).hasSizeGreaterThanOrEqualTo(2)
                    .allSatisfy(process -> assertThat(Engines.uid(process)).isEqualTo(firstUid));
            assertThat(Engines.postgresProcessesUnder(otherDirectory)).hasSizeGreaterThanOrEqualTo(2)
                    .allSatisfy(process -> assertThat(Engines.uid(process)).isEqualTo(otherUid));
            // the image's files belong to its build's account, which is neither container's
            Path imageVolume = daemon.home().resolve("storage/images/" + image.id());
            int imageUid = (Integer) Files.getAttribute(imageVolume, "unix:uid");
            assertThat(Engines.isEngineAccount(imageUid)).isTrue();
            assertThat(imageUid).isNotIn(firstUid, otherUid);
            for (Path directory : List.of(dataDirectory(volume), otherDirectory)) {
                int owner = directory.equals(otherDirectory) ? otherUid : firstUid;
                ProcessHandle server = directory.equals(otherDirectory) ? otherPostmaster : postmaster;
                // through the server's own mount namespace
                Path seen = Path.of("/proc", String.valueOf(server.pid()), "root").resolve(directory.toString().substring(1));
                assertThat(Files.getAttribute(seen, "unix:uid")).isEqualTo(owner);
                assertThat(Files.getAttribute(seen, "unix:gid")).isEqualTo(owner);
                assertThat(Files.getAttribute(seen.resolve("PG_VERSION"), "unix:uid")).isEqualTo(owner);
                assertThat(Files.getAttribute(seen.resolve("global/pg_control"), "unix:uid")).isEqualTo(owner);
                assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(directory))).isEqualTo("rwx------");
                // on disk: still the image's account, shown as the container's through an ID-mapped view; an overlay
                // is mounted on ID-mapped layers, so its mount shows the container's account everywhere, and what the
                // server wrote is stored in the upper layer as the image's account
                int outside = driver == DriverUnderTest.OVERLAY ? owner : imageUid;
                assertThat(Files.getAttribute(directory, "unix:uid")).isEqualTo(outside);
                assertThat(Files.getAttribute(directory.resolve("global/pg_control"), "unix:uid")).isEqualTo(outside);
                if (driver == DriverUnderTest.OVERLAY) {
                    Path upper = directory.resolveSibling("upper");
                    assertThat(Files.getAttribute(upper, "unix:uid")).isEqualTo(imageUid);
                    assertThat(Files.getAttribute(upper.resolve("global/pg_control"), "unix:uid")).isEqualTo(imageUid);
                }
            }
        }
        dolly.succeed("delete", "data-container", "first");
        assertThat(postmaster.isAlive()).isFalse();
        assertThat(volume).doesNotExist();
        assertThat(portIsFree(first.port())).isTrue();
        assertThat(dolly.run("get", "data-container", "first").exitCode()).isEqualTo(2);

        Cli.Result refused = dolly.run("delete", "data-image", "chinook");
        assertThat(refused.exitCode()).isEqualTo(1);
        assertThat(refused.stderr()).contains(second);
        dolly.succeed("delete", "data-container", second);
    }

    @Test
    void imagesFromScriptsFoldersAndEmptyImages()
            throws Exception
    {
        dolly.succeed("create", "data-image", "-f", EXAMPLES.resolve("scripts/image.yaml").toString(), "-q");
        DataContainer widgets = dolly.json(DataContainer.class, "create", "data-container", "-i", "widgetstore");
        assertThat(widgets.database()).isEqualTo("widgets");
        try (Connection connection = connect(widgets); Statement statement = connection.createStatement()) {
            assertThat(count(statement, "select count(*) from widget")).isEqualTo(3);
            assertThat(count(statement, "select order_total(3) * 100")).isEqualTo(11880);
        }

        Path definition = Files.createTempDirectory(daemon.home().getParent(), "empty").resolve("image.yaml");
        Files.writeString(definition, """
                name: blank
                sourceType: empty
                engine: postgresql
                initialDatabaseName: app
                """);
        dolly.succeed("create", "data-image", "-f", definition.toString());
        DataContainer blank = dolly.json(DataContainer.class, "create", "data-container", "-i", "blank");
        assertThat(blank.database()).isEqualTo("app");
        try (Connection connection = connect(blank); Statement statement = connection.createStatement()) {
            assertThat(count(statement, "select count(*) from information_schema.tables where table_schema = 'public'")).isZero();
            statement.execute("create table note (body text)");
        }
        dolly.succeed("delete", "data-container", widgets.name(), blank.name());
        dolly.succeed("delete", "data-image", "widgetstore", "blank");
        assertThat(dolly.run("get", "data-image", "blank").exitCode()).isEqualTo(2);
    }

    @Test
    void badDefinitionsAreRefusedAndCreateNothing()
            throws Exception
    {
        long imagesBefore = dolly.json(DataImage[].class, "get", "data-images").length;
        Path directory = Files.createTempDirectory(daemon.home().getParent(), "bad");
        Path misspelled = directory.resolve("misspelled.yaml");
        Files.writeString(misspelled, "name: bad\nsourceType: empty\nengine: postgresql\ninitialDatabseName: x\n");
        Cli.Result result = dolly.run("create", "data-image", "-f", misspelled.toString());
        assertThat(result.exitCode()).isEqualTo(3);
        assertThat(result.stderr()).contains("initialDatabseName").contains("did you mean 'initialDatabaseName'");

        Path missingFile = directory.resolve("missing.yaml");
        Files.writeString(missingFile, "name: bad\nsourceType: backup\nengine: postgresql\nbackup:\n  folder: ./\n  file: nowhere.sql\n");
        result = dolly.run("create", "data-image", "-f", missingFile.toString());
        assertThat(result.exitCode()).isEqualTo(3);
        assertThat(result.stderr()).contains("nowhere.sql");

        Path unknownVersion = directory.resolve("version.yaml");
        Files.writeString(unknownVersion, "name: bad\nsourceType: empty\nengine: postgresql\nversion: 42\n");
        result = dolly.run("create", "data-image", "-f", unknownVersion.toString());
        assertThat(result.exitCode()).isEqualTo(3);
        assertThat(result.stderr()).contains("42");

        Path unknownEngine = directory.resolve("engine.yaml");
        Files.writeString(unknownEngine, "name: bad\nsourceType: empty\nengine: oracle\n");
        assertThat(dolly.run("create", "data-image", "-f", unknownEngine.toString()).exitCode()).isEqualTo(3);

        assertThat(dolly.run("create", "data-image", "-f", directory.resolve("absent.yaml").toString()).exitCode()).isEqualTo(3);
        assertThat(dolly.json(DataImage[].class, "get", "data-images")).hasSize((int) imagesBefore);
    }

    @Test
    void aDumpThatFailsHalfwayLeavesAFailedImageAndNothingElse()
            throws Exception
    {
        Path directory = Files.createTempDirectory(daemon.home().getParent(), "broken");
        StringBuilder dump = new StringBuilder("CREATE TABLE good (id int);\n");
        for (int row = 0; row < 2000; row++) {
            dump.append("INSERT INTO good VALUES (").append(row).append(");\n");
        }
        dump.append("INSERT INTO missing_table VALUES (1);\n");
        dump.append("INSERT INTO good VALUES (-1);\n");
        Files.writeString(directory.resolve("broken.sql"), dump);
        Files.writeString(directory.resolve("image.yaml"), "name: broken\nsourceType: backup\nengine: postgresql\nbackup:\n  path: broken.sql\n");

        Cli.Result result = dolly.run("create", "data-image", "-f", directory.resolve("image.yaml").toString());
        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.stderr()).contains("broken.sql line 2002").contains("missing_table");

        DataImage broken = dolly.json(DataImage.class, "get", "data-image", "broken");
        assertThat(broken.status()).isEqualTo(ResourceStatus.FAILED);
        assertThat(broken.statusMessage()).contains("line 2002");
        Path volume = daemon.home().resolve("storage/images/" + broken.id());
        assertThat(volume).doesNotExist();
        assertThat(Engines.postgresProcessesUnder(volume)).isEmpty();
        assertThat(daemon.home().resolve("logs/engines/image-" + broken.id() + ".log")).doesNotExist();
        dolly.succeed("delete", "data-image", "broken");
    }

    @Test
    void containersRunAgainAfterTheDaemonRestarts()
            throws Exception
    {
        DataContainer before = dolly.json(DataContainer.class, "create", "data-container", "-i", "chinook", "-n", "survivor");
        try (Connection connection = connect(before); Statement statement = connection.createStatement()) {
            statement.execute("create table kept (id int)");
            statement.execute("insert into kept values (42)");
        }
        Path dataDirectory = dataDirectory(daemon.home().resolve("storage/containers/" + before.id()));

        daemon.stop();
        assertThat(Engines.postmaster(dataDirectory)).isEmpty();
        assertThat(portIsFree(before.port())).isTrue();
        // as after a reboot: the daemon mounts what its containers need again
        daemon.unmountAll();
        daemon.start();

        DataContainer after = dolly.json(DataContainer.class, "get", "data-container", "survivor");
        assertThat(after.status()).isEqualTo(ResourceStatus.READY);
        assertThat(after.port()).isEqualTo(before.port());
        assertThat(after.password()).isEqualTo(before.password());
        assertThat(Engines.postmaster(dataDirectory)).isPresent();
        try (Connection connection = connect(after); Statement statement = connection.createStatement()) {
            assertThat(count(statement, "select id from kept")).isEqualTo(42);
        }
        assertThat(dolly.json(DataImage.class, "get", "data-image", "chinook").containers()).containsExactly("survivor");
        dolly.succeed("delete", "data-container", "survivor");
    }

    @Test
    void containersAreDeletedWhenTheirLifetimeIsOver()
            throws Exception
    {
        DataContainer container = dolly.json(DataContainer.class, "create", "data-container", "-i", "chinook", "--lifetime", "5s");
        assertThat(container.expiresAt()).isBetween(container.createdAt().plusSeconds(4), container.createdAt().plusSeconds(6));
        Path dataDirectory = daemon.home().resolve("storage/containers/" + container.id());
        long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(45);
        while (dolly.run("get", "data-container", container.name()).exitCode() != 2) {
            assertThat(System.nanoTime()).as("the container is deleted within 45 s").isLessThan(deadline);
            Thread.sleep(500);
        }
        assertThat(dataDirectory).doesNotExist();
        assertThat(portIsFree(container.port())).isTrue();
    }

    @Test
    void revisionsSaveLoadResetAndGraduateWithTheSameConnectionDetails()
            throws Exception
    {
        DataContainer created = dolly.json(DataContainer.class, "create", "data-container", "-i", "chinook", "-n", "repro");
        execute(created, "create table perf (step int)", "insert into perf values (1)");
        assertThat(timed("save", "save", "data-container", "repro").stdout()).isEqualTo("New revision is 'rev.1'\n");
        execute(created, "insert into perf values (2)", "delete from invoice_line where invoice_id < 50");
        assertThat(timed("save", "save", "data-container", "repro", "-q").stdout()).isEqualTo("rev.2\n");
        execute(created, "insert into perf values (3)");

        timed("load", "load", "data-container", "repro", "-r", "rev.0");
        try (Connection connection = connect(created); Statement statement = connection.createStatement()) {
            assertThat(count(statement, "select count(*) from information_schema.tables where table_name = 'perf'")).isZero();
            assertThat(count(statement, "select count(*) from invoice_line")).isEqualTo(2240);
        }
        timed("load", "load", "data-container", "repro", "--revision", "rev.2");
        assertThat(steps(created)).isEqualTo("1,2");
        execute(created, "insert into perf values (4)", "drop table playlist_track");
        assertThat(dolly.succeed("reset", "data-container", "repro").stdout()).contains("rev.2");
        assertThat(steps(created)).isEqualTo("1,2");
        try (Connection connection = connect(created); Statement statement = connection.createStatement()) {
            assertThat(count(statement, "select count(*) from playlist_track")).isEqualTo(8715);
            assertThat(count(statement, "select count(*) from invoice_line")).isLessThan(2240);
        }

        DataContainer after = dolly.json(DataContainer.class, "get", "data-container", "repro");
        assertThat(after.revision()).isEqualTo("rev.2");
        assertThat(after.status()).isEqualTo(ResourceStatus.READY);
        assertThat(List.of(after.host(), after.port(), after.user(), after.password(), after.uri()))
                .isEqualTo(List.of(created.host(), created.port(), created.user(), created.password(), created.uri()));
        assertThat(dolly.succeed("get", "data-containers").stdout()).containsPattern("repro +chinook +rev\\.2");

        Revision[] revisions = dolly.json(Revision[].class, "get", "revisions", "repro");
        assertThat(revisions).extracting(Revision::name).containsExactly("rev.0", "rev.1", "rev.2");
        assertThat(revisions).extracting(Revision::parent).containsExactly(null, "rev.0", "rev.1");
        assertThat(revisions).extracting(Revision::current).containsExactly(false, false, true);
        assertThat(revisions[1].createdAt()).isAfterOrEqualTo(created.createdAt());
        String table = dolly.succeed("get", "revisions", "repro").stdout();
        assertThat(table).startsWith("REVISION").containsPattern("rev\\.2 +rev\\.1 .*\\*");

        // a new branch: rev.3 is saved from rev.1
        dolly.succeed("load", "data-container", "repro", "-r", "rev.1");
        execute(created, "insert into perf values (5)");
        assertThat(dolly.succeed("save", "data-container", "repro", "-q").stdout()).isEqualTo("rev.3\n");
        assertThat(dolly.json(Revision[].class, "get", "revisions", "repro")[3].parent()).isEqualTo("rev.1");

        Cli.Result graduated = dolly.succeed("graduate", "data-container", "repro", "--revision", "rev.2", "--name", "image-with-perf-issue",
                "--tag", "perf", "--team", "myorg:developers");
        assertThat(graduated.stdout()).matches("Data image 'image-with-perf-issue' created!\\n-> ID \\d+, from data container 'repro' rev\\.2\\n");
        DataImage image = dolly.json(DataImage.class, "get", "data-image", "image-with-perf-issue");
        assertThat(image.status()).isEqualTo(ResourceStatus.READY);
        assertThat(image.origin()).isEqualTo(new ImageOrigin("repro", "rev.2", "chinook"));
        assertThat(image.tags()).containsExactly("perf");
        assertThat(image.teams()).containsExactly("myorg:developers");
        assertThat(image.databaseName()).isEqualTo("chinook");
        // without --revision: the one it is on, rev.3, named after the container and the number
        assertThat(dolly.succeed("graduate", "data-container", "repro", "-q").stdout()).isEqualTo("repro-graduate-3\n");

        DataContainer teammate = dolly.json(DataContainer.class, "create", "data-container", "-i", "image-with-perf-issue", "-n", "teammate");
        assertThat(teammate.password()).isNotEqualTo(created.password());
        assertThat(steps(teammate)).isEqualTo("1,2");
        execute(teammate, "insert into perf values (6)");
        assertThat(steps(created)).isEqualTo("1,5");
        assertThat(steps(teammate)).isEqualTo("1,2,6");

        dolly.succeed("delete", "data-container", "repro");
        assertThat(daemon.home().resolve("storage/revisions/" + created.id())).isEmptyDirectory();
        assertThat(steps(teammate)).isEqualTo("1,2,6");
        DataContainer second = dolly.json(DataContainer.class, "create", "data-container", "-i", "image-with-perf-issue");
        assertThat(steps(second)).isEqualTo("1,2");
        try (Connection connection = connect(second); Statement statement = connection.createStatement()) {
            assertThat(count(statement, "select count(*) from track")).isEqualTo(3503);
        }
        dolly.succeed("delete", "data-container", "teammate", second.name());
        dolly.succeed("delete", "data-image", "image-with-perf-issue", "repro-graduate-3");
    }

    @Test
    void spawnctlRevisionCommandsWorkAsDolly()
            throws Exception
    {
        String definition = EXAMPLES.resolve("chinook/image.yaml").toString();
        dolly.succeed("create", "data-image", "-f", definition, "-n", "my-image");
        assertThat(dolly.succeed("create", "data-container", "-i", "my-image", "-n", "my-data-container").stdout()).contains("created!");
        DataContainer container = dolly.json(DataContainer.class, "get", "data-container", "my-data-container");
        execute(container, "create table perf (step int)", "insert into perf values (1)");
        assertThat(dolly.succeed("save", "data-container", "my-data-container").stdout()).isEqualTo("New revision is 'rev.1'\n");
        execute(container, "insert into perf values (2)");
        assertThat(dolly.succeed("save", "data-container", "my-data-container").stdout()).isEqualTo("New revision is 'rev.2'\n");
        dolly.succeed("load", "data-container", "my-data-container", "-r", "rev.0");
        try (Connection connection = connect(container); Statement statement = connection.createStatement()) {
            assertThat(count(statement, "select count(*) from information_schema.tables where table_name = 'perf'")).isZero();
        }
        dolly.succeed("graduate", "data-container", "my-data-container", "--revision", "rev.2", "--name", "image-with-perf-issue");
        assertThat(dolly.succeed("get", "data-images").stdout()).contains("image-with-perf-issue").contains("my-image");
        String teammate = dolly.succeed("create", "data-container", "image-with-perf-issue", "-q").stdout().strip();
        DataContainer copy = dolly.json(DataContainer.class, "get", "data-container", teammate);
        assertThat(steps(copy)).isEqualTo("1,2");

        dolly.succeed("delete", "data-container", "my-data-container");
        Cli.Result refused = dolly.run("delete", "data-image", "my-image");
        if (driver == DriverUnderTest.OVERLAY) {
            // the graduated image is stacked on my-image: its layers are its own, its base is not
            assertThat(refused.exitCode()).isEqualTo(1);
            assertThat(refused.stderr()).contains("image-with-perf-issue").contains("Delete them first");
        }
        else {
            assertThat(refused.exitCode()).isZero();
        }
        assertThat(steps(copy)).isEqualTo("1,2");
        dolly.succeed("delete", "data-container", teammate);
        dolly.succeed("delete", "data-image", "image-with-perf-issue");
        if (refused.exitCode() != 0) {
            dolly.succeed("delete", "data-image", "my-image");
        }
    }

    @Test
    void manySaveAndLoadCyclesKeepExactlyWhatWasCommittedAndPassAmcheck()
            throws Exception
    {
        DataContainer container = dolly.json(DataContainer.class, "create", "data-container", "-i", "chinook", "-n", "cycles");
        execute(container, "create extension amcheck", "create table perf (step int primary key, payload text)", "create index on perf (payload)");
        int cycles = 10;
        for (int cycle = 1; cycle <= cycles; cycle++) {
            execute(container,
                    "insert into perf select " + cycle + " * 1000 + n, md5(n::text) from generate_series(1, 500) n",
                    "update track set milliseconds = milliseconds + 1 where track_id % 10 = " + (cycle % 10),
                    "delete from perf where step % 7 = " + (cycle % 7) + " and step < " + cycle * 1000);
            String committed = rows(container);
            // uncommitted work in an open transaction when the save comes: not in the revision
            try (Connection open = connect(container); Statement statement = open.createStatement()) {
                open.setAutoCommit(false);
                statement.execute("insert into perf values (-" + cycle + ", 'uncommitted')");
                assertThat(timed("save", "save", "data-container", "cycles", "-q").stdout()).isEqualTo("rev." + cycle + "\n");
            }
            execute(container, "insert into perf values (-1000, 'after the save')");
            timed("load", "load", "data-container", "cycles", "-r", "rev." + cycle);
            assertThat(rows(container)).isEqualTo(committed);
            if (cycle % 3 == 0) {
                // back and forth: an older revision, then the newest again
                timed("load", "load", "data-container", "cycles", "-r", "rev." + (cycle - 1));
                timed("load", "load", "data-container", "cycles", "-r", "rev." + cycle);
                assertThat(rows(container)).isEqualTo(committed);
            }
        }
        try (Connection connection = connect(container); Statement statement = connection.createStatement()) {
            assertThat(count(statement, "select count(*) from perf where step < 0")).isZero();
            long indexes = count(statement, """
                    select count(*) from (
                        select bt_index_check(index.indexrelid, true)
                        from pg_index index join pg_class class on class.oid = index.indexrelid join pg_am am on am.oid = class.relam
                        where am.amname = 'btree' and class.relpersistence <> 't' and index.indisvalid and index.indisready) checked
                    """);
            assertThat(indexes).isGreaterThan(20);
            assertThat(count(statement, """
                    select count(*) from pg_class class, lateral verify_heapam(class.oid)
                    where class.relkind = 'r' and class.relpersistence <> 't'
                    """)).as("heap pages verify_heapam finds corrupt").isZero();
        }
        Revision[] revisions = dolly.json(Revision[].class, "get", "revisions", "cycles");
        assertThat(revisions).hasSize(cycles + 1);
        assertThat(revisions[cycles].parent()).isEqualTo("rev." + (cycles - 1));
        dolly.succeed("delete", "data-container", "cycles");
    }

    @Test
    void revisionMistakesAreRefusedWithTheirExitCodes()
            throws Exception
    {
        DataContainer container = dolly.json(DataContainer.class, "create", "data-container", "-i", "chinook", "-n", "mistakes");
        Cli.Result result = dolly.run("load", "data-container", "mistakes", "-r", "rev.7");
        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.stderr()).contains("has no revision rev.7").contains("dolly get revisions mistakes");
        assertThat(dolly.run("load", "data-container", "mistakes", "-r", "seven").exitCode()).isEqualTo(3);
        assertThat(dolly.run("load", "data-container", "nobody", "-r", "rev.0").exitCode()).isEqualTo(2);
        assertThat(dolly.run("save", "data-container", "nobody").exitCode()).isEqualTo(2);
        assertThat(dolly.run("load", "data-container", "mistakes").exitCode()).isEqualTo(3);
        result = dolly.run("graduate", "data-container", "mistakes");
        assertThat(result.exitCode()).isEqualTo(3);
        assertThat(result.stderr()).contains("rev.0").contains("dolly save data-container mistakes");

        dolly.succeed("save", "data-container", "mistakes");
        dolly.succeed("load", "data-container", "mistakes", "-r", "rev.1");
        dolly.succeed("save", "data-container", "mistakes");
        result = dolly.run("graduate", "data-container", "mistakes", "--name", "chinook");
        assertThat(result.exitCode()).isEqualTo(3);
        assertThat(result.stderr()).contains("'chinook' exists already");

        result = dolly.run("delete", "revision", "mistakes", "rev.0");
        assertThat(result.exitCode()).isEqualTo(3);
        result = dolly.run("delete", "revision", "mistakes", "rev.2");
        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.stderr()).contains("is on rev.2");
        assertThat(dolly.run("delete", "revision", "mistakes", "rev.9").exitCode()).isEqualTo(2);
        result = dolly.run("delete", "revision", "mistakes", "rev.1");
        if (driver == DriverUnderTest.OVERLAY) {
            // rev.2 was saved from a clone of rev.1: its layer is stacked on rev.1's, as the container is
            assertThat(result.exitCode()).isEqualTo(1);
            assertThat(result.stderr()).contains("needed by data container 'mistakes', rev.2 of data container 'mistakes'");
            dolly.succeed("load", "data-container", "mistakes", "-r", "rev.0");
            dolly.succeed("delete", "revision", "mistakes", "rev.2");
            dolly.succeed("delete", "revision", "mistakes", "rev.1");
        }
        else {
            assertThat(result.exitCode()).isZero();
            assertThat(result.stdout()).isEqualTo("Revision 'rev.1' of data container 'mistakes' deleted.\n");
            dolly.succeed("load", "data-container", "mistakes", "-r", "rev.2");
        }
        assertThat(dolly.json(DataContainer.class, "get", "data-container", "mistakes").password()).isEqualTo(container.password());
        dolly.succeed("delete", "data-container", "mistakes");
    }

    /** Runs a CLI command that must succeed, and prints how long it took, for the record. */
    private Cli.Result timed(String what, String... arguments)
    {
        long start = System.nanoTime();
        Cli.Result result = dolly.succeed(arguments);
        System.out.printf("%s %s: %d ms%n", driver, what, (System.nanoTime() - start) / 1_000_000);
        return result;
    }

    private static void execute(DataContainer container, String... statements)
            throws SQLException
    {
        try (Connection connection = connect(container); Statement statement = connection.createStatement()) {
            for (String sql : statements) {
                statement.execute(sql);
            }
        }
    }

    private static String steps(DataContainer container)
            throws SQLException
    {
        try (Connection connection = connect(container); Statement statement = connection.createStatement();
                ResultSet resultSet = statement.executeQuery("select string_agg(step::text, ',' order by step) from perf")) {
            resultSet.next();
            return resultSet.getString(1);
        }
    }

    /** What the cycles test changes: the rows of perf and the durations of the tracks. */
    private static String rows(DataContainer container)
            throws SQLException
    {
        try (Connection connection = connect(container); Statement statement = connection.createStatement()) {
            return count(statement, "select count(*) from perf") + " rows, steps summing to " + count(statement, "select coalesce(sum(step), 0) from perf")
                    + ", tracks lasting " + count(statement, "select sum(milliseconds) from track");
        }
    }

    /** Where the server of a container volume runs: the volume itself, or its merged directory with overlay. */
    static Path dataDirectory(Path volume)
    {
        Path merged = volume.resolve("merged");
        return Files.isDirectory(merged) ? merged : volume;
    }

    static Connection connect(DataContainer container)
            throws SQLException
    {
        return DriverManager.getConnection(container.jdbcUrl(), container.user(), container.password());
    }

    static long count(Statement statement, String query)
            throws SQLException
    {
        try (ResultSet resultSet = statement.executeQuery(query)) {
            resultSet.next();
            return resultSet.getLong(1);
        }
    }

    static boolean portIsFree(int port)
    {
        try (ServerSocket socket = new ServerSocket()) {
            socket.bind(new InetSocketAddress("127.0.0.1", port));
            return true;
        }
        catch (IOException e) {
            return false;
        }
    }
}
