package dev.dolly.bench;

import dev.dolly.api.CreateTeamRequest;
import dev.dolly.api.CreateUserRequest;
import dev.dolly.api.DataContainer;
import dev.dolly.api.DataImage;
import dev.dolly.api.SignInRequest;
import dev.dolly.api.UpdateImageRequest;
import dev.dolly.api.UpdateTeamRequest;
import dev.dolly.api.client.DollyClient;
import dev.dolly.bench.DaemonResources.ResourceSample;
import dev.dolly.bench.SoakReport.CliCommandSummary;
import dev.dolly.bench.SoakReport.OperationSummary;
import dev.dolly.bench.SoakReport.ResourceVerdict;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import static java.util.Objects.requireNonNull;

/**
 * One soak run: a loop file system and a daemon ({@link DriverSession}, with the daemon's default quotas), the Chinook
 * image shared with a team, a user of that team per client; a warm-up cycle of every client at once and a CLI
 * sequence; a quiet period; what the daemon holds (the start); then {@link SoakClient}s and the {@link SoakCliClient}
 * for the run's time while the daemon's resources are sampled; then the daemon is given time to settle and read
 * again (the end). Everything is removed by {@link #cleanUp}, which a shutdown hook calls too.
 */
final class SoakRun
{
    private static final String TEAM = "soak:clients";
    private static final int SETTLE_POLL_SECONDS = 5;

    private final SoakOptions options;
    private final Path base;
    private final Path work;
    private final AtomicBoolean cleanedUp = new AtomicBoolean();
    private volatile DriverSession session;

    SoakRun(SoakOptions options)
            throws IOException
    {
        this.options = requireNonNull(options, "options is null");
        Files.createDirectories(options.workDirectory());
        this.base = Files.createTempDirectory(options.workDirectory(), "dolly-soak-");
        // engines run as unprivileged accounts: they must be able to traverse to DOLLY_HOME
        Files.setPosixFilePermissions(base, PosixFilePermissions.fromString("rwx--x--x"));
        this.work = Files.createDirectory(base.resolve("work"));
    }

    /** Runs the soak and writes its results; answers the report. */
    SoakReport run()
            throws Exception
    {
        long started = System.nanoTime();
        Instant date = Instant.now();
        String loadAtStart = Files.readString(Path.of("/proc/loadavg")).strip();
        Log.log("Load average: " + loadAtStart);
        // the daemon's own quotas: each client is a user of its own with one container at a time
        DriverSession opened = DriverSession.open(options.driver(), options.filesystemBytes(), options.projectRoot(), Map.of(), base,
                session -> this.session = session);
        DollyClient admin = opened.client();
        ImageSpec spec = ImageSpec.of(Engine.POSTGRESQL, ImageSize.CHINOOK, options.projectRoot());
        DataImage image = new ImagePreparation(work).build(opened, spec);
        admin.createTeam(new CreateTeamRequest(TEAM));
        List<SoakClient> clients = new ArrayList<>();
        CopyOnWriteArrayList<String> leftovers = new CopyOnWriteArrayList<>();
        List<String> users = new ArrayList<>();
        List<String> passwords = new ArrayList<>();
        SecureRandom random = new SecureRandom();
        for (int number = 1; number <= options.clients(); number++) {
            String user = "soak-" + number;
            byte[] secret = new byte[16];
            random.nextBytes(secret);
            String password = HexFormat.of().formatHex(secret);
            admin.createUser(new CreateUserRequest(user, password, false));
            users.add(user);
            passwords.add(password);
        }
        admin.updateTeam(TEAM, new UpdateTeamRequest(users, List.of()));
        admin.updateImage(image.name(), new UpdateImageRequest(List.of(), List.of(), List.of(TEAM), List.of(), null, null));
        Log.log("Signing in " + options.clients() + " users, each a client of its own");
        for (int number = 1; number <= options.clients(); number++) {
            String token = new DollyClient(admin.server(), "").signIn(new SignInRequest(users.get(number - 1), passwords.get(number - 1))).token();
            clients.add(new SoakClient(number, new DollyClient(admin.server(), token), image.name(), leftovers));
        }

        DaemonResources resources = new DaemonResources(opened.daemon().pid(), opened.daemon().home(), opened.filesystem().mountpoint());
        SoakCliClient cli = new SoakCliClient(options.projectRoot(), opened.daemon().home(), image.name());

        Log.log("Warm-up: one cycle of every client at once" + (options.cliClient() ? " and one CLI sequence" : ""));
        OperationLog warmUpLog = new OperationLog();
        runClients(clients, warmUpLog, 0, options.cliClient() ? cli : null, 0);
        List<OperationSummary> warmUp = summaries(warmUpLog);
        Log.log("Warm-up done:");
        warmUp.forEach(operation -> Log.log("  " + describe(operation)));
        Log.log("Quiet for " + options.quietSeconds() + " s (the JDK's idle process reapers end after 60 s), then the start is read");
        TimeUnit.SECONDS.sleep(options.quietSeconds());
        ResourceSample start = measure(resources, admin, -1, true);
        Log.log("Start: " + describe(start));

        Log.log(String.format(Locale.ROOT, "Soak: %d clients for %d s%s", options.clients(), options.seconds(),
                options.cliClient() ? ", the CLI client with " + options.cliPauseSeconds() + " s between sequences" : ""));
        OperationLog log = new OperationLog();
        List<ResourceSample> samples = new CopyOnWriteArrayList<>();
        long soakStarted = System.nanoTime();
        ScheduledExecutorService sampler = Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().name("soak-sampler").daemon().factory());
        ScheduledFuture<?> sampling = sampler.scheduleAtFixedRate(() -> {
            try {
                ResourceSample sample = measure(resources, admin, (System.nanoTime() - soakStarted) / 1e9, false);
                samples.add(sample);
                Log.log("  " + describe(sample));
            }
            catch (IOException | RuntimeException | InterruptedException e) {
                Log.log("  could not sample the daemon: " + e);
            }
        }, 0, options.sampleSeconds(), TimeUnit.SECONDS);
        int cycles;
        try {
            cycles = runClients(clients, log, options.seconds(), options.cliClient() ? cli : null, options.cliPauseSeconds());
        }
        finally {
            sampling.cancel(false);
            sampler.shutdownNow();
            sampler.awaitTermination(1, TimeUnit.MINUTES);
        }
        double soakSeconds = Timings.seconds(soakStarted, System.nanoTime());
        List<OperationSummary> operations = summaries(log);
        Log.log(String.format(Locale.ROOT, "Clients stopped after %.0f s: %d cycles", soakSeconds, cycles));
        operations.forEach(operation -> Log.log("  " + describe(operation)));

        for (DataContainer container : admin.listContainers()) {
            if (!leftovers.contains(container.name())) {
                leftovers.add(container.name());
            }
        }
        long settleStarted = System.nanoTime();
        long settleDeadline = settleStarted + TimeUnit.SECONDS.toNanos(options.settleSeconds());
        ResourceSample now = measure(resources, admin, soakSeconds, false);
        samples.add(now);
        while (!SoakReport.settled(start, now) && System.nanoTime() < settleDeadline) {
            TimeUnit.SECONDS.sleep(SETTLE_POLL_SECONDS);
            now = measure(resources, admin, (System.nanoTime() - soakStarted) / 1e9, false);
            // what does not come back is the question: the samples while settling say what it was
            samples.add(now);
        }
        double settleSeconds = Timings.seconds(settleStarted, System.nanoTime());
        ResourceSample end = measure(resources, admin, (System.nanoTime() - soakStarted) / 1e9, true);
        Log.log(String.format(Locale.ROOT, "End, after settling for %.0f s: %s", settleSeconds, describe(end)));
        List<ResourceVerdict> verdicts = SoakReport.verdicts(start, end);
        List<CliCommandSummary> cliSummaries = cli.summaries();
        List<OperationSummary> judged = new ArrayList<>(operations);
        judged.addAll(warmUp);
        boolean passed = SoakReport.passed(judged, cliSummaries, verdicts, leftovers);

        SoakReport report = new SoakReport(DateTimeFormatter.ISO_INSTANT.format(date.truncatedTo(ChronoUnit.SECONDS)), Machine.describe(options.workDirectory()),
                loadAtStart, opened.info().version(), options.driver(), opened.storageDriverReason(), options.clients(), options.seconds(), spec.description(),
                SoakClient.CYCLE, cycles, warmUp, operations, withoutHome(log.examples(), opened.daemon().home()), cliSummaries, start, end, settleSeconds,
                samples.stream().sorted((left, right) -> Double.compare(left.elapsedSeconds(), right.elapsedSeconds())).toList(), verdicts,
                List.copyOf(leftovers), passed, Timings.seconds(started, System.nanoTime()));
        new SoakReportWriter(options).write(report);
        return report;
    }

    /**
     * Runs every client (and the CLI client, when given) until {@code seconds} have passed, each finishing its cycle;
     * with 0 seconds, one cycle each and one CLI sequence. Answers the cycles that succeeded.
     */
    private static int runClients(List<SoakClient> clients, OperationLog log, int seconds, SoakCliClient cli, int cliPauseSeconds)
            throws Exception
    {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        ExecutorService threads = Executors.newFixedThreadPool(clients.size() + 1, Thread.ofPlatform().name("soak-client-", 1).factory());
        try {
            List<Future<Integer>> cycles = new ArrayList<>();
            for (SoakClient client : clients) {
                cycles.add(threads.submit(() -> seconds == 0 ? (client.cycle(log) ? 1 : 0) : client.runUntil(deadline, log)));
            }
            Future<?> cliDone = null;
            if (cli != null) {
                cliDone = threads.submit(() -> {
                    if (seconds == 0) {
                        cli.sequence();
                    }
                    else {
                        cli.runUntil(deadline, cliPauseSeconds);
                    }
                    return null;
                });
            }
            int total = 0;
            for (Future<Integer> future : cycles) {
                total += future.get();
            }
            if (cliDone != null) {
                cliDone.get();
            }
            return total;
        }
        finally {
            threads.shutdownNow();
            threads.awaitTermination(1, TimeUnit.MINUTES);
        }
    }

    private static List<OperationSummary> summaries(OperationLog log)
    {
        return List.of(SoakOperation.values()).stream().map(operation -> OperationSummary.of(operation, log)).toList();
    }

    /**
     * Reads what the daemon holds; for the start and the end ({@code collect}) after a full collection of its heap
     * ({@code jcmd PID GC.run}), so that its resident memory holds what is live rather than what the collector has not
     * reached yet, and with its threads by name.
     */
    private static ResourceSample measure(DaemonResources resources, DollyClient admin, double elapsedSeconds, boolean collect)
            throws IOException, InterruptedException
    {
        if (collect) {
            resources.collectGarbage();
        }
        ResourceSample sample = resources.sample(elapsedSeconds, admin.listContainers().size());
        return collect ? sample : sample.withoutNames();
    }

    /** The messages with {@code DOLLY_HOME} for the temporary home, which means nothing once the run is over. */
    private static Map<String, List<String>> withoutHome(Map<String, List<String>> examples, Path home)
    {
        Map<String, List<String>> result = new LinkedHashMap<>();
        examples.forEach((kind, messages) -> result.put(kind, messages.stream().map(message -> message.replace(home.toString(), "DOLLY_HOME")).toList()));
        return result;
    }

    private static String describe(OperationSummary operation)
    {
        return String.format(Locale.ROOT, "%-6s %5d done, %5d succeeded, p50 %s ms, p99 %s ms, refusals %s, errors %s", operation.operation(),
                operation.count(), operation.succeeded(), operation.p50Millis(), operation.p99Millis(), operation.refusals(), operation.errors());
    }

    private static String describe(ResourceSample sample)
    {
        return String.format(Locale.ROOT, "%4.0f s: %d open files, %d threads (%d HTTP), %s resident, %d mounts, %d engine processes, %d containers, "
                        + "%d container volumes, %d revision volumes, load %.2f",
                sample.elapsedSeconds(), sample.openFiles(), sample.threads(), sample.httpThreads(), Markdown.megabytes(sample.rssBytes()), sample.mounts(),
                sample.engineProcesses(), sample.containers(), sample.containerVolumes(), sample.revisionVolumes(), sample.loadAverage());
    }

    /** Deletes what is left through the API, stops the daemon, removes the file system and the temporary directory. */
    void cleanUp()
    {
        if (!cleanedUp.compareAndSet(false, true)) {
            return;
        }
        DriverSession current = session;
        if (current != null) {
            current.close();
        }
        try {
            if (Files.readString(Path.of("/proc/self/mountinfo")).contains(" " + base + "/")) {
                System.err.println("Warning: something is still mounted below " + base + ": not deleting it");
                return;
            }
            Commands.run(List.of("rm", "-rf", base.toString()));
        }
        catch (IOException | InterruptedException | RuntimeException e) {
            System.err.println("Warning: could not delete " + base + ": " + e.getMessage());
        }
    }
}
