package dev.dolly.bench;

import dev.dolly.api.ImageBuildStep;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.ParameterException;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The transform benchmark's options as bench/run-transform-benchmark passes them, and its transform, checked without running anything. */
class TransformBenchmarkTest
{
    @Test
    void defaults()
    {
        TransformBenchmarkRun.Options options = options("--project-root", "/somewhere");

        assertThat(options).isEqualTo(new TransformBenchmarkRun.Options(Path.of("/somewhere"), List.of(100_000_000L, 1_000_000_000L), 3, Path.of("/var/tmp"),
                Path.of("/somewhere/bench/results/transform"), "pg_dump"));
    }

    @Test
    void everyOptionOfTheReadme()
    {
        TransformBenchmarkRun.Options options = options("--project-root", "/somewhere", "--size", "100m", "--runs", "5", "--home-parent", "/mnt/btrfs",
                "--results", "/tmp/results", "--pg-dump", "/opt/pg15/pg_dump");

        assertThat(options).isEqualTo(new TransformBenchmarkRun.Options(Path.of("/somewhere"), List.of(100_000_000L), 5, Path.of("/mnt/btrfs"),
                Path.of("/tmp/results"), "/opt/pg15/pg_dump"));
        assertThat(options("--size", "250M,2g").sizes()).containsExactly(250_000_000L, 2_000_000_000L);
    }

    @Test
    void badSizesAndRunsExitWithTwoAndSayWhatIsWrong()
    {
        assertThat(usageError("--size", "5m")).contains("--size takes sizes such as 100m or 1g (at least 10m), not '5m'");
        assertThat(usageError("--size", "1000")).contains("not '1000'");
        assertThat(usageError("--size", "100m,big")).contains("not 'big'");
        assertThat(usageError("--size", "0g")).contains("not '0g'");
        assertThat(usageError("--runs", "0")).contains("--runs must be at least 1, not 0");
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
                .contains("--size", "--runs", "--home-parent", "--results", "--pg-dump")
                .doesNotContain("--project-root");
    }

    @Test
    void transformReadsItsSaltFromTheDaemonsEnvironment()
    {
        assertThat(TransformBenchmarkRun.transformDefinition())
                .startsWith("salt: env:DOLLY_MASK_SALT\n")
                .contains("customers: \"id % 2 = 0\"", "email: internet.emailAddress", "shipping_address: address.streetAddress");
    }

    @Test
    void eachPairsRatiosAndTheirMedians()
    {
        // the machine slows down from pair to pair: the ratios are taken within each pair
        List<TransformBenchmarkRun.Pair> pairs = List.of(
                TransformBenchmarkRun.Pair.of(true, build(16.0, 13.0, 0), build(32.0, 0, 20.0)),
                TransformBenchmarkRun.Pair.of(false, build(20.0, 16.0, 0), build(44.0, 0, 32.0)),
                TransformBenchmarkRun.Pair.of(true, build(18.0, 15.0, 0), build(33.0, 0, 22.5)));
        TransformBenchmarkRun.SizeResult result = TransformBenchmarkRun.SizeResult.of("1g", 1_000, 925_000_000L, 189_000_000L, pairs, Map.of(), 0);

        assertThat(pairs).extracting(TransformBenchmarkRun.Pair::transformToRestore).containsExactly(1.538, 2.0, 1.5);
        assertThat(pairs).extracting(TransformBenchmarkRun.Pair::addedToRestore).containsExactly(1.231, 1.5, 1.0);
        assertThat(pairs).extracting(TransformBenchmarkRun.Pair::maskedBuildToPlainBuild).containsExactly(2.0, 2.2, 1.833);
        assertThat(TransformBenchmarkRun.ratio(result.transformToRestore())).isEqualTo("1.54 (1.50–2.00)");
        assertThat(TransformBenchmarkRun.ratio(result.maskedBuildToPlainBuild())).isEqualTo("2.00 (1.83–2.20)");
        assertThat(result.restore().median()).isEqualTo(15.0);
        assertThat(result.transform().median()).isEqualTo(22.5);
        assertThat(result.orders()).isEqualTo(5_000);
        assertThat(result.medianPair()).isSameAs(pairs.getFirst());
        // the peak over the pairs: the second masked build's
        assertThat(result.maskedHeapPeakBytes()).isEqualTo(4L << 20);
    }

    /** A build of that many seconds whose load and transform steps took those (0: no such step), its heap peak its seconds in whole MB. */
    private static TransformBenchmarkRun.Build build(double seconds, double loadSeconds, double transformSeconds)
    {
        List<ImageBuildStep> steps = new ArrayList<>();
        if (loadSeconds > 0) {
            steps.add(new ImageBuildStep("load", Math.round(loadSeconds * 1000)));
        }
        if (transformSeconds > 0) {
            steps.add(new ImageBuildStep("transform", Math.round(transformSeconds * 1000)));
        }
        return new TransformBenchmarkRun.Build(1, seconds, steps, ((long) seconds / 10) << 20, 0, 1);
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
