package dev.dolly.tests;

import dev.dolly.api.DataContainer;
import dev.dolly.api.DataImage;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static dev.dolly.tests.TestImagesAndContainers.connect;
import static dev.dolly.tests.TestImagesAndContainers.count;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Spawn's own documented files and commands, unchanged: the scheduled image refresh of Spawn's CI how-to (an absolute
 * backup folder outside the definition's directory, a {@code .bak} custom-format dump, {@code SPAWNCTL_ACCESS_TOKEN},
 * the command run as {@code spawnctl} through a symbolic link to the launcher), a developer's container from its
 * {@code latest-production} image with spawnctl's output lines, and the Chinook scripts, which drop and create their
 * own database, built with {@code initialDatabaseName} on PostgreSQL and MariaDB.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TestSpawnParity
{
    private static final Path EXAMPLES = DaemonProcess.PROJECT_ROOT.resolve("examples");
    private static final String PIPELINE_PASSWORD = "the pipeline's long password";
    private static final String DEVELOPER_PASSWORD = "a developer's long password";
    private static final Pattern POSTGRESQL_LINE = Pattern.compile("-> Host=([^;]+);Port=(\\d+);Username=([^;]+);Database=([^;]+);Password=([A-Za-z0-9]{24})");

    private DaemonProcess daemon;
    private Cli admin;
    private DaemonUsers users;
    private Path work;
    private Path bin;

    @BeforeAll
    void startDaemon()
            throws Exception
    {
        daemon = DaemonProcess.withNewHome(Map.of()).start();
        admin = new Cli(daemon.environment());
        users = new DaemonUsers(daemon, admin);
        work = Files.createDirectories(daemon.home().getParent().resolve("work"));
        bin = Files.createDirectories(work.resolve("bin"));
        // spawnctl: a symbolic link to the ./dolly launcher, here a copy of it in an installation of this build
        Files.createSymbolicLink(bin.resolve("spawnctl"), installation().resolve("dolly"));
    }

    @AfterAll
    void stopDaemon()
            throws Exception
    {
        if (users != null) {
            users.deleteEverythingAndStop();
        }
    }

    @Test
    void spawnsScheduledImageRefreshRunsWordForWord()
            throws Exception
    {
        admin.succeedWithStdin(PIPELINE_PASSWORD + "\n", "create", "user", "pipeline", "--password-stdin");
        admin.succeedWithStdin(DEVELOPER_PASSWORD + "\n", "create", "user", "developer", "--password-stdin");
        admin.succeed("create", "team", "myorg:developers");
        admin.succeed("create", "team", "myorg:dbas");
        admin.succeed("update", "team", "myorg:developers", "--add-member", "pipeline", "--add-member", "developer");
        admin.succeed("update", "team", "myorg:dbas", "--add-member", "pipeline");
        Cli pipeline = users.signIn("pipeline", PIPELINE_PASSWORD);
        String token = pipeline.succeed("create", "access-token", "--purpose", "Scheduled data image creation from masked production backup", "-q")
                .stdout().strip();

        // the masked production backup: a custom-format dump of a PostgreSQL 11 server, on the agent's disk
        Path backups = Files.createDirectories(work.resolve("backups"));
        dumpChinookEleven(backups.resolve("production-masked-latest.bak"));
        Path checkout = Files.createDirectories(work.resolve("checkout"));
        Files.writeString(checkout.resolve("widgetstore-backup.yaml"), """
                name: WidgetStore
                sourceType: backup
                engine: postgresql
                version: 11.0
                teams: [myorg:developers, myorg:dbas]
                tags: [latest-production]
                backup:
                  folder: %s/
                  file: production-masked-latest.bak
                """.formatted(backups));

        Script built = bash("spawnctl create data-image -f $GIT_CHECKOUT_DIR/widgetstore-backup.yaml --lifetime 48h --tag $PIPELINE_RUN_ID -q",
                Map.of("SPAWNCTL_ACCESS_TOKEN", token, "GIT_CHECKOUT_DIR", checkout.toString(), "PIPELINE_RUN_ID", "4711"));
        assertThat(built.exitCode()).as(built.output()).isZero();
        assertThat(built.stdout()).isEqualTo("WidgetStore\n");

        DataImage image = admin.json(DataImage.class, "get", "data-image", "WidgetStore:latest-production");
        assertThat(image.owner()).isEqualTo("pipeline");
        assertThat(image.tags()).containsExactlyInAnyOrder("latest-production", "4711");
        assertThat(image.teams()).containsExactlyInAnyOrder("myorg:developers", "myorg:dbas");
        assertThat(image.requestedVersion()).isEqualTo("11.0");
        assertThat(image.engineVersion()).startsWith("11.");

        // spawnctl's option for the token; the table's columns are spawnctl's
        Script listed = bash("spawnctl get data-images --accessToken " + token, Map.of());
        assertThat(listed.exitCode()).as(listed.output()).isZero();
        assertThat(listed.stdout().lines().findFirst().orElseThrow().split("\\s+"))
                .containsExactly("ID", "NAME", "TAGS", "ENGINE", "STATUS", "CREATED", "TEAMS", "EXPIRES");
        assertThat(listed.stdout()).contains("postgresql 11.0 (runs " + image.engineVersion() + ")").contains("in 2 days");

        // a developer of the team: Spawn's two lines
        users.signIn("developer", DEVELOPER_PASSWORD);
        Script created = bash("spawnctl create data-container --image WidgetStore:latest-production",
                Map.of("DOLLY_CONFIG", users.configFile("developer").toString()));
        assertThat(created.exitCode()).as(created.output()).isZero();
        List<String> lines = created.stdout().lines().toList();
        assertThat(lines.get(0)).matches("Data container '[^']+' created!");
        Matcher connection = POSTGRESQL_LINE.matcher(lines.get(1));
        assertThat(connection.matches()).as(lines.get(1)).isTrue();
        assertThat(connection.group(3)).isEqualTo("postgres");
        String url = "jdbc:postgresql://" + connection.group(1) + ":" + connection.group(2) + "/" + connection.group(4);
        try (Connection database = DriverManager.getConnection(url, connection.group(3), connection.group(5));
                Statement statement = database.createStatement()) {
            assertThat(count(statement, "select count(*) from track")).isEqualTo(3503);
            assertThat(count(statement, "select current_setting('server_version_num')::int / 10000")).isEqualTo(11);
        }
        String name = lines.get(0).substring("Data container '".length(), lines.get(0).indexOf("' created!"));
        assertThat(admin.json(DataContainer.class, "get", "data-container", name).owner()).isEqualTo("developer");

        // the local administrator's CLI sends the directory, and its daemon reads the absolute path where it is
        Cli.Result local = admin.succeed("create", "data-image", "-f", checkout.resolve("widgetstore-backup.yaml").toString(), "-n", "widgetstore-local");
        assertThat(local.stdout()).startsWith("Data image 'widgetstore-local' created!\n-> ID ");
        assertThat(admin.json(DataImage.class, "get", "data-image", "widgetstore-local").engineVersion()).isEqualTo(image.engineVersion());

        Script help = bash("spawnctl --help", Map.of());
        assertThat(help.stdout()).startsWith("Usage: spawnctl ");
    }

    @Test
    void chinookDropsAndCreatesItsInitialDatabaseOnPostgresql()
            throws Exception
    {
        Path directory = Files.createDirectories(work.resolve("chinook"));
        Files.copy(EXAMPLES.resolve("chinook/Chinook_PostgreSql.sql"), directory.resolve("Chinook_PostgreSql.sql"));
        Files.writeString(directory.resolve("image.yaml"), """
                name: chinook-initial
                sourceType: backup
                engine: postgresql
                initialDatabaseName: chinook
                backup:
                  folder: ./
                  file: Chinook_PostgreSql.sql
                postScript: CREATE TABLE loaded_here (id int);
                """);
        admin.succeed("create", "data-image", "-f", directory.resolve("image.yaml").toString());
        assertThat(admin.json(DataImage.class, "get", "data-image", "chinook-initial").databaseName()).isEqualTo("chinook");

        DataContainer container = admin.json(DataContainer.class, "create", "data-container", "-i", "chinook-initial");
        assertThat(container.database()).isEqualTo("chinook");
        try (Connection connection = connect(container); Statement statement = connection.createStatement()) {
            assertThat(count(statement, "select count(*) from track")).isEqualTo(3503);
            assertThat(count(statement, "select count(*) from loaded_here")).isZero();
        }
        // the script ran from postgres, as psql would: nothing of it is there
        try (Connection connection = DriverManager.getConnection(container.jdbcUrl().replace("/chinook", "/postgres"), container.user(), container.password());
                Statement statement = connection.createStatement()) {
            assertThat(count(statement, "select count(*) from pg_tables where schemaname = 'public'")).isZero();
        }

        // a script that drops the initial database and does not create it again fails, saying so
        Files.writeString(directory.resolve("drops.yaml"), """
                name: drops-it
                sourceType: scripts
                engine: postgresql
                initialDatabaseName: gone
                scriptsFolders: [./drops]
                """);
        Files.createDirectories(directory.resolve("drops"));
        Files.writeString(directory.resolve("drops/001.sql"), "CREATE TABLE kept (id int);\nDROP DATABASE IF EXISTS gone;\n");
        Cli.Result failed = admin.run("create", "data-image", "-f", directory.resolve("drops.yaml").toString(), "-q");
        assertThat(failed.exitCode()).isEqualTo(1);
        assertThat(failed.stderr()).contains("names initialDatabaseName 'gone', but no database of that name exists after the load");
    }

    @Test
    void chinookDropsAndCreatesItsInitialDatabaseOnMariadb()
            throws Exception
    {
        Path directory = Files.createDirectories(work.resolve("chinook-mariadb"));
        String script = Files.readString(EXAMPLES.resolve("chinook-mysql/Chinook_MySql.sql"));
        Files.writeString(directory.resolve("Chinook_MySql.sql"), script);
        // without its DROP: a database created beforehand would make its CREATE DATABASE fail
        assertThat(script).contains("DROP DATABASE IF EXISTS `Chinook`;");
        Files.writeString(directory.resolve("Chinook_NoDrop.sql"), script.replace("DROP DATABASE IF EXISTS `Chinook`;", ""));
        for (String file : List.of("Chinook_MySql.sql", "Chinook_NoDrop.sql")) {
            String name = file.equals("Chinook_MySql.sql") ? "chinook-mariadb" : "chinook-mariadb-no-drop";
            Files.writeString(directory.resolve(name + ".yaml"), """
                    name: %s
                    sourceType: backup
                    engine: mariadb
                    initialDatabaseName: Chinook
                    backup:
                      folder: ./
                      file: %s
                    """.formatted(name, file));
            admin.succeed("create", "data-image", "-f", directory.resolve(name + ".yaml").toString());
            assertThat(admin.json(DataImage.class, "get", "data-image", name).databaseName()).isEqualTo("Chinook");
            Cli.Result created = admin.succeed("create", "data-container", "-i", name, "-n", name + "-copy");
            assertThat(created.stdout()).startsWith("Data container '" + name + "-copy' created!\n-> Server=127.0.0.1;Port=");
            assertThat(created.stdout().lines().toList().get(1)).matches("-> Server=127\\.0\\.0\\.1;Port=\\d+;User Id=dolly;Database=Chinook;Password=\\w{24}");
            DataContainer container = admin.json(DataContainer.class, "get", "data-container", name + "-copy");
            assertThat(container.database()).isEqualTo("Chinook");
            try (Connection connection = connect(container); Statement statement = connection.createStatement()) {
                assertThat(count(statement, "SELECT COUNT(*) FROM Track")).isEqualTo(3503);
                try (ResultSet database = statement.executeQuery("SELECT DATABASE()")) {
                    database.next();
                    assertThat(database.getString(1)).isEqualTo("Chinook");
                }
            }
        }
    }

    /** Chinook on PostgreSQL 11, dumped with pg_dump -Fc: what a production server of that version gives. */
    private void dumpChinookEleven(Path dump)
            throws Exception
    {
        Path source = Files.createDirectories(work.resolve("production"));
        Files.copy(EXAMPLES.resolve("chinook/Chinook_PostgreSql.sql"), source.resolve("chinook.sql"));
        Files.writeString(source.resolve("image.yaml"), "name: production\nsourceType: backup\nengine: postgresql\nversion: 11\nbackup:\n  path: chinook.sql\n");
        admin.succeed("create", "data-image", "-f", source.resolve("image.yaml").toString());
        DataContainer production = admin.json(DataContainer.class, "create", "data-container", "-i", "production");
        ProcessBuilder builder = new ProcessBuilder(List.of("/usr/bin/pg_dump", "-Fc", "-f", dump.toString(), "-h", production.host(),
                "-p", String.valueOf(production.port()), "-U", production.user(), production.database()))
                .redirectErrorStream(true);
        builder.environment().put("PGPASSWORD", production.password());
        Process process = builder.start();
        process.getOutputStream().close();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(120, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).as(output).isZero();
        assertThat(new String(Files.readAllBytes(dump), 0, 5, java.nio.charset.StandardCharsets.US_ASCII)).isEqualTo("PGDMP");
        admin.succeed("delete", "data-container", production.name());
    }

    private record Script(int exitCode, String stdout, String output) {}

    /** Runs a pipeline step with bash, spawnctl on the PATH, on this daemon's home as a CI agent would. */
    private Script bash(String command, Map<String, String> variables)
            throws IOException, InterruptedException
    {
        Path stderr = Files.createTempFile(work, "stderr", ".txt");
        ProcessBuilder builder = new ProcessBuilder("bash", "-euo", "pipefail", "-c", command)
                .directory(work.toFile())
                .redirectError(stderr.toFile());
        Map<String, String> environment = builder.environment();
        environment.keySet().removeIf(name -> name.startsWith("DOLLY_") || name.startsWith("SPAWNCTL_"));
        environment.put("PATH", bin + ":" + System.getenv("PATH"));
        environment.put("HOME", work.toString());
        environment.put("JAVA_HOME", System.getProperty("java.home"));
        environment.put("DOLLY_HOME", daemon.home().toString());
        environment.put("DOLLY_CONFIG", work.resolve("no-config").toString());
        environment.putAll(variables);
        Process process = builder.start();
        process.getOutputStream().close();
        String stdout = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor(10, TimeUnit.MINUTES)) {
            process.destroyForcibly();
            throw new AssertionError("'" + command + "' did not finish within 10 minutes");
        }
        return new Script(process.exitValue(), stdout, stdout + Files.readString(stderr));
    }

    /**
     * An installation of this build for the launcher: a copy of ./dolly and what it sources, the module jars of this
     * build, and a build stamp, so that the launcher runs them as they are instead of building.
     */
    private Path installation()
            throws IOException
    {
        Path installation = Files.createDirectories(work.resolve("installation"));
        Files.copy(DaemonProcess.PROJECT_ROOT.resolve("dolly"), installation.resolve("dolly"));
        Files.setPosixFilePermissions(installation.resolve("dolly"), PosixFilePermissions.fromString("rwxr-xr-x"));
        Files.createDirectories(installation.resolve(".ci"));
        Files.copy(DaemonProcess.PROJECT_ROOT.resolve(".ci/java-home.sh"), installation.resolve(".ci/java-home.sh"));
        for (String module : List.of("dolly-cli", "dolly-daemon")) {
            Files.createDirectories(installation.resolve(module));
            Files.createSymbolicLink(installation.resolve(module).resolve("target"), DaemonProcess.PROJECT_ROOT.resolve(module).resolve("target"));
        }
        Files.createDirectories(installation.resolve("target"));
        Files.writeString(installation.resolve("target/dolly-build.stamp"), "");
        return installation;
    }
}
