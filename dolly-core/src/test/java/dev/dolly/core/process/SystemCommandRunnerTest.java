package dev.dolly.core.process;

import dev.dolly.api.DollyException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Real processes, through the one runner. */
class SystemCommandRunnerTest
{
    private final SystemCommandRunner runner = CommandRunner.system();

    @TempDir
    Path directory;

    @Test
    void mergesStandardErrorIntoTheOutputAndKeepsTheExitCode()
    {
        CommandRunner.Result result = runner.run(List.of("sh", "-c", "echo out; echo err >&2; exit 3"));
        assertThat(result.exitCode()).isEqualTo(3);
        assertThat(result.succeeded()).isFalse();
        assertThat(result.output()).isEqualTo("out\nerr");
    }

    @Test
    void aProgramThatCannotStartExitsWith127()
    {
        CommandRunner.Result result = runner.run(List.of("/nonexistent/program", "--version"));
        assertThat(result.exitCode()).isEqualTo(127);
        assertThat(result.output()).startsWith("/nonexistent/program: ");
    }

    @Test
    void runsInACleanEnvironmentWithTheCommandsVariablesDirectoryAndInput()
    {
        Command command = Command.of("sh", "-c", "pwd; echo \"${PGHOST:-no PGHOST} $LC_ALL $DOLLY_TEST_VARIABLE\"; cat")
                .withEnvironment(Map.of("DOLLY_TEST_VARIABLE", "given"))
                .inDirectory(directory)
                .withInput(output -> output.write("from standard input\n".getBytes(StandardCharsets.UTF_8)));
        CommandRunner.Result result = runner.run(command);
        assertThat(result.succeeded()).isTrue();
        assertThat(result.output().lines().toList()).containsExactly(directory.toString(), "no PGHOST C given", "from standard input");
    }

    @Test
    void stopsAProgramThatOutlivesItsTimeout()
    {
        long start = System.nanoTime();
        assertThatThrownBy(() -> runner.run(Command.of("sh", "-c", "echo started; sleep 30").withTimeout(Duration.ofSeconds(1))))
                .isInstanceOf(DollyException.class)
                .hasMessage("sh did not finish within 1 seconds and was stopped. Its output: started");
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(20));
    }

    @Test
    void keepsTheEndOfALongOutput()
    {
        CommandRunner.Result result = runner.run(List.of("sh", "-c", "head -c 300000 /dev/zero | tr '\\0' a; echo; echo the end"));
        assertThat(result.output()).startsWith("…").endsWith("the end").hasSizeLessThanOrEqualTo(64 * 1024 + 1);
    }

    @Test
    void launchesAServerWithItsOutputInALog()
            throws Exception
    {
        Path log = directory.resolve("server.log");
        Files.writeString(log, "earlier\n");
        Process process = runner.launch(Command.of("sh", "-c", "echo listening; echo warning >&2"), log);
        assertThat(process.waitFor()).isZero();
        assertThat(Files.readAllLines(log)).containsExactly("earlier", "listening", "warning");
    }
}
