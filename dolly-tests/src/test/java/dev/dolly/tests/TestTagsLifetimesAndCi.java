package dev.dolly.tests;

import dev.dolly.api.DataContainer;
import dev.dolly.api.DataImage;
import dev.dolly.api.ResourceStatus;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * Tags, lifetimes, updates and what CI pipelines rely on, against a real daemon with real PostgreSQL servers:
 * tags move to a new image when it is ready, never to a failed build; updates; filters; deletes; the reaper; and
 * the scheduled refresh script of docs/ci.md, run by bash with the CLI of this build on its PATH.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TestTagsLifetimesAndCi
{
    private static final Path EXAMPLES = DaemonProcess.PROJECT_ROOT.resolve("examples");

    @TempDir
    Path directory;

    private DaemonProcess daemon;
    private Cli dolly;

    @BeforeAll
    void startDaemon()
            throws Exception
    {
        daemon = DaemonProcess.withNewHome(Map.of()).start();
        dolly = new Cli(daemon.environment());
    }

    @AfterAll
    void stopDaemon()
            throws Exception
    {
        if (daemon != null) {
            for (DataContainer container : dolly.json(DataContainer[].class, "get", "data-containers")) {
                dolly.succeed("delete", "data-container", container.name());
            }
            for (DataImage image : Arrays.asList(dolly.json(DataImage[].class, "get", "data-images")).reversed()) {
                if (image.status() != ResourceStatus.PENDING) {
                    dolly.succeed("delete", "data-image", String.valueOf(image.id()));
                }
            }
            daemon.close();
        }
    }

    @Test
    void aTagMovesToANewImageWhenItIsReadyAndNeverToAFailedBuild()
            throws Exception
    {
        Path definition = emptyDefinition("tagged");
        DataImage first = dolly.json(DataImage.class, "create", "data-image", "-f", definition.toString(), "--tag", "stable", "--tag", "v1");
        assertThat(first.tags()).containsExactly("stable", "v1");

        DataImage second = dolly.json(DataImage.class, "create", "data-image", "-f", definition.toString(), "--tag", "stable", "--no-wait");
        // while it builds, the tag still names the last good image
        DataImage tagged = dolly.json(DataImage.class, "get", "data-image", "tagged:stable");
        DataImage secondNow = dolly.json(DataImage.class, "get", "data-image", String.valueOf(second.id()));
        if (secondNow.status() == ResourceStatus.PENDING) {
            assertThat(tagged.id()).isEqualTo(first.id());
            assertThat(secondNow.tags()).isEmpty();
            assertThat(secondNow.pendingTags()).containsExactly("stable");
        }
        awaitStatus(second.id(), ResourceStatus.READY);
        assertThat(dolly.json(DataImage.class, "get", "data-image", "tagged:stable").id()).isEqualTo(second.id());
        assertThat(dolly.json(DataImage.class, "get", "data-image", String.valueOf(first.id())).tags()).containsExactly("v1");

        Path failing = directory.resolve("failing.yaml");
        Files.writeString(failing, "name: tagged\nsourceType: empty\nengine: postgresql\npostScript: SELECT * FROM no_such_table;\n");
        Cli.Result failed = dolly.run("create", "data-image", "-f", failing.toString(), "--tag", "stable", "-q");
        assertThat(failed.exitCode()).isEqualTo(1);
        assertThat(failed.stderr()).contains("no_such_table");
        assertThat(dolly.json(DataImage.class, "get", "data-image", "tagged:stable").id()).isEqualTo(second.id());

        DataImage[] holders = dolly.json(DataImage[].class, "get", "data-images", "--name", "tagged", "--tag", "stable");
        assertThat(holders).extracting(DataImage::id).containsExactly(second.id());
        assertThat(dolly.succeed("get", "data-images", "--tag", "v1", "-q").stdout()).isEqualTo("tagged\n");

        Cli.Result badTag = dolly.run("create", "data-image", "-f", definition.toString(), "--tag", "-latest");
        assertThat(badTag.exitCode()).isEqualTo(3);
        assertThat(badTag.stderr()).isEqualTo(
                "Error: Tag '-latest' is not valid: use up to 128 lower-case letters, digits, '.', '_' or '-', not starting with '.' or '-'.\n");
    }

    @Test
    void updatesChangeTagsTeamsNamesAndLifetimes()
            throws Exception
    {
        DataImage image = dolly.json(DataImage.class, "create", "data-image", "-f", emptyDefinition("updated").toString(), "--tag", "old");
        DataImage other = dolly.json(DataImage.class, "create", "data-image", "-f", emptyDefinition("renamed-to").toString(), "--tag", "shared");

        Instant before = Instant.now();
        DataImage changed = dolly.json(DataImage.class, "update", "data-image", "updated", "--tag", "shared", "--tag", "new", "--remove-tag", "old",
                "--team", "myorg:dbas", "--team", "myorg:developers", "--lifetime", "48h");
        assertThat(changed.tags()).containsExactly("new", "shared");
        assertThat(changed.teams()).containsExactly("myorg:dbas", "myorg:developers");
        assertThat(changed.expiresAt()).isCloseTo(before.plus(Duration.ofDays(2)), within(2, java.time.temporal.ChronoUnit.MINUTES));
        assertThat(dolly.succeed("get", "data-images", "--name", "updated").stdout()).contains("in 2 days").contains("just now");

        // renamed into a name whose image holds 'shared': it keeps only 'new'
        DataImage renamed = dolly.json(DataImage.class, "update", "data-image", String.valueOf(image.id()), "--name", "renamed-to",
                "--remove-team", "myorg:developers", "--lifetime", "0");
        assertThat(renamed.name()).isEqualTo("renamed-to");
        assertThat(renamed.tags()).containsExactly("new");
        assertThat(renamed.teams()).containsExactly("myorg:dbas");
        assertThat(renamed.expiresAt()).isNull();
        assertThat(dolly.json(DataImage.class, "get", "data-image", "renamed-to:shared").id()).isEqualTo(other.id());
        // --tag takes over, also from an image of the same name
        assertThat(dolly.json(DataImage.class, "update", "data-image", String.valueOf(image.id()), "--tag", "shared").tags()).containsExactly("new", "shared");
        assertThat(dolly.json(DataImage.class, "get", "data-image", String.valueOf(other.id())).tags()).isEmpty();

        Cli.Result missingTag = dolly.run("update", "data-image", String.valueOf(image.id()), "--remove-tag", "nope");
        assertThat(missingTag.exitCode()).isEqualTo(3);
        assertThat(missingTag.stderr()).contains("has no tag 'nope'; its tags are new, shared.");
        assertThat(dolly.run("update", "data-image", "no-such-image", "--tag", "x").exitCode()).isEqualTo(2);

        dolly.succeed("create", "data-container", "-i", "renamed-to:shared", "-n", "to-rename", "-q");
        before = Instant.now();
        DataContainer container = dolly.json(DataContainer.class, "update", "data-container", "to-rename", "--name", "was-renamed", "--lifetime", "10h30m");
        assertThat(container.name()).isEqualTo("was-renamed");
        assertThat(container.expiresAt()).isCloseTo(before.plus(Duration.ofMinutes(630)), within(2, java.time.temporal.ChronoUnit.MINUTES));
        assertThat(dolly.run("get", "data-container", "to-rename").exitCode()).isEqualTo(2);
        assertThat(dolly.json(DataContainer.class, "update", "data-container", "was-renamed", "--lifetime", "0").expiresAt()).isNull();
        dolly.succeed("create", "data-container", "-i", "renamed-to", "-n", "taken", "-q");
        assertThat(dolly.run("update", "data-container", "was-renamed", "--name", "taken").exitCode()).isEqualTo(3);
        dolly.succeed("delete", "data-container", "was-renamed", "taken");
    }

    @Test
    void filtersAndDeletesForScripts()
            throws Exception
    {
        DataImage image = dolly.json(DataImage.class, "create", "data-image", "-f", emptyDefinition("filtered").toString(), "--tag", "run-42");
        dolly.json(DataImage.class, "create", "data-image", "-f", emptyDefinition("unfiltered").toString());
        dolly.succeed("create", "data-container", "-i", "filtered", "-n", "f-1", "-q");
        dolly.succeed("create", "data-container", "-i", "filtered:run-42", "-n", "f-2", "-q");
        dolly.succeed("create", "data-container", "-i", "unfiltered", "-n", "u-1", "-q");

        assertThat(dolly.succeed("get", "data-containers", "--image", "filtered", "-q").stdout()).isEqualTo("f-1\nf-2\n");
        assertThat(dolly.succeed("get", "data-containers", "--image", "filtered:run-42", "-q").stdout()).isEqualTo("f-1\nf-2\n");
        assertThat(dolly.succeed("get", "data-containers", "--image", String.valueOf(image.id()), "-q").stdout()).isEqualTo("f-1\nf-2\n");
        assertThat(dolly.run("get", "data-containers", "--image", "nothing-of-that-name").exitCode()).isEqualTo(2);

        assertThat(dolly.succeed("delete", "data-container", "--image", "filtered:run-42", "-q").stdout()).isEqualTo("f-1\nf-2\n");
        assertThat(dolly.succeed("get", "data-containers", "-q").stdout()).doesNotContain("f-1").doesNotContain("f-2").contains("u-1");
        assertThat(dolly.run("delete", "data-container", "--image", "filtered").stdout()).isEmpty();

        Cli.Result missing = dolly.run("delete", "data-container", "u-1", "never-was");
        assertThat(missing.exitCode()).isEqualTo(2);
        assertThat(missing.stdout()).isEqualTo("Data container 'u-1' deleted.\n");
        assertThat(dolly.run("delete", "data-container", "never-was", "--ignore-not-found").exitCode()).isZero();
        assertThat(dolly.run("delete", "data-container", "--image", "no-such-image", "--ignore-not-found").exitCode()).isZero();
        assertThat(dolly.run("delete", "data-image", "never-was").exitCode()).isEqualTo(2);
        assertThat(dolly.succeed("delete", "data-image", "filtered", "unfiltered", "never-was", "--ignore-not-found", "-q").stdout())
                .isEqualTo("filtered\nunfiltered\n");
    }

    @Test
    void anExpiredImageWaitsForItsContainerThenGoes()
            throws Exception
    {
        DataImage image = dolly.json(DataImage.class, "create", "data-image", "-f", emptyDefinition("expiring").toString());
        dolly.succeed("create", "data-container", "-i", "expiring", "-n", "holds-it", "-q");
        DataImage updated = dolly.json(DataImage.class, "update", "data-image", "expiring", "--lifetime", "1s");
        assertThat(updated.expiresAt()).isBefore(Instant.now().plusSeconds(2));

        // the reaper runs every 5 s: give it two rounds, the image must stay while its container lives
        Thread.sleep(11_000);
        assertThat(dolly.succeed("get", "data-images", "--name", "expiring").stdout()).contains("expired, waiting for 1 container");
        Cli.Result refused = dolly.run("create", "data-container", "-i", "expiring");
        assertThat(refused.exitCode()).isEqualTo(1);
        assertThat(refused.stderr()).contains("expired at").contains("dolly update data-image " + image.id() + " --lifetime 7d");

        dolly.succeed("delete", "data-container", "holds-it");
        awaitTrue(() -> dolly.run("get", "data-image", String.valueOf(image.id())).exitCode() == 2, Duration.ofSeconds(30));
    }

    @Test
    void aBuildThatOutlastsTheTimeoutExitsFourAndGoesOn()
            throws Exception
    {
        Cli.Result timedOut = dolly.run("create", "data-image", "-f", EXAMPLES.resolve("chinook/image.yaml").toString(), "-n", "slow", "--timeout", "1s");
        assertThat(timedOut.exitCode()).isEqualTo(4);
        assertThat(timedOut.stderr()).contains("is not ready after 1s; its build goes on. Follow it with 'dolly get data-image ");
        DataImage image = dolly.json(DataImage.class, "get", "data-image", "slow");
        awaitStatus(image.id(), ResourceStatus.READY);
    }

    @Test
    void theScheduledRefreshScriptMovesTheTagAndImagesExpireInAWeek()
            throws Exception
    {
        Path bin = Files.createDirectories(directory.resolve("bin"));
        Path launcher = bin.resolve("dolly");
        Path cli = DaemonProcess.PROJECT_ROOT.resolve("dolly-cli/target");
        // the CLI of this build, as the ./dolly launcher runs it
        Files.writeString(launcher, "#!/usr/bin/env bash\nexec '" + ProcessHandle.current().info().command().orElse("java") + "' -XX:+UseSerialGC -XX:TieredStopAtLevel=1 -cp '"
                + cli.resolve("dolly-cli.jar") + ":" + cli.resolve("lib") + "/*' dev.dolly.cli.Main \"$@\"\n");
        Files.setPosixFilePermissions(launcher, PosixFilePermissions.fromString("rwxr-xr-x"));
        Path definition = EXAMPLES.resolve("scripts/image.yaml");
        Path script = EXAMPLES.resolve("ci/refresh-image.sh");
        // docs/ci.md shows the script this test runs, word for word
        assertThat(Files.readString(DaemonProcess.PROJECT_ROOT.resolve("docs/ci.md"))).contains("```bash\n" + Files.readString(script) + "```\n");
        assertThat(Files.isExecutable(script)).isTrue();

        Instant start = Instant.now();
        ScriptRun first = runRefreshScript(bin, definition);
        assertThat(first.exitCode()).as(first.output()).isZero();
        assertThat(first.output()).contains("Data image 'widgetstore' is ready and tagged latest-production");
        DataImage firstImage = dolly.json(DataImage.class, "get", "data-image", "widgetstore:latest-production");
        ScriptRun second = runRefreshScript(bin, definition);
        assertThat(second.exitCode()).as(second.output()).isZero();

        DataImage[] images = dolly.json(DataImage[].class, "get", "data-images", "--name", "widgetstore");
        assertThat(images).hasSize(2);
        DataImage secondImage = dolly.json(DataImage.class, "get", "data-image", "widgetstore:latest-production");
        assertThat(secondImage.id()).isNotEqualTo(firstImage.id()).isEqualTo(images[1].id());
        assertThat(images[0].tags()).isEmpty();
        for (DataImage image : images) {
            assertThat(image.teams()).containsExactly("myorg:dbas", "myorg:developers");
            assertThat(image.expiresAt()).isBetween(start.plus(Duration.ofDays(7)), Instant.now().plus(Duration.ofDays(7)));
        }
        assertThat(dolly.succeed("get", "data-images", "--name", "widgetstore").stdout()).contains("in 7 days").doesNotContain("never");

        // without a token the script stops at once and says why
        ScriptRun withoutToken = runScript(bin, definition, Map.of("DOLLY_ACCESS_TOKEN", ""));
        assertThat(withoutToken.exitCode()).isNotZero();
        assertThat(withoutToken.output()).contains("Set DOLLY_ACCESS_TOKEN");
    }

    private record ScriptRun(int exitCode, String output) {}

    private ScriptRun runRefreshScript(Path bin, Path definition)
            throws IOException, InterruptedException
    {
        return runScript(bin, definition, Map.of());
    }

    private ScriptRun runScript(Path bin, Path definition, Map<String, String> overrides)
            throws IOException, InterruptedException
    {
        ProcessBuilder builder = new ProcessBuilder("bash", EXAMPLES.resolve("ci/refresh-image.sh").toString(), definition.toString())
                .directory(directory.toFile())
                .redirectErrorStream(true);
        Map<String, String> environment = builder.environment();
        environment.keySet().removeIf(name -> name.startsWith("DOLLY_"));
        environment.put("PATH", bin + ":" + System.getenv("PATH"));
        environment.put("HOME", directory.toString());
        environment.put("DOLLY_SERVER", daemon.address().url());
        environment.put("DOLLY_ACCESS_TOKEN", daemon.adminToken());
        environment.putAll(overrides);
        Process process = builder.start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor(5, TimeUnit.MINUTES)) {
            process.destroyForcibly();
            throw new AssertionError("The refresh script did not finish within 5 minutes:\n" + output);
        }
        return new ScriptRun(process.exitValue(), output);
    }

    private Path emptyDefinition(String name)
            throws IOException
    {
        Path definition = directory.resolve(name + ".yaml");
        Files.writeString(definition, "name: " + name + "\nsourceType: empty\nengine: postgresql\n");
        return definition;
    }

    private void awaitStatus(long id, ResourceStatus status)
            throws InterruptedException
    {
        awaitTrue(() -> dolly.json(DataImage.class, "get", "data-image", String.valueOf(id)).status() == status, Duration.ofMinutes(3));
    }

    private static void awaitTrue(Supplier<Boolean> condition, Duration limit)
            throws InterruptedException
    {
        Instant deadline = Instant.now().plus(limit);
        while (!condition.get()) {
            if (Instant.now().isAfter(deadline)) {
                throw new AssertionError("Not so within " + limit);
            }
            Thread.sleep(200);
        }
    }
}
