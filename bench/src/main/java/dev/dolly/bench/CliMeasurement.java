package dev.dolly.bench;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonValue;
import com.fasterxml.jackson.databind.JsonNode;
import dev.dolly.api.DataContainer;
import dev.dolly.api.DataImage;
import dev.dolly.api.Json;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static java.util.Objects.requireNonNull;

/**
 * The whole CLI command, JVM start included: {@code ./dolly create data-container -i IMAGE -q} and
 * {@code ./dolly get data-containers -q} as separate processes timed by hyperfine (2 warm-up runs), against the
 * session's daemon ({@code DOLLY_HOME} set to its home, so that the CLI finds it through {@code daemon.json}).
 */
final class CliMeasurement
{
    private final Path projectRoot;
    private final int runs;
    private final Path work;

    /** @param work where hyperfine's JSON goes */
    CliMeasurement(Path projectRoot, int runs, Path work)
    {
        this.projectRoot = requireNonNull(projectRoot, "projectRoot is null");
        this.runs = runs;
        this.work = requireNonNull(work, "work is null");
    }

    CliResult measure(DriverSession session, DataImage image)
            throws IOException, InterruptedException
    {
        Path dolly = projectRoot.resolve("dolly");
        Map<String, String> environment = Map.of("DOLLY_HOME", session.daemon().home().toString());
        if (!Commands.isInstalled("hyperfine")) {
            Log.log("hyperfine is not installed: the CLI is not measured");
            return new CliResult(session.driver(), image.name(), "not measured: hyperfine is not installed", null, null, null, null, null);
        }
        // builds the CLI if needed, untimed. The launcher writes its class-data sharing archive at the end of the first
        // run and keeps it: made by a command that talks to the daemon, it holds the classes a create needs too
        Path archive = projectRoot.resolve("target/dolly-cli.jsa");
        boolean archiveExisted = Files.exists(archive);
        Commands.run(List.of(dolly.toString(), "get", "data-containers", "-q"), environment);
        long archiveBytes = Files.exists(archive) ? Files.size(archive) : 0;
        String command = quote(dolly) + " create data-container -i " + image.name() + " -q";
        String deleteAll = "names=$(" + quote(dolly) + " get data-containers -q); if [ -n \"$names\" ]; then " + quote(dolly)
                + " delete data-container $names >/dev/null; fi";
        Log.log("[" + session.driver() + "] Timing '" + command + "' with hyperfine, " + runs + " runs (containers deleted between runs, untimed)");
        Path createJson = work.resolve("hyperfine-create.json");
        Commands.run(List.of("hyperfine", "--style", "basic", "--warmup", "2", "--runs", String.valueOf(runs), "--prepare", deleteAll,
                "--export-json", createJson.toString(), command), environment);
        String list = quote(dolly) + " get data-containers -q";
        Log.log("[" + session.driver() + "] Timing '" + list + "' with hyperfine (one container exists)");
        Path listJson = work.resolve("hyperfine-list.json");
        Commands.run(List.of("hyperfine", "--style", "basic", "--warmup", "2", "--runs", String.valueOf(runs),
                "--export-json", listJson.toString(), list), environment);
        for (DataContainer container : session.client().listContainers()) {
            session.deleteContainer(container.name());
        }
        String tool = Commands.output(List.of("hyperfine", "--version")).strip();
        CliResult result = new CliResult(session.driver(), image.name(), null, archiveExisted, archiveBytes, tool,
                HyperfineResult.read(createJson, "./dolly create data-container -i " + image.name() + " -q"),
                HyperfineResult.read(listJson, "./dolly get data-containers -q"));
        Log.log("  create: " + result.createDataContainer().medianSeconds() + " s median; get: " + result.getDataContainers().medianSeconds() + " s median");
        return result;
    }

    private static String quote(Path path)
    {
        return "'" + path.toString().replace("'", "'\\''") + "'";
    }

    /** {@code cli} of {@code clone-cow.json}: what was measured, or why nothing was. */
    sealed interface CliReport
            permits CliResult, NotMeasured {}

    /**
     * The whole commands' timings; without the timings and with a {@code note} when hyperfine is missing.
     *
     * @param classDataSharingArchiveExisted whether the launcher's archive existed before the untimed first command
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record CliResult(
            StorageDriver storageDriver,
            String image,
            String note,
            Boolean classDataSharingArchiveExisted,
            Long classDataSharingArchiveBytes,
            String tool,
            HyperfineResult createDataContainer,
            HyperfineResult getDataContainers)
            implements CliReport
    {
        boolean measured()
        {
            return createDataContainer != null;
        }
    }

    /** Written as the sentence that says why. */
    record NotMeasured(@JsonValue String reason)
            implements CliReport
    {
        static final NotMeasured NOT_APPLICABLE = new NotMeasured("not measured (needs the btrfs driver, the 1g image and --cli-runs > 0)");
    }

    /** One command's runs, as hyperfine measured them. */
    record HyperfineResult(String command, List<Double> runs, double medianSeconds, double minSeconds, double maxSeconds, double meanSeconds)
    {
        static HyperfineResult read(Path file, String command)
                throws IOException
        {
            JsonNode node = Json.json().readTree(file.toFile()).get("results").get(0);
            List<Double> seconds = new ArrayList<>();
            for (JsonNode time : node.get("times")) {
                seconds.add(Timings.round(time.asDouble()));
            }
            Timings timings = new Timings(seconds);
            return new HyperfineResult(command, timings.runs(), timings.median(), timings.min(), timings.max(), Timings.round(node.get("mean").asDouble()));
        }
    }
}
