package dev.dolly.core.engine.postgresql;

import dev.dolly.api.DollyException;
import dev.dolly.api.ErrorCode;
import dev.dolly.core.engine.Endpoint;
import dev.dolly.core.engine.EngineInstallation;
import dev.dolly.core.engine.EngineUser;
import dev.dolly.core.engine.LoadPlan;
import dev.dolly.core.engine.LoadPlan.Backup;
import dev.dolly.core.engine.LoadPlan.BackupFormat;
import dev.dolly.core.engine.ProgressListener;
import dev.dolly.core.engine.ServerSettings;
import dev.dolly.core.storage.FileTrees;
import dev.dolly.core.testing.ServerProcessFinder;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static java.util.Objects.requireNonNull;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * A PostgreSQL server and its tools running as an account of numeric IDs only, as a container's or build's account
 * is when the daemon runs as root; and {@code pg_restore}, running as the build's account, reading nothing outside
 * its staging directory.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PostgresEngineAccountsTest
{
    private static final String PASSWORD = "build password";
    private static final String SECRET = "the daemon's secret";

    private Path base;
    private EngineUser account;
    private PostgresEngine engine;
    private EngineInstallation installation;
    private Path data;
    private Endpoint superuser;

    @BeforeAll
    void startServerAsAnAccountOfItsOwn()
    {
        assumeTrue(EngineUser.daemonUser().uid() == 0, "accounts of their own need a daemon running as root");
        base = TemporaryDirectories.createBase();
        account = EngineUser.ofIds(2_000_099_990, 2_000_099_990);
        PostgresBinaries binaries = new PostgresBinaries(base.resolve("engines"), base.resolve("cache"), java.net.URI.create("http://127.0.0.1:9/maven2"), base.resolve("m2"), List.of());
        // as the services do: the provider's engine (the named account) bound to the build's account
        engine = new PostgresEngine(binaries, EngineUser.resolve("dolly")).runningAs(account);
        installation = engine.install(null, ProgressListener.NONE);
        data = TemporaryDirectories.createDirectory(base, "data");
        engine.initialize(installation, data, PASSWORD);
        int port = TemporaryDirectories.freePort();
        engine.start(installation, data, new ServerSettings("127.0.0.1", port, Map.of("fsync", "off"), base.resolve("server.log")));
        superuser = new Endpoint("127.0.0.1", port, engine.defaultUser(), PASSWORD, engine.defaultDatabase());
    }

    @AfterAll
    void stopServer()
    {
        if (engine != null && data != null) {
            engine.stop(installation, data);
        }
        if (base != null) {
            FileTrees.deleteRecursively(base);
        }
    }

    @Test
    void theServerAndItsFilesBelongToTheAccount()
            throws IOException
    {
        // initdb ran as the named account (it needs a name); the data directory is then the account's, every file of it
        assertThat(Files.getAttribute(data, "unix:uid")).isEqualTo(account.uid());
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(data))).isEqualTo("rwx------");
        try (var files = Files.walk(data)) {
            assertThat(files.filter(file -> !file.getFileName().toString().equals("postmaster.pid")))
                    .allSatisfy(file -> assertThat(Files.getAttribute(file, "unix:uid", LinkOption.NOFOLLOW_LINKS)).as(file.toString()).isEqualTo(account.uid()));
        }
        assertThat(ServerProcessFinder.uidLine(ServerProcessFinder.serverOf(data, "postgres")))
                .isEqualTo("Uid:\t" + account.uid() + "\t" + account.uid() + "\t" + account.uid() + "\t" + account.uid());
        assertThat(engine.isRunning(installation, data)).isTrue();
    }

    /**
     * A directory-format dump names its data files in {@code toc.dat}; one that names a file outside its staging
     * directory must not load it. The positive control: the same dump naming a file inside the staging directory does.
     */
    @Test
    void pgRestoreReadsOnlyWhatTheBuildsAccountMay()
            throws Exception
    {
        assumeTrue(PostgresEngine.findPgRestore().isPresent(), "pg_restore is not installed");
        Path attack = TemporaryDirectories.createDirectory(base, "attack");
        Path secret = attack.resolve("admin-token");
        // data files of a directory dump end with COPY's end marker
        Files.writeString(secret, "7\t" + SECRET + "\n\\.\n\n");
        Files.setPosixFilePermissions(secret, PosixFilePermissions.fromString("rw-------"));
        Path staging = attack.resolve("staging");
        Files.createDirectories(staging);
        Files.writeString(staging.resolve("own.dat"), "7\tthe build's own file\n\\.\n\n");

        Path ownFile = dumpNaming(staging.resolve("own-dump"), "../own.dat");
        Path outside = dumpNaming(staging.resolve("outside-dump"), "../../admin-token");
        // as ImageService does with an upload's staging directory
        account.takeOwnership(staging);
        Files.setPosixFilePermissions(staging, PosixFilePermissions.fromString("rwx------"));

        engine.load(installation, superuser, plan("own_file", ownFile), ProgressListener.NONE);
        assertThat(query(superuser.withDatabase("own_file"), "SELECT name FROM sample WHERE id = 7")).isEqualTo("the build's own file");

        assertThatThrownBy(() -> engine.load(installation, superuser, plan("outside", outside), ProgressListener.NONE))
                .isInstanceOfSatisfying(DollyException.class, e -> assertThat(e.errorCode()).isEqualTo(ErrorCode.LOAD_FAILED))
                // pg_restore tries the name, then the name with .gz, and reports the second failure
                .hasMessageContaining("could not open input file")
                .hasMessageContaining("admin-token")
                .message().doesNotContain(SECRET);
        assertThat(query(superuser.withDatabase("outside"), "SELECT count(*) FROM sample WHERE name = '" + SECRET.replace("'", "''") + "'")).isEqualTo("0");

        // the same dump, read with the daemon's rights (as a local administrator's definition is), reads the file: the attack is real
        engine.readingSourcesAs(EngineUser.daemonUser()).load(installation, superuser, plan("as_the_daemon", outside), ProgressListener.NONE);
        assertThat(query(superuser.withDatabase("as_the_daemon"), "SELECT name FROM sample WHERE id = 7")).isEqualTo(SECRET);
    }

    private static LoadPlan plan(String database, Path dump)
    {
        return new LoadPlan(Optional.of(database), Optional.empty(), List.of(new Backup(dump, BackupFormat.DIRECTORY)), List.of(), Optional.empty());
    }

    /** The sample directory dump, with the file name of its one data entry ({@code 3345.dat}) replaced in {@code toc.dat}. */
    private static Path dumpNaming(Path directory, String dataFile)
            throws IOException, URISyntaxException
    {
        Path sample = Path.of(requireNonNull(PostgresEngineAccountsTest.class.getResource("sample-directory"), "sample-directory").toURI());
        Files.createDirectories(directory);
        byte[] toc = Files.readAllBytes(sample.resolve("toc.dat"));
        // strings in toc.dat are a sign byte, a 4-byte little-endian length (the header's int size), then the bytes
        byte[] original = string("3345.dat");
        int at = indexOf(toc, original);
        assertThat(at).as("the data file's name in toc.dat").isNotNegative();
        ByteArrayOutputStream patched = new ByteArrayOutputStream();
        patched.write(toc, 0, at);
        patched.write(string(dataFile));
        patched.write(toc, at + original.length, toc.length - at - original.length);
        Files.write(directory.resolve("toc.dat"), patched.toByteArray());
        return directory;
    }

    private static byte[] string(String text)
    {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        return ByteBuffer.allocate(5 + bytes.length).order(ByteOrder.LITTLE_ENDIAN).put((byte) 0).putInt(bytes.length).put(bytes).array();
    }

    private static int indexOf(byte[] haystack, byte[] needle)
    {
        for (int index = 0; index + needle.length <= haystack.length; index++) {
            if (Arrays.equals(haystack, index, index + needle.length, needle, 0, needle.length)) {
                return index;
            }
        }
        return -1;
    }

    private static String query(Endpoint endpoint, String sql)
            throws SQLException
    {
        try (Connection connection = DriverManager.getConnection("jdbc:postgresql://" + endpoint.host() + ":" + endpoint.port() + "/" + endpoint.database(),
                endpoint.user(), endpoint.password());
                Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery(sql)) {
            rows.next();
            return rows.getString(1);
        }
    }
}
