package dev.dolly.cli;

import dev.dolly.api.DataContainer;
import dev.dolly.api.DataImage;
import dev.dolly.api.Json;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code dolly completion} and the {@code __complete} command its scripts call: commands, options and their values
 * from the commands' model, image and container names from a daemon, and the bash script run by a real bash.
 */
class TestCompletion
{
    private static final String TOKEN = "token-5";

    @TempDir
    Path directory;

    private FakeDaemon daemon;
    private CliRunner dolly;

    @BeforeEach
    void setUp()
            throws IOException
    {
        daemon = FakeDaemon.start(TOKEN);
        daemon.answerList("GET", "/api/v1/images", List.of(image(1, "widgets", "latest"), image(2, "gadgets")));
        daemon.answerList("GET", "/api/v1/containers", List.of(container(3, "widgets-k3vq9x"), container(4, "gadgets-a1b2c3")));
        dolly = new CliRunner(directory.resolve("home")).withVariable("DOLLY_ACCESS_TOKEN", TOKEN).withVariable("DOLLY_SERVER", daemon.url().toString());
    }

    @AfterEach
    void tearDown()
    {
        daemon.close();
    }

    @Test
    void completesCommandsOptionsAndNames()
    {
        assertThat(complete("sa")).containsExactly("save");
        assertThat(complete("")).contains("create", "get", "delete", "completion").doesNotContain("__complete");
        assertThat(complete("get", "")).contains("data-image", "data-container", "revisions");
        assertThat(complete("get", "data-image", "")).containsExactly("gadgets", "widgets", "widgets:latest");
        // an alias leads to the same command
        assertThat(complete("get", "di", "wid")).containsExactly("widgets", "widgets:latest");
        assertThat(complete("save", "data-container", "")).containsExactly("gadgets-a1b2c3", "widgets-k3vq9x");
        assertThat(complete("create", "data-container", "-i", "g")).containsExactly("gadgets");
        assertThat(complete("create", "data-container", "--lifetime", "2h", "--image", "")).containsExactly("gadgets", "widgets", "widgets:latest");
        assertThat(complete("load", "data-container", "--server", "http://elsewhere", "w")).containsExactly("widgets-k3vq9x");
        assertThat(complete("get", "data-image", "--n")).containsExactly("--name");
        assertThat(complete("create", "data-image", "-f", "")).containsExactly(":files");
        assertThat(complete("get", "data-image", "-o", "")).contains("json", "yaml");
        assertThat(complete("completion", "")).containsExactly("bash", "fish", "zsh");
        // a second image argument is still an image; past the positional of one, nothing
        assertThat(complete("delete", "data-image", "widgets", "g")).containsExactly("gadgets");
        assertThat(complete("get", "data-image", "widgets", "")).isEmpty();
    }

    @Test
    void completesNothingAndQuietlyWithoutADaemon()
    {
        CliRunner alone = new CliRunner(directory.resolve("other-home")).withVariable("DOLLY_ACCESS_TOKEN", TOKEN);
        CliRunner.Result result = alone.run("__complete", "--", "get", "data-image", "");
        assertThat(result.exitCode()).isZero();
        assertThat(result.stdout()).isEmpty();
        assertThat(result.stderr()).isEmpty();
        // and no daemon was started for it
        assertThat(directory.resolve("other-home").resolve("daemon.json")).doesNotExist();
        assertThat(alone.run("__complete", "--", "ge").stdout()).isEqualTo("get\n");
    }

    @Test
    void refusesAnUnknownShell()
    {
        CliRunner.Result result = dolly.run("completion", "tcsh");
        assertThat(result.exitCode()).isEqualTo(3);
        assertThat(result.stderr()).contains("Unknown shell 'tcsh': give one of bash, zsh, fish.");
        assertThat(result.stdout()).isEmpty();
        assertThat(dolly.run("completion", "zsh").stdout()).contains("#compdef dolly", "compdef _dolly dolly");
        assertThat(dolly.run("completion", "fish").stdout()).contains("complete -c dolly -f -a '(_dolly)'");
    }

    /** The bash script, sourced by a real bash, asks a real dolly (this CLI in a JVM of its own) and fills COMPREPLY. */
    @Test
    void bashScriptCompletes()
            throws Exception
    {
        CliRunner.Result script = dolly.run("completion", "bash");
        assertThat(script.exitCode()).isZero();
        Path scriptFile = Files.writeString(directory.resolve("dolly.bash"), script.stdout());
        Path launcher = directory.resolve("dolly");
        Files.writeString(launcher, """
                #!/bin/sh
                exec '%s' -cp '%s' dev.dolly.cli.Main "$@"
                """.formatted(Path.of(System.getProperty("java.home"), "bin", "java"), System.getProperty("java.class.path")));
        Files.setPosixFilePermissions(launcher, PosixFilePermissions.fromString("rwxr-xr-x"));

        assertThat(bash(scriptFile, launcher, "sa")).containsExactly("save");
        assertThat(bash(scriptFile, launcher, "get", "data-container", "")).containsExactly("gadgets-a1b2c3", "widgets-k3vq9x");
        assertThat(bash(scriptFile, launcher, "create", "data-container", "--image", "w")).containsExactly("widgets", "widgets:latest");
        Files.createFile(directory.resolve("image.yaml"));
        assertThat(bash(scriptFile, launcher, "create", "data-image", "-f", directory.resolve("ima").toString()))
                .containsExactly(directory.resolve("image.yaml").toString());
    }

    /** Runs bash with the script, as if Tab were pressed after the words, and answers COMPREPLY. */
    private List<String> bash(Path script, Path launcher, String... words)
            throws Exception
    {
        StringBuilder array = new StringBuilder("'" + launcher + "'");
        for (String word : words) {
            array.append(" '").append(word).append("'");
        }
        String commands = """
                source '%s'
                complete -p dolly >/dev/null || exit 9
                COMP_WORDS=(%s)
                COMP_CWORD=%d
                COMP_LINE="${COMP_WORDS[*]}"
                COMP_POINT=${#COMP_LINE}
                _dolly
                printf '%%s\\n' "${COMPREPLY[@]}"
                """.formatted(script, array, words.length);
        ProcessBuilder builder = new ProcessBuilder("bash", "--norc", "--noprofile", "-c", commands).redirectErrorStream(true);
        builder.environment().put("DOLLY_SERVER", daemon.url().toString());
        builder.environment().put("DOLLY_ACCESS_TOKEN", TOKEN);
        builder.environment().put("DOLLY_HOME", directory.resolve("home").toString());
        builder.environment().put("DOLLY_CONFIG", directory.resolve("config").toString());
        Process process = builder.start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).as(output).isZero();
        List<String> lines = new ArrayList<>(output.lines().filter(line -> !line.isEmpty()).toList());
        return lines;
    }

    private List<String> complete(String... words)
    {
        List<String> arguments = new ArrayList<>(List.of("__complete", "--"));
        arguments.addAll(List.of(words));
        CliRunner.Result result = dolly.run(arguments.toArray(String[]::new));
        assertThat(result.exitCode()).as(result.stderr()).isZero();
        assertThat(result.stderr()).isEmpty();
        return result.stdout().lines().toList();
    }

    private static DataImage image(long id, String name, String... tags)
    {
        return json("{\"id\":" + id + ",\"name\":\"" + name + "\",\"tags\":" + Json.json().valueToTree(List.of(tags)) + ",\"status\":\"READY\"}", DataImage.class);
    }

    private static DataContainer container(long id, String name)
    {
        return json("{\"id\":" + id + ",\"name\":\"" + name + "\",\"status\":\"READY\"}", DataContainer.class);
    }

    private static <T> T json(String text, Class<T> type)
    {
        try {
            return Json.json().readValue(text, type);
        }
        catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
