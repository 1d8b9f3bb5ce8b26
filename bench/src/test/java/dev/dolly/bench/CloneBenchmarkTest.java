package dev.dolly.bench;

import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.ParameterException;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.List;

import static dev.dolly.bench.StorageDriver.BTRFS;
import static dev.dolly.bench.StorageDriver.COPY;
import static dev.dolly.bench.StorageDriver.OVERLAY;
import static dev.dolly.bench.StorageDriver.REFLINK;
import static org.assertj.core.api.Assertions.assertThat;

/** The benchmark's options as bench/run-clone-benchmark passes them, parsed and completed without running anything. */
class CloneBenchmarkTest
{
    @Test
    void defaults()
    {
        BenchmarkOptions options = options("--project-root", "/somewhere");

        assertThat(options.phases()).containsExactly(Phase.CLONE, Phase.DENSITY);
        assertThat(options.drivers()).containsExactly(BTRFS, REFLINK, OVERLAY, COPY);
        assertThat(options.sizes()).containsExactly(ImageSize.PGBENCH_100M, ImageSize.PGBENCH_1G, ImageSize.PGBENCH_5G);
        assertThat(options.runs()).isEqualTo(5);
        assertThat(options.baselineRuns()).isEqualTo(3);
        assertThat(options.cliRuns()).isEqualTo(10);
        assertThat(options.densityDrivers()).containsExactly(BTRFS, REFLINK, OVERLAY);
        assertThat(options.densityContainers()).isEqualTo(20);
        assertThat(options.idleSeconds()).isEqualTo(10);
        assertThat(options.filesystemBytes()).isEqualTo(30L << 30);
        assertThat(options.workDirectory()).isEqualTo(Path.of("/var/tmp"));
        assertThat(options.output()).isEqualTo(Path.of("bench/results").toAbsolutePath());
        assertThat(options.projectRoot()).isEqualTo(Path.of("/somewhere"));
        assertThat(options.pgDump()).isEqualTo("pg_dump");
        assertThat(options.pgRestore()).isEqualTo("pg_restore");
        assertThat(options.engine()).isEqualTo(Engine.POSTGRESQL);
        assertThat(options.baselineDriver()).isEqualTo(COPY);
        assertThat(options.resultFileName("clone-cow")).isEqualTo("clone-cow");
    }

    @Test
    void everyOptionOfTheReadme()
    {
        BenchmarkOptions options = options("--phases", "revisions,clone,revisions", "--drivers", "overlay,btrfs,overlay", "--sizes", "chinook,100m",
                "--runs", "2", "--baseline-runs", "1", "--cli-runs", "0", "--density-drivers", "btrfs", "--density-containers", "3",
                "--idle-seconds", "0", "--filesystem-size", "512M", "--work-directory", "/var/tmp/elsewhere", "--output", "/tmp/results",
                "--pg-dump", "/opt/pg15/pg_dump", "--pg-restore", "/opt/pg15/pg_restore", "--engine", "postgresql");

        assertThat(options.phases()).containsExactly(Phase.REVISIONS, Phase.CLONE);
        assertThat(options.drivers()).containsExactly(OVERLAY, BTRFS);
        assertThat(options.sizes()).containsExactly(ImageSize.CHINOOK, ImageSize.PGBENCH_100M);
        assertThat(options.revisionSizes()).containsExactly(ImageSize.PGBENCH_100M);
        assertThat(options.runs()).isEqualTo(2);
        assertThat(options.baselineRuns()).isEqualTo(1);
        assertThat(options.cliRuns()).isZero();
        // density is not a phase of this run: no driver is measured for it
        assertThat(options.densityDrivers()).isEmpty();
        assertThat(options.densityContainers()).isEqualTo(3);
        assertThat(options.idleSeconds()).isZero();
        assertThat(options.filesystemBytes()).isEqualTo(512L << 20);
        assertThat(options.workDirectory()).isEqualTo(Path.of("/var/tmp/elsewhere"));
        assertThat(options.output()).isEqualTo(Path.of("/tmp/results"));
        assertThat(options.pgDump()).isEqualTo("/opt/pg15/pg_dump");
        assertThat(options.pgRestore()).isEqualTo("/opt/pg15/pg_restore");
        assertThat(options.baselineDriver()).isEqualTo(OVERLAY);
    }

    @Test
    void densityDrivers()
    {
        assertThat(options("--drivers", "copy,overlay").densityDrivers()).containsExactly(OVERLAY);
        assertThat(options("--drivers", "btrfs,reflink", "--density-drivers", "reflink").densityDrivers()).containsExactly(REFLINK);
        assertThat(options("--density-drivers", "none").densityDrivers()).isEmpty();
        assertThat(options("--density-drivers", "").densityDrivers()).isEmpty();
    }

    @Test
    void mariadbMeasuresNeitherTheCliNorDensity()
    {
        BenchmarkOptions options = options("--engine", "mariadb", "--phases", "clone,density,revisions", "--density-drivers", "btrfs");

        assertThat(options.engine()).isEqualTo(Engine.MARIADB);
        assertThat(options.cliRuns()).isZero();
        assertThat(options.densityDrivers()).isEmpty();
        assertThat(options.resultFileName("clone-cow")).isEqualTo("clone-mariadb");
        assertThat(options.resultFileName("clone")).isEqualTo("clone-mariadb");
        assertThat(options.resultFileName("revisions")).isEqualTo("revisions-mariadb");
    }

    @Test
    void badOptionsExitWithTwoAndSayWhatIsWrong()
    {
        assertThat(usageError("--drivers", "zfs")).contains("Unknown driver 'zfs': use btrfs, reflink, overlay, copy");
        assertThat(usageError("--sizes", "2g")).contains("Unknown size '2g': use 100m, 1g, 5g, chinook");
        assertThat(usageError("--phases", "clones")).contains("Unknown phase 'clones': use clone, density, revisions");
        assertThat(usageError("--engine", "oracle")).contains("Unknown engine 'oracle': use postgresql or mariadb");
        assertThat(usageError("--runs", "0")).contains("--runs must be at least 1, not 0");
        assertThat(usageError("--baseline-runs", "0")).contains("--baseline-runs must be at least 1, not 0");
        assertThat(usageError("--cli-runs", "-1")).contains("--cli-runs must be at least 0, not -1");
        assertThat(usageError("--density-containers", "0")).contains("--density-containers must be at least 1, not 0");
        assertThat(usageError("--runs", "many")).contains("'many' is not an int");
        assertThat(usageError("--filesystem-size", "3Q")).contains("'3Q' is not a size");
        assertThat(usageError("--filesystem-size", "0")).contains("--filesystem-size must be more than 0");
        assertThat(usageError("--drivers", "btrfs", "--density-drivers", "copy")).contains("--density-drivers names copy, which --drivers does not");
        assertThat(usageError("--density-drivers", "zfs")).contains("--density-drivers: Unknown driver 'zfs'");
        assertThat(usageError("--frobnicate")).contains("Unknown option: '--frobnicate'");
    }

    @Test
    void sizes()
    {
        CloneBenchmark.ByteSizeConverter converter = new CloneBenchmark.ByteSizeConverter();
        assertThat(converter.convert("30G")).isEqualTo(30L << 30);
        assertThat(converter.convert("26g")).isEqualTo(26L << 30);
        assertThat(converter.convert("100M")).isEqualTo(100L << 20);
        assertThat(converter.convert("1T")).isEqualTo(1L << 40);
        assertThat(converter.convert("4096")).isEqualTo(4096L);
    }

    private static BenchmarkOptions options(String... arguments)
    {
        CommandLine commandLine = CloneBenchmark.commandLine();
        commandLine.parseArgs(arguments);
        return commandLine.<CloneBenchmark>getCommand().options();
    }

    /** Parses and checks the options, which must be bad: answers what the command prints on stderr for them. */
    private static String usageError(String... arguments)
    {
        StringWriter err = new StringWriter();
        CommandLine commandLine = CloneBenchmark.commandLine();
        commandLine.setErr(new PrintWriter(err, true));
        int exitCode;
        try {
            commandLine.parseArgs(arguments);
            commandLine.<CloneBenchmark>getCommand().options();
            throw new AssertionError("accepted " + List.of(arguments));
        }
        catch (ParameterException e) {
            exitCode = CloneBenchmark.usageError(e, arguments);
        }
        assertThat(exitCode).isEqualTo(2);
        assertThat(err.toString()).startsWith("Error: ").contains("Run 'bench/run-clone-benchmark --help' for the options.");
        return err.toString();
    }
}
