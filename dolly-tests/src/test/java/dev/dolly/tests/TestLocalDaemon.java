package dev.dolly.tests;

import dev.dolly.api.DaemonAddress;
import dev.dolly.api.DollyHome;
import dev.dolly.api.Json;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.HashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The CLI starts a local daemon on first use, and homes run side by side. */
class TestLocalDaemon
{
    @Test
    void cliStartsADaemonPerHomeOnFirstUseAndStopsIt()
            throws Exception
    {
        DaemonProcess first = DaemonProcess.withNewHome(Map.of("DOLLY_LISTEN", "127.0.0.1:7370"));
        DaemonProcess second = DaemonProcess.withNewHome(Map.of("DOLLY_LISTEN", "127.0.0.1:7370"));
        Cli firstCli = new Cli(first.environment());
        Cli secondCli = new Cli(second.environment());
        try {
            assertThat(firstCli.succeed("info").stdout()).contains("Storage driver").contains("postgresql");
            assertThat(secondCli.succeed("get", "data-images").stdout()).contains("No resources found.");

            DaemonAddress firstAddress = Json.json().readValue(DollyHome.daemonFile(first.home()).toFile(), DaemonAddress.class);
            DaemonAddress secondAddress = Json.json().readValue(DollyHome.daemonFile(second.home()).toFile(), DaemonAddress.class);
            assertThat(firstAddress.url()).isNotEqualTo(secondAddress.url());
            assertThat(firstAddress.url()).startsWith("http://127.0.0.1:");

            Path token = DollyHome.adminTokenFile(first.home());
            assertThat(Files.getPosixFilePermissions(token)).containsExactlyInAnyOrder(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE);
            assertThat(firstCli.succeed("daemon", "status").stdout()).contains("running");

            // every call needs a token: none, or a wrong one, is refused
            HttpClient http = HttpClient.newHttpClient();
            HttpResponse<String> anonymous = http.send(HttpRequest.newBuilder(URI.create(firstAddress.url() + "/api/v1/images")).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(anonymous.statusCode()).isEqualTo(401);
            assertThat(anonymous.body()).contains("NOT_AUTHENTICATED");
            HttpResponse<String> unknownPath = http.send(HttpRequest.newBuilder(URI.create(firstAddress.url() + "/api/v1/nothing"))
                    .header("Authorization", "Bearer " + Files.readString(token).strip()).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(unknownPath.statusCode()).isEqualTo(404);
            assertThat(unknownPath.body()).contains("\"code\":\"NOT_FOUND\"");
            Map<String, String> wrongToken = new HashMap<>(first.environment());
            wrongToken.put("DOLLY_SERVER", firstAddress.url());
            wrongToken.put("DOLLY_ACCESS_TOKEN", "dolly_not-a-token");
            Cli.Result refused = new Cli(wrongToken).run("get", "data-images");
            assertThat(refused.exitCode()).isEqualTo(7);
            // the catalog holds token hashes only
            assertThat(new String(Files.readAllBytes(first.home().resolve("catalog.db")), java.nio.charset.StandardCharsets.ISO_8859_1))
                    .doesNotContain(Files.readString(token).strip());

            assertThat(firstCli.succeed("daemon", "stop").stdout()).contains("stopped");
            assertThat(DollyHome.daemonFile(first.home())).doesNotExist();
            assertThat(ProcessHandle.of(firstAddress.pid()).map(ProcessHandle::isAlive).orElse(false)).isFalse();
            assertThat(firstCli.run("daemon", "status").exitCode()).isEqualTo(1);
        }
        finally {
            secondCli.run("daemon", "stop");
            firstCli.run("daemon", "stop");
            first.close();
            second.close();
        }
    }
}
