package dev.dolly.bench;

import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.ParameterException;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The build benchmark's options as bench/run-build-benchmark passes them, parsed and checked without running anything. */
class BuildBenchmarkTest
{
    @Test
    void defaults()
    {
        BuildBenchmarkOptions options = options("--project-root", "/somewhere");

        assertThat(options).isEqualTo(new BuildBenchmarkOptions(Path.of("/somewhere"), 65, 3, Path.of("/var/tmp"), Path.of("/somewhere/bench/results"),
                "pg_dump", "pg_restore"));
    }

    @Test
    void everyOptionOfTheReadme()
    {
        BuildBenchmarkOptions options = options("--project-root", "/somewhere", "--scale", "6", "--runs", "5", "--home-parent", "/mnt/btrfs",
                "--results", "/tmp/results", "--pg-dump", "/opt/pg15/pg_dump", "--pg-restore", "/opt/pg15/pg_restore");

        assertThat(options).isEqualTo(new BuildBenchmarkOptions(Path.of("/somewhere"), 6, 5, Path.of("/mnt/btrfs"), Path.of("/tmp/results"),
                "/opt/pg15/pg_dump", "/opt/pg15/pg_restore"));
    }

    @Test
    void badOptionsExitWithTwoAndSayWhatIsWrong()
    {
        assertThat(usageError("--scale", "0")).contains("--scale must be at least 1, not 0");
        assertThat(usageError("--runs", "0")).contains("--runs must be at least 1, not 0");
        assertThat(usageError("--runs", "many")).contains("'many' is not an int");
        assertThat(usageError("--scale")).contains("Missing required parameter for option '--scale'");
        assertThat(usageError("--frobnicate")).contains("Unknown option: '--frobnicate'");
    }

    @Test
    void helpNamesEveryOption()
    {
        StringWriter out = new StringWriter();
        CommandLine commandLine = BuildBenchmark.commandLine();
        commandLine.setOut(new PrintWriter(out, true));

        assertThat(commandLine.execute("--help")).isZero();
        assertThat(out.toString()).startsWith("Usage: bench/run-build-benchmark")
                .contains("--scale", "--runs", "--home-parent", "--results", "--pg-dump", "--pg-restore")
                .doesNotContain("--project-root");
    }

    private static BuildBenchmarkOptions options(String... arguments)
    {
        CommandLine commandLine = BuildBenchmark.commandLine();
        commandLine.parseArgs(arguments);
        return commandLine.<BuildBenchmark>getCommand().options();
    }

    /** Parses and checks the options, which must be bad: answers what the command prints on stderr for them. */
    private static String usageError(String... arguments)
    {
        StringWriter err = new StringWriter();
        CommandLine commandLine = BuildBenchmark.commandLine();
        commandLine.setErr(new PrintWriter(err, true));
        int exitCode;
        try {
            commandLine.parseArgs(arguments);
            commandLine.<BuildBenchmark>getCommand().options();
            throw new AssertionError("accepted " + List.of(arguments));
        }
        catch (ParameterException e) {
            exitCode = CloneBenchmark.usageError(e, arguments);
        }
        assertThat(exitCode).isEqualTo(2);
        assertThat(err.toString()).startsWith("Error: ").contains("Run 'bench/run-build-benchmark --help' for the options.");
        return err.toString();
    }
}
