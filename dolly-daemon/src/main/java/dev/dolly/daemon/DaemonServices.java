package dev.dolly.daemon;

import dev.dolly.api.DollyException;
import dev.dolly.api.ErrorCode;
import dev.dolly.api.InitializeStorageRequest;
import dev.dolly.api.NextStep;
import dev.dolly.api.ServerInfo;
import dev.dolly.core.Dolly;
import dev.dolly.core.DollyConfiguration;
import dev.dolly.core.storage.LoopFileSystem;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import static java.util.Objects.requireNonNull;

/**
 * The services of the daemon's home. They are replaced as a whole when the storage moves to its own file system,
 * since the storage driver is chosen when a home is opened.
 */
final class DaemonServices
{
    private static final Logger LOG = LoggerFactory.getLogger(DaemonServices.class);

    private final DollyConfiguration configuration;
    private volatile Dolly dolly;

    DaemonServices(DollyConfiguration configuration, Dolly dolly)
    {
        this.configuration = requireNonNull(configuration, "configuration is null");
        this.dolly = requireNonNull(dolly, "dolly is null");
    }

    Dolly current()
    {
        return dolly;
    }

    synchronized ServerInfo initializeStorage(InitializeStorageRequest request)
    {
        requireNonNull(request, "request is null");
        if (!dolly.isEmpty()) {
            throw new DollyException(ErrorCode.IN_USE, "Dolly's storage already holds images or containers.", NextStep.of(NextStep.Kind.EMPTY_THE_STORAGE));
        }
        // refused before the home is closed and opened again, which removes the uploads no build has taken yet
        LoopFileSystem.checkRequest(request.sizeBytes(), request.fileSystem());
        dolly.close();
        try {
            LoopFileSystem.Description description = LoopFileSystem.create(configuration.home(), configuration.storageRoot(), request.sizeBytes(),
                    request.fileSystem());
            LOG.info("Storage moved to a {} file system of {} bytes in {}", description.fileSystem(), description.sizeBytes(), description.file());
        }
        finally {
            dolly = Dolly.open(configuration);
        }
        return dolly.info();
    }

    void close()
    {
        dolly.close();
    }
}
