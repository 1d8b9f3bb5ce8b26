package dev.dolly.bench;

import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.ParameterException;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The transform benchmark's options as bench/run-transform-benchmark passes them, and its transform, checked without running anything. */
class TransformBenchmarkTest
{
    @Test
    void defaults()
    {
        TransformBenchmarkRun.Options options = options("--project-root", "/somewhere");

        assertThat(options).isEqualTo(new TransformBenchmarkRun.Options(Path.of("/somewhere"), List.of(100_000_000L, 1_000_000_000L), Path.of("/var/tmp"),
                Path.of("/somewhere/bench/results/transform"), "pg_dump"));
    }

    @Test
    void everyOptionOfTheReadme()
    {
        TransformBenchmarkRun.Options options = options("--project-root", "/somewhere", "--size", "100m", "--home-parent", "/mnt/btrfs",
                "--results", "/tmp/results", "--pg-dump", "/opt/pg15/pg_dump");

        assertThat(options).isEqualTo(new TransformBenchmarkRun.Options(Path.of("/somewhere"), List.of(100_000_000L), Path.of("/mnt/btrfs"),
                Path.of("/tmp/results"), "/opt/pg15/pg_dump"));
        assertThat(options("--size", "250M,2g").sizes()).containsExactly(250_000_000L, 2_000_000_000L);
    }

    @Test
    void badSizesExitWithTwoAndSayWhatIsWrong()
    {
        assertThat(usageError("--size", "5m")).contains("--size takes sizes such as 100m or 1g (at least 10m), not '5m'");
        assertThat(usageError("--size", "1000")).contains("not '1000'");
        assertThat(usageError("--size", "100m,big")).contains("not 'big'");
        assertThat(usageError("--size", "0g")).contains("not '0g'");
        assertThat(usageError("--frobnicate")).contains("Unknown option: '--frobnicate'");
    }

    @Test
    void helpNamesEveryOption()
    {
        StringWriter out = new StringWriter();
        CommandLine commandLine = TransformBenchmark.commandLine();
        commandLine.setOut(new PrintWriter(out, true));

        assertThat(commandLine.execute("--help")).isZero();
        assertThat(out.toString()).startsWith("Usage: bench/run-transform-benchmark")
                .contains("--size", "--home-parent", "--results", "--pg-dump")
                .doesNotContain("--project-root");
    }

    @Test
    void transformReadsItsSaltFromTheDaemonsEnvironment()
    {
        assertThat(TransformBenchmarkRun.transformDefinition())
                .startsWith("salt: env:DOLLY_MASK_SALT\n")
                .contains("customers: \"id % 2 = 0\"", "email: internet.emailAddress", "shipping_address: address.streetAddress");
    }

    private static TransformBenchmarkRun.Options options(String... arguments)
    {
        CommandLine commandLine = TransformBenchmark.commandLine();
        commandLine.parseArgs(arguments);
        return commandLine.<TransformBenchmark>getCommand().options();
    }

    /** Parses and checks the options, which must be bad: answers what the command prints on stderr for them. */
    private static String usageError(String... arguments)
    {
        StringWriter err = new StringWriter();
        CommandLine commandLine = TransformBenchmark.commandLine();
        commandLine.setErr(new PrintWriter(err, true));
        int exitCode;
        try {
            commandLine.parseArgs(arguments);
            commandLine.<TransformBenchmark>getCommand().options();
            throw new AssertionError("accepted " + List.of(arguments));
        }
        catch (ParameterException e) {
            exitCode = CloneBenchmark.usageError(e, arguments);
        }
        assertThat(exitCode).isEqualTo(2);
        assertThat(err.toString()).startsWith("Error: ").contains("Run 'bench/run-transform-benchmark --help' for the options.");
        return err.toString();
    }
}
