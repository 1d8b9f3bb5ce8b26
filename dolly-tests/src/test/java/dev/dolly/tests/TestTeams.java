package dev.dolly.tests;

import dev.dolly.api.AccessToken;
import dev.dolly.api.DataContainer;
import dev.dolly.api.DataImage;
import dev.dolly.api.Team;
import dev.dolly.api.User;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * One daemon shared by a team, end to end over HTTP, with the btrfs driver: three users, alice and bob in
 * {@code myorg:developers}, eve not. alice signs in and makes an access token for her pipeline, which builds the
 * nightly image tagged {@code latest-production} and shared with the developers; bob starts a container from it;
 * eve sees neither; a revoked token stops working at once; no token is kept in plain text in the home.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class TestTeams
{
    private static final Path CHINOOK = DaemonProcess.PROJECT_ROOT.resolve("examples/chinook");
    private static final String ALICE_PASSWORD = "alice's long password";
    private static final String BOB_PASSWORD = "bob's long password!";
    private static final String EVE_PASSWORD = "eve's long password?";

    private DaemonProcess daemon;
    private Cli admin;
    private DaemonUsers users;
    private Cli alice;
    private Cli bob;
    private Cli eve;
    private Path definition;
    private final List<String> secrets = new ArrayList<>();

    @BeforeAll
    void startDaemonWithUsersAndATeam()
            throws Exception
    {
        daemon = DaemonProcess.withNewHome(TestImagesAndContainers.testFileSystem("DOLLY_TEST_BTRFS"), Map.of()).start();
        // the local administrator: the CLI reads DOLLY_HOME/admin-token
        admin = new Cli(daemon.environment());
        users = new DaemonUsers(daemon, admin);
        for (String[] user : new String[][] {{"alice", ALICE_PASSWORD}, {"bob", BOB_PASSWORD}, {"eve", EVE_PASSWORD}}) {
            admin.succeedWithStdin(user[1] + "\n", "create", "user", user[0], "--password-stdin");
        }
        admin.succeed("create", "team", "myorg:developers");
        admin.succeed("update", "team", "myorg:developers", "--add-member", "alice", "--add-member", "bob");

        alice = signIn("alice", ALICE_PASSWORD);
        bob = signIn("bob", BOB_PASSWORD);
        eve = signIn("eve", EVE_PASSWORD);

        // the nightly refresh's definition: Chinook as the masked production backup of "widgetstore"
        Path directory = daemon.home().getParent().resolve("widgetstore");
        Files.createDirectories(directory);
        Files.copy(CHINOOK.resolve("Chinook_PostgreSql.sql"), directory.resolve("Chinook_PostgreSql.sql"));
        definition = directory.resolve("image.yaml");
        Files.writeString(definition, """
                name: widgetstore
                sourceType: backup
                engine: postgresql
                version: 17
                backup:
                  folder: ./
                  file: Chinook_PostgreSql.sql
                tags: [latest-production]
                teams: [myorg:developers]
                """);
    }

    /** A user's own CLI, signed in; its password and session token are secrets that no file of the home may hold. */
    private Cli signIn(String user, String password)
            throws Exception
    {
        Cli cli = users.signIn(user, password);
        secrets.add(password);
        secrets.add(readSessionToken(user));
        return cli;
    }

    private String readSessionToken(String user)
            throws Exception
    {
        String config = Files.readString(users.configFile(user));
        int start = config.indexOf("dolly_");
        return config.substring(start, config.indexOf('"', start));
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
    @Order(1)
    void administratorsSeeUsersAndTeams()
    {
        assertThat(admin.json(User[].class, "get", "users")).extracting(User::name).containsExactly("admin", "alice", "bob", "eve");
        assertThat(admin.json(Team[].class, "get", "teams")).extracting(Team::members).containsExactly(List.of("alice", "bob"));
        assertThat(admin.succeed("get", "teams").stdout()).isEqualTo("""
                TEAM              MEMBERS
                myorg:developers  alice,bob
                """);
        // the others may not manage them
        assertThat(alice.run("get", "users").exitCode()).isEqualTo(8);
        assertThat(eve.run("update", "team", "myorg:developers", "--add-member", "eve").exitCode()).isEqualTo(8);
        assertThat(bob.succeed("auth", "status").stdout()).contains("as bob.").contains("Teams: myorg:developers.");
    }

    @Test
    @Order(2)
    void aPipelineTokenBuildsASharedImageThatTeamMembersUseAndOthersCannotSee()
            throws Exception
    {
        String token = alice.succeed("create", "access-token", "--purpose", "nightly refresh", "-q").stdout().strip();
        assertThat(token).startsWith("dolly_");
        secrets.add(token);
        AccessToken listed = alice.json(AccessToken[].class, "get", "access-tokens")[0];
        assertThat(listed.purpose()).isEqualTo("nightly refresh");
        assertThat(listed.expiresAt()).isNull();
        Cli pipeline = alice.with(Map.of("DOLLY_ACCESS_TOKEN", token));

        String name = pipeline.succeed("create", "data-image", "-f", definition.toString(), "--tag", "run-42", "--lifetime", "48h", "-q").stdout().strip();
        assertThat(name).isEqualTo("widgetstore");
        DataImage image = pipeline.json(DataImage.class, "get", "data-image", "widgetstore:run-42");
        assertThat(image.owner()).isEqualTo("alice");
        assertThat(image.tags()).containsExactlyInAnyOrder("latest-production", "run-42");
        assertThat(image.teams()).containsExactly("myorg:developers");
        assertThat(image.expiresAt()).isCloseTo(Instant.now().plus(Duration.ofDays(2)), within(Duration.ofMinutes(5)));
        String table = pipeline.succeed("get", "data-images").stdout();
        assertThat(table.lines().findFirst().orElseThrow()).contains("TAGS").contains("TEAMS").contains("EXPIRES");
        assertThat(table).contains("widgetstore").contains("latest-production,run-42").contains("myorg:developers").containsPattern("in (1|2) days?");

        // bob, a team member, starts a container from it, and may not delete it
        String container = bob.succeed("create", "data-container", "-i", "widgetstore:latest-production", "-n", "bobs-widgets", "-q").stdout().strip();
        assertThat(container).isEqualTo("bobs-widgets");
        assertThat(bob.json(DataContainer.class, "get", "data-container", "bobs-widgets").imageId()).isEqualTo(image.id());
        Cli.Result refused = bob.run("delete", "data-image", "widgetstore");
        assertThat(refused.exitCode()).isEqualTo(8);
        assertThat(refused.stderr()).contains("Only the owner");
        // alice sees her image, not bob's container
        assertThat(alice.run("get", "data-container", "bobs-widgets").exitCode()).isEqualTo(2);

        // eve sees nothing, and hears exactly what she would if nothing existed
        Cli.Result image2 = eve.run("get", "data-image", "widgetstore:latest-production");
        assertThat(image2.exitCode()).isEqualTo(2);
        assertThat(image2.stderr()).isEqualTo("Error: Data image 'widgetstore:latest-production' not found. List images with 'dolly get data-images'.\n");
        assertThat(eve.run("get", "data-image", String.valueOf(image.id())).exitCode()).isEqualTo(2);
        assertThat(eve.run("create", "data-container", "-i", "widgetstore:latest-production").exitCode()).isEqualTo(2);
        assertThat(eve.run("delete", "data-image", "widgetstore").exitCode()).isEqualTo(2);
        Cli.Result container2 = eve.run("get", "data-container", "bobs-widgets");
        assertThat(container2.exitCode()).isEqualTo(2);
        assertThat(container2.stderr()).isEqualTo("Error: Data container 'bobs-widgets' not found. List containers with 'dolly get data-containers'.\n");
        assertThat(eve.run("delete", "data-container", "bobs-widgets").exitCode()).isEqualTo(2);
        assertThat(eve.run("save", "data-container", "bobs-widgets").exitCode()).isEqualTo(2);
        assertThat(eve.succeed("get", "data-images").stdout()).isEqualTo("No resources found.\n");
        assertThat(eve.succeed("get", "data-containers").stdout()).isEqualTo("No resources found.\n");
        // the administrator sees everything
        assertThat(admin.json(DataContainer.class, "get", "data-container", "bobs-widgets").owner()).isEqualTo("bob");

        // revoked, the token stops working at once
        alice.succeed("delete", "access-token", String.valueOf(listed.id()));
        Cli.Result revoked = pipeline.run("get", "data-images");
        assertThat(revoked.exitCode()).isEqualTo(7);
        assertThat(revoked.stderr()).contains("dolly auth login").contains("DOLLY_ACCESS_TOKEN");
    }

    @Test
    @Order(3)
    void noTokenOrPasswordIsInPlainTextUnderTheHome()
            throws Exception
    {
        assertThat(secrets).hasSizeGreaterThanOrEqualTo(7);
        List<Path> files;
        try (Stream<Path> paths = Files.walk(daemon.home())) {
            files = new ArrayList<>(paths.filter(Files::isRegularFile).filter(Files::isReadable).toList());
        }
        files.add(daemon.home().getParent().resolve("daemon.log"));
        assertThat(files).anyMatch(file -> file.getFileName().toString().equals("catalog.db"));
        for (Path file : files) {
            if (file.equals(daemon.home().resolve("admin-token"))) {
                continue;
            }
            byte[] bytes;
            try {
                bytes = Files.readAllBytes(file);
            }
            catch (NoSuchFileException e) {
                // a running container's server replaces some files (pg_internal.init) at any time: one gone holds nothing
                continue;
            }
            for (String secret : secrets) {
                assertThat(indexOf(bytes, secret.getBytes(StandardCharsets.UTF_8))).as("%s holds a secret", file).isEqualTo(-1);
            }
        }
    }

    @Test
    @Order(4)
    void aContainerWithALifetimeIsGoneSoonAfterIt()
            throws Exception
    {
        bob.succeed("create", "data-container", "-i", "widgetstore:latest-production", "-n", "short-lived", "--lifetime", "5s", "-q");
        Instant deadline = Instant.now().plusSeconds(45);
        while (bob.run("get", "data-container", "short-lived").exitCode() == 0) {
            assertThat(Instant.now()).as("the container is still there after 45 s").isBefore(deadline);
            Thread.sleep(500);
        }
    }

    @Test
    @Order(5)
    void aNewImageTakesTheTagOver()
    {
        DataImage first = alice.json(DataImage.class, "get", "data-image", "widgetstore:latest-production");
        alice.succeed("create", "data-image", "-f", definition.toString(), "-q");
        DataImage second = bob.json(DataImage.class, "get", "data-image", "widgetstore:latest-production");
        assertThat(second.id()).isNotEqualTo(first.id());
        assertThat(alice.json(DataImage.class, "get", "data-image", String.valueOf(first.id())).tags()).containsExactly("run-42");

        // a name belongs to the owners of its images: eve cannot take the tag from alice's pipeline
        Cli.Result taken = eve.run("create", "data-image", "-f", definition.toString());
        assertThat(taken.exitCode()).isEqualTo(3);
        assertThat(taken.stderr()).contains("The data image name 'widgetstore' belongs to images of another user");
        // nor share an image of her own with a team she is not in
        Cli.Result foreignTeam = eve.run("create", "data-image", "-f", definition.toString(), "-n", "eves-widgetstore");
        assertThat(foreignTeam.exitCode()).isEqualTo(8);
        assertThat(foreignTeam.stderr()).contains("You are not a member of team 'myorg:developers'");
        assertThat(bob.json(DataImage.class, "get", "data-image", "widgetstore:latest-production").id()).isEqualTo(second.id());
        assertThat(admin.json(DataImage[].class, "get", "data-images")).extracting(DataImage::owner).doesNotContain("eve");
    }

    @Test
    @Order(6)
    void repeatedFailedSignInsAreRefusedForAWhile()
    {
        String server = daemonUrl();
        Cli.Result unknown = eve.runWithStdin("whatever password\n", "auth", "login", "--server", server, "--username", "mallory", "--password-stdin");
        assertThat(unknown.exitCode()).isEqualTo(7);
        for (int attempt = 0; attempt < 5; attempt++) {
            Cli.Result wrong = eve.runWithStdin("not eve's password\n", "auth", "login", "--server", server, "--username", "eve", "--password-stdin");
            // an unknown user and a wrong password read the same
            assertThat(wrong).isEqualTo(unknown);
        }
        Cli.Result refused = eve.runWithStdin(EVE_PASSWORD + "\n", "auth", "login", "--server", server, "--username", "eve", "--password-stdin");
        assertThat(refused.exitCode()).isEqualTo(9);
        assertThat(refused.stderr()).contains("Too many failed sign-ins").contains("Try again in");
    }

    private String daemonUrl()
    {
        try {
            return daemon.address().url();
        }
        catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static int indexOf(byte[] haystack, byte[] needle)
    {
        outer:
        for (int start = 0; start <= haystack.length - needle.length; start++) {
            for (int offset = 0; offset < needle.length; offset++) {
                if (haystack[start + offset] != needle[offset]) {
                    continue outer;
                }
            }
            return start;
        }
        return -1;
    }
}
