package dev.dolly.daemon;

import dev.dolly.api.DaemonAddress;
import dev.dolly.api.DollyException;
import dev.dolly.api.DollyHome;
import dev.dolly.api.Json;
import dev.dolly.api.NextStep;
import dev.dolly.core.CrashPoints;
import dev.dolly.core.Dolly;
import dev.dolly.core.DollyConfiguration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * {@code dolly daemon}: opens the home, starts the containers the catalog says are running, serves the API, and
 * on shutdown (SIGTERM, Ctrl-C or {@code dolly daemon stop}) stops every engine cleanly.
 */
public final class DaemonMain
{
    private static final Logger LOG;

    static {
        System.setProperty("org.slf4j.simpleLogger.showDateTime", "true");
        System.setProperty("org.slf4j.simpleLogger.dateTimeFormat", "yyyy-MM-dd HH:mm:ss.SSS");
        System.setProperty("org.slf4j.simpleLogger.showShortLogName", "true");
        System.setProperty("org.slf4j.simpleLogger.log.org.eclipse.jetty", "warn");
        System.setProperty("org.slf4j.simpleLogger.log.io.javalin", "warn");
        System.setProperty("org.slf4j.simpleLogger.log.org.flywaydb", "warn");
        LOG = LoggerFactory.getLogger(DaemonMain.class);
    }

    private DaemonMain() {}

    public static void main(String[] args)
    {
        DollyConfiguration configuration;
        Dolly dolly;
        try {
            CrashPoints.arm(System.getenv());
            configuration = DollyConfiguration.fromEnvironment(System.getenv());
            dolly = Dolly.open(configuration);
        }
        catch (DollyException e) {
            System.err.println("Error: " + startFailure(e));
            System.exit(e.errorCode().exitCode());
            return;
        }
        // from now on, no outgoing connection of the machine gets a container's port
        dolly.reserveContainerPorts();
        DaemonServices services = new DaemonServices(configuration, dolly);
        Path daemonFile = DollyHome.daemonFile(configuration.home());
        CountDownLatch stopped = new CountDownLatch(1);
        AtomicBoolean stopping = new AtomicBoolean();
        ApiServer[] server = new ApiServer[1];
        Runnable shutdown = () -> {
            if (!stopping.compareAndSet(false, true)) {
                return;
            }
            LOG.info("Stopping: shutting down engines");
            try {
                Files.deleteIfExists(daemonFile);
            }
            catch (IOException e) {
                LOG.warn("Could not remove {}", daemonFile, e);
            }
            if (server[0] != null) {
                server[0].stop();
            }
            services.close();
            LOG.info("Stopped");
            stopped.countDown();
        };
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            shutdown.run();
            awaitQuietly(stopped);
        }, "shutdown-hook"));

        server[0] = new ApiServer(services, () -> {
            shutdown.run();
            System.exit(0);
        });
        int port = freePort(configuration.listenAddress(), configuration.listenPort());
        int actualPort = server[0].start(configuration.listenAddress(), port, configuration.tls());
        String url = configuration.scheme() + "://" + hostForUrl(configuration.listenAddress()) + ":" + actualPort;
        writeDaemonFile(daemonFile, new DaemonAddress(url, ProcessHandle.current().pid(), Dolly.version(),
                configuration.tls().map(tls -> tls.certificatePem()).orElse(null)));
        LOG.info("Dolly {} serves {} at {}", Dolly.version(), configuration.home(), url);
        awaitQuietly(stopped);
    }

    /** The configured port, or any free port when it is taken (several homes can run side by side). */
    private static int freePort(String host, int port)
    {
        try (ServerSocket socket = new ServerSocket()) {
            socket.setReuseAddress(true);
            socket.bind(new InetSocketAddress(InetAddress.getByName(host), port));
            return socket.getLocalPort();
        }
        catch (IOException e) {
            LOG.info("Port {} is taken, choosing a free one", port);
            return freePort(host, 0);
        }
    }

    private static String hostForUrl(String host)
    {
        if (host.equals("0.0.0.0")) {
            return "127.0.0.1";
        }
        return host.contains(":") ? "[" + host + "]" : host;
    }

    private static void writeDaemonFile(Path file, DaemonAddress address)
    {
        try {
            Path temporary = file.resolveSibling(file.getFileName() + ".tmp");
            Files.write(temporary, Json.json().writerWithDefaultPrettyPrinter().writeValueAsBytes(address));
            Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        }
        catch (IOException e) {
            throw new IllegalStateException("Cannot write " + file, e);
        }
    }

    private static void awaitQuietly(CountDownLatch latch)
    {
        try {
            latch.await();
        }
        catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * What the daemon prints when it cannot start. The daemon's own command line is, like the CLI, a place that may
     * name commands; the API leaves that to its clients.
     */
    private static String startFailure(DollyException exception)
    {
        if (exception.nextStep().map(NextStep::kind).orElse(null) == NextStep.Kind.USE_OR_STOP_THE_DAEMON) {
            return exception.getMessage() + " Use it, or stop it with 'dolly daemon stop'.";
        }
        return exception.getMessage();
    }
}
