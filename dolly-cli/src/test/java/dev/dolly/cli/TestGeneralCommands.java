package dev.dolly.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.dolly.api.ErrorCode;
import dev.dolly.api.Json;
import dev.dolly.api.ServerInfo;
import dev.dolly.cli.CliRunner.Result;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;

import static dev.dolly.api.ResourceStatus.READY;
import static dev.dolly.cli.Resources.image;
import static org.assertj.core.api.Assertions.assertThat;

class TestGeneralCommands
{
    private static final String TOKEN = "token-3";
    private static final ServerInfo INFO = new ServerInfo("0.1.0", "/var/lib/dolly", "copy",
            "Containers are full copies: put DOLLY_HOME on btrfs or XFS for instant clones.", "dolly",
            List.of(new ServerInfo.EngineInfo("postgresql", "17.6.0", List.of("17.6.0", "16.10.0"), List.of("13", "14", "15", "16", "17"), List.of())));

    @TempDir
    Path directory;

    private FakeDaemon daemon;
    private CliRunner dolly;

    @BeforeEach
    void setUp()
    {
        daemon = FakeDaemon.start(TOKEN);
        dolly = new CliRunner(directory).withVariable("DOLLY_SERVER", daemon.url().toString());
    }

    @AfterEach
    void tearDown()
    {
        daemon.close();
    }

    @Test
    void serverWithoutAccessTokenExitsWithSeven()
    {
        Result result = dolly.run("get", "data-images");

        assertThat(result.exitCode()).isEqualTo(7);
        assertThat(result.stderr()).startsWith("Error: No access token for " + daemon.url() + ". Sign in with 'dolly auth login --server " + daemon.url()
                + " --username NAME', or set DOLLY_ACCESS_TOKEN");
        assertThat(daemon.requests()).isEmpty();
    }

    @Test
    void refusedAccessTokenExitsWithSeven()
    {
        Result result = dolly.run("get", "data-images", "--access-token", "wrong");

        assertThat(result).isEqualTo(new Result(7, "", "Error: Invalid access token.\n"));
    }

    @Test
    void optionsWinOverEnvironment()
    {
        daemon.answerList("GET", "/api/v1/images", List.of(image(1, "chinook", READY)));
        CliRunner elsewhere = dolly.withVariable("DOLLY_SERVER", "http://127.0.0.1:1").withVariable("DOLLY_ACCESS_TOKEN", "wrong");

        Result result = elsewhere.run("get", "data-images", "-q", "--server", daemon.url().toString(), "--access-token", TOKEN);

        assertThat(result).isEqualTo(new Result(0, "chinook\n", ""));
        assertThat(daemon.requests().getFirst().authorization()).isEqualTo("Bearer " + TOKEN);
    }

    @Test
    void unreachableServerExitsWithOne()
    {
        Result result = new CliRunner(directory).run("get", "data-images", "--server", "127.0.0.1:1", "--access-token", TOKEN);

        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.stderr()).startsWith("Error: No Dolly daemon answers at http://127.0.0.1:1.");
    }

    @Test
    void invalidServerUrlExitsWithThree()
    {
        Result result = new CliRunner(directory).run("get", "data-images", "--server", "ftp://example.com", "--access-token", TOKEN);

        assertThat(result).isEqualTo(new Result(3, "", "Error: Invalid server URL 'ftp://example.com': use http://HOST:PORT or https://HOST:PORT.\n"));
    }

    @Test
    void usageErrorsExitWithThree()
    {
        Result unknownOption = dolly.run("get", "data-images", "--colour");
        assertThat(unknownOption.exitCode()).isEqualTo(3);
        assertThat(unknownOption.stderr()).startsWith("Error: Unknown option: '--colour'").endsWith("Run 'dolly get data-image --help' for usage.\n");

        Result unknownCommand = dolly.run("clone");
        assertThat(unknownCommand.exitCode()).isEqualTo(3);
        assertThat(unknownCommand.stderr()).contains("Unmatched argument at index 0: 'clone'").endsWith("Run 'dolly --help' for usage.\n");

        Result missingSubcommand = dolly.run("delete");
        assertThat(missingSubcommand).isEqualTo(new Result(3, "", "Error: Missing required subcommand\nRun 'dolly delete --help' for usage.\n"));

        Result missingFile = dolly.run("create", "data-image");
        assertThat(missingFile.exitCode()).isEqualTo(3);
        assertThat(missingFile.stderr()).startsWith("Error: Missing required option: '--file=FILE'");

        Result badFormat = dolly.run("get", "data-images", "-o", "xml");
        assertThat(badFormat.exitCode()).isEqualTo(3);
        assertThat(badFormat.stderr()).contains("Unknown output format 'xml': use table, json or yaml");

        assertThat(daemon.requests()).isEmpty();
    }

    @Test
    void daemonErrorCodesBecomeExitCodes()
    {
        CliRunner authenticated = dolly.withVariable("DOLLY_ACCESS_TOKEN", TOKEN);
        daemon.fail("GET", "/api/v1/images/x", ErrorCode.BAD_INPUT, "bad");
        assertThat(authenticated.run("get", "di", "x").exitCode()).isEqualTo(3);
        daemon.fail("GET", "/api/v1/images/x", ErrorCode.ALREADY_EXISTS, "exists");
        assertThat(authenticated.run("get", "di", "x").exitCode()).isEqualTo(3);
        daemon.fail("GET", "/api/v1/images/x", ErrorCode.NOT_AUTHENTICATED, "who?");
        assertThat(authenticated.run("get", "di", "x").exitCode()).isEqualTo(7);
        daemon.fail("GET", "/api/v1/images/x", ErrorCode.INTERNAL_ERROR, "oops");
        assertThat(authenticated.run("get", "di", "x")).isEqualTo(new Result(1, "", "Error: oops\n"));
        // a broken backup answers 422, a conflict 409, engine and storage failures 500: all exit 1, as any failure did before
        for (ErrorCode code : List.of(ErrorCode.LOAD_FAILED, ErrorCode.CONFLICT, ErrorCode.ENGINE_FAILED, ErrorCode.STORAGE_FAILED, ErrorCode.OPERATION_FAILED)) {
            daemon.fail("GET", "/api/v1/images/x", code, "failed: " + code);
            assertThat(authenticated.run("get", "di", "x")).isEqualTo(new Result(1, "", "Error: failed: " + code + "\n"));
        }
    }

    @Test
    void helpAndVersion()
    {
        Result help = dolly.run("--help");
        assertThat(help.exitCode()).isZero();
        assertThat(help.stdout()).startsWith("Usage: dolly ").contains("create", "get", "delete", "daemon", "demo", "info", "version");

        Result bare = dolly.run();
        assertThat(bare.exitCode()).isZero();
        assertThat(bare.stdout()).isEqualTo(help.stdout());

        Result subcommandHelp = dolly.run("create", "data-container", "--help");
        assertThat(subcommandHelp.exitCode()).isZero();
        assertThat(subcommandHelp.stdout()).startsWith("Usage: dolly create data-container ");

        assertThat(dolly.run("--version")).isEqualTo(dolly.run("version"));
        assertThat(dolly.run("version").stdout()).matches("dolly version \\S+\n");
    }

    @Test
    void showsInfo()
            throws Exception
    {
        daemon.answer("GET", "/api/v1/info", INFO);
        CliRunner authenticated = dolly.withVariable("DOLLY_ACCESS_TOKEN", TOKEN);

        Result table = authenticated.run("info");
        assertThat(table.exitCode()).isZero();
        assertThat(table.stdout()).startsWith("Server:          " + daemon.url() + "\nVersion:         0.1.0\nCLI version:     ");
        assertThat(table.stdout()).endsWith("""
                Home:            /var/lib/dolly
                Storage driver:  copy
                                 Containers are full copies: put DOLLY_HOME on btrfs or XFS for instant clones.
                Engine user:     dolly
                Engines:
                  ENGINE      DEFAULT  INSTALLED       AVAILABLE MAJORS  SYSTEM INSTALLATIONS
                  postgresql  17.6.0   17.6.0,16.10.0  13,14,15,16,17
                """);

        JsonNode json = Json.json().readTree(authenticated.run("info", "-o", "json").stdout());
        assertThat(json.get("server").asText()).isEqualTo(daemon.url().toString());
        assertThat(json.get("storageDriver").asText()).isEqualTo("copy");
        assertThat(json.get("engines").get(0).get("availableMajors")).hasSize(5);

        assertThat(authenticated.run("info", "-o", "yaml").stdout()).contains("storageDriver: copy\n");
    }

    @Test
    void showsIsolation()
            throws Exception
    {
        ServerInfo isolated = new ServerInfo("0.1.0", "/var/lib/dolly", "btrfs", "", "dolly", List.of(), null, null, null,
                new ServerInfo.Isolation("the account dolly (uid 999), not the daemon's", "PID, mount and IPC namespaces per server, with a private /tmp",
                        "cgroup v2, one cgroup per server", 2L * 1024 * 1024 * 1024, 512L));
        daemon.answer("GET", "/api/v1/info", isolated);
        CliRunner authenticated = dolly.withVariable("DOLLY_ACCESS_TOKEN", TOKEN);

        Result table = authenticated.run("info");
        assertThat(table.exitCode()).isZero();
        assertThat(table.stdout()).contains("""
                Isolation:
                  Accounts:      the account dolly (uid 999), not the daemon's
                  Namespaces:    PID, mount and IPC namespaces per server, with a private /tmp
                  Cgroups:       cgroup v2, one cgroup per server
                  Limits:        2.0 GiB of memory, 512 processes per container
                """);
        JsonNode json = Json.json().readTree(authenticated.run("info", "-o", "json").stdout());
        assertThat(json.get("isolation").get("memoryLimitBytes").asLong()).isEqualTo(2L * 1024 * 1024 * 1024);
        assertThat(json.get("isolation").get("processLimit").asLong()).isEqualTo(512);
    }

    @Test
    void showsHowRoutesReachTheirContainers()
            throws Exception
    {
        ServerInfo info = new ServerInfo("0.1.0", "/var/lib/dolly", "btrfs", "", "dolly", List.of(), null, null, null, null, "54320-54999",
                "taken by the kernel (nftables table ip dolly_1a2b3c)");
        daemon.answer("GET", "/api/v1/info", info);
        CliRunner authenticated = dolly.withVariable("DOLLY_ACCESS_TOKEN", TOKEN);

        assertThat(authenticated.run("info").stdout()).contains("""
                Container ports: 54320-54999
                Routes:          taken by the kernel (nftables table ip dolly_1a2b3c)
                """);
        JsonNode json = Json.json().readTree(authenticated.run("info", "-o", "json").stdout());
        assertThat(json.get("routes").asText()).isEqualTo("taken by the kernel (nftables table ip dolly_1a2b3c)");
    }
}
