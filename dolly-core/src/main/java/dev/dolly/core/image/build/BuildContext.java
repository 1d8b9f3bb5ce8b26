package dev.dolly.core.image.build;

import dev.dolly.api.DollyException;
import dev.dolly.api.ImageBuildStep;
import dev.dolly.core.catalog.ImageCatalog;
import dev.dolly.core.catalog.ImageRecord;
import dev.dolly.core.engine.DeferredIndexes;
import dev.dolly.core.engine.Endpoint;
import dev.dolly.core.engine.Engine;
import dev.dolly.core.engine.EngineInstallation;
import dev.dolly.core.engine.EngineUser;
import dev.dolly.core.engine.LoadPlan;
import dev.dolly.core.engine.PortAllocator;
import dev.dolly.core.storage.StorageDriver;

import java.nio.file.Path;
import java.time.Clock;
import java.util.Optional;

import static java.util.Objects.requireNonNull;

/**
 * What the steps of one image build share: the image and its plan, the parts they use, and what earlier steps made
 * (the installation, the data directory, the server's port, the database the data is in). Steps read what they need
 * and fail clearly when an earlier step did not make it.
 */
public final class BuildContext
{
    private final ImageRecord image;
    private final String volume;
    private final LoadPlan plan;
    private final Engine engine;
    private final ImageCatalog catalog;
    private final StorageDriver storage;
    private final EngineUser engineUser;
    private final PortAllocator ports;
    private final Path logFile;
    private final Clock clock;
    private final int parallelism;

    // what the build's timeout reads from its own thread is volatile
    private volatile String currentStep = "";
    private long stepStartNanos;
    private boolean stepRecorded;
    private volatile EngineInstallation installation;
    private volatile Path dataDirectory;
    private volatile int port;
    private volatile DollyException timeout;
    private String loadDatabase;
    private String dataDatabase;
    private Optional<DeferredIndexes> deferredIndexes = Optional.empty();
    private volatile Runnable releaseSources = () -> {};

    /**
     * @param volume the image's volume key
     * @param logFile the server's log file while the build runs
     * @param parallelism how many connections or processes a step may use at once
     */
    public BuildContext(ImageRecord image, String volume, LoadPlan plan, Engine engine, ImageCatalog catalog, StorageDriver storage, EngineUser engineUser,
            PortAllocator ports, Path logFile, Clock clock, int parallelism)
    {
        this.image = requireNonNull(image, "image is null");
        this.volume = requireNonNull(volume, "volume is null");
        this.plan = requireNonNull(plan, "plan is null");
        this.engine = requireNonNull(engine, "engine is null");
        this.catalog = requireNonNull(catalog, "catalog is null");
        this.storage = requireNonNull(storage, "storage is null");
        this.engineUser = requireNonNull(engineUser, "engineUser is null");
        this.ports = requireNonNull(ports, "ports is null");
        this.logFile = requireNonNull(logFile, "logFile is null");
        this.clock = requireNonNull(clock, "clock is null");
        if (parallelism < 1) {
            throw new IllegalArgumentException("parallelism must be at least 1: " + parallelism);
        }
        this.parallelism = parallelism;
    }

    /**
     * What frees the definition's files (an upload's staging directory) once the build no longer reads them: run by
     * {@link MarkReadyStep} before the image shows READY, so that whoever sees it ready sees its upload gone.
     */
    public BuildContext releasingSourcesWith(Runnable release)
    {
        this.releaseSources = requireNonNull(release, "release is null");
        return this;
    }

    void releaseSources()
    {
        releaseSources.run();
    }

    public ImageRecord image()
    {
        return image;
    }

    public long imageId()
    {
        return image.id();
    }

    public String volume()
    {
        return volume;
    }

    public LoadPlan plan()
    {
        return plan;
    }

    public Engine engine()
    {
        return engine;
    }

    public ImageCatalog catalog()
    {
        return catalog;
    }

    public StorageDriver storage()
    {
        return storage;
    }

    public EngineUser engineUser()
    {
        return engineUser;
    }

    public PortAllocator ports()
    {
        return ports;
    }

    public Path logFile()
    {
        return logFile;
    }

    public Clock clock()
    {
        return clock;
    }

    public int parallelism()
    {
        return parallelism;
    }

    /** Shows a progress line for the build, naming the step that runs: {@code load: Restoring backup chinook.dump}. */
    public void progress(String message)
    {
        catalog.updateProgress(image.id(), currentStep.isEmpty() ? message : currentStep + ": " + message);
    }

    void enterStep(String step)
    {
        currentStep = requireNonNull(step, "step is null");
        stepStartNanos = System.nanoTime();
        stepRecorded = false;
    }

    /**
     * The running step's name and time so far, for a step that records its own end together with what it does
     * (marking the image READY records the last step in the same transaction); the pipeline then records nothing.
     */
    public ImageBuildStep endStepHere()
    {
        stepRecorded = true;
        return new ImageBuildStep(currentStep, stepMilliseconds());
    }

    long stepMilliseconds()
    {
        return (System.nanoTime() - stepStartNanos) / 1_000_000;
    }

    boolean stepRecorded()
    {
        return stepRecorded;
    }

    /** The step that runs, or the last one that ran; empty before the first. */
    public String currentStep()
    {
        return currentStep;
    }

    /**
     * Marks the build as out of time, with the failure it ends with: the pipeline runs no further step, and a step
     * that fails meanwhile (its server was stopped under it) ends the build with this failure rather than its own.
     */
    public void timeOut(DollyException failure)
    {
        this.timeout = requireNonNull(failure, "failure is null");
    }

    /** The failure of a build that ran out of time; empty while it is in time. */
    public Optional<DollyException> timeout()
    {
        return Optional.ofNullable(timeout);
    }

    public EngineInstallation installation()
    {
        return required(installation, "the engine's installation");
    }

    public Optional<EngineInstallation> installationIfAny()
    {
        return Optional.ofNullable(installation);
    }

    public void setInstallation(EngineInstallation installation)
    {
        this.installation = requireNonNull(installation, "installation is null");
    }

    public Path dataDirectory()
    {
        return required(dataDirectory, "the data directory");
    }

    public Optional<Path> dataDirectoryIfAny()
    {
        return Optional.ofNullable(dataDirectory);
    }

    public void setDataDirectory(Path dataDirectory)
    {
        this.dataDirectory = requireNonNull(dataDirectory, "dataDirectory is null");
    }

    /** The port the build's server listens on, or 0 when none is reserved. */
    public int port()
    {
        return port;
    }

    public void setPort(int port)
    {
        this.port = port;
    }

    /** The server's superuser, over the loopback address. */
    public Endpoint superuser()
    {
        if (port <= 0) {
            throw new IllegalStateException("No server runs for the build of image " + image.id() + " yet");
        }
        return new Endpoint("127.0.0.1", port, engine.defaultUser(), image.superuserPassword(), engine.defaultDatabase());
    }

    /**
     * The database the pre-script, backups and scripts start in: the initial database, or the engine's default, or
     * its maintenance database (none for MariaDB) when they create or drop the initial database themselves; see
     * {@link Engine#prepareLoad}.
     */
    public String loadDatabase()
    {
        return required(loadDatabase, "the database to load into");
    }

    /** Sets where the load starts, and where the data is until a backup or script says otherwise. */
    public void setLoadDatabase(String loadDatabase)
    {
        this.loadDatabase = requireNonNull(loadDatabase, "loadDatabase is null");
        if (dataDatabase == null) {
            dataDatabase = plan.dataDatabase(loadDatabase);
        }
    }

    /** The database the data ended up in, which connection details name. */
    public String dataDatabase()
    {
        return required(dataDatabase, "the database the data is in");
    }

    public void setDataDatabase(String dataDatabase)
    {
        this.dataDatabase = requireNonNull(dataDatabase, "dataDatabase is null");
    }

    /** The indexes and constraints the load left for after the transform, until a step adds them. */
    public Optional<DeferredIndexes> deferredIndexes()
    {
        return deferredIndexes;
    }

    public void setDeferredIndexes(Optional<DeferredIndexes> deferredIndexes)
    {
        this.deferredIndexes = requireNonNull(deferredIndexes, "deferredIndexes is null");
    }

    private <T> T required(T value, String what)
    {
        if (value == null) {
            throw new IllegalStateException("The build of image " + image.id() + " has no " + what + " before step '" + currentStep + "'");
        }
        return value;
    }
}
