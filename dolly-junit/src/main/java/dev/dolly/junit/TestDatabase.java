package dev.dolly.junit;

import dev.dolly.api.CreateContainerRequest;
import dev.dolly.api.DataContainer;
import dev.dolly.api.DollyException;
import dev.dolly.api.ErrorCode;
import dev.dolly.api.client.DollyClient;

import javax.sql.DataSource;

import static java.util.Objects.requireNonNull;

/**
 * One data container of a test or a test class. Kept in JUnit's store of that test or class, which closes it (and so
 * deletes the container) when the test or class ends.
 */
final class TestDatabase
        implements AutoCloseable
{
    private final DollyClient client;
    private final DollyDatabase.Reset reset;
    private volatile DollyDatabaseInfo info;
    private final DataSource dataSource;

    private TestDatabase(DollyClient client, DataContainer container, DollyDatabase.Reset reset)
    {
        this.client = requireNonNull(client, "client is null");
        this.reset = requireNonNull(reset, "reset is null");
        this.info = info(container);
        this.dataSource = new DriverManagerDataSource(() -> this.info);
    }

    static TestDatabase create(DollyClient client, String image, DollyDatabase annotation)
    {
        DataContainer container = client.createContainer(new CreateContainerRequest(image, null, annotation.lifetime()));
        return new TestDatabase(client, container, annotation.reset());
    }

    static DollyDatabaseInfo info(DataContainer container)
    {
        return new DollyDatabaseInfo(container.engine(), container.name(), container.host(), container.port(), container.user(), container.password(),
                container.database());
    }

    DollyDatabaseInfo info()
    {
        return info;
    }

    DataSource dataSource()
    {
        return dataSource;
    }

    /** Brings a class's container back to its image after a test, when its {@link DollyDatabase#reset()} says so. */
    void afterTest()
    {
        if (reset == DollyDatabase.Reset.AFTER_EACH) {
            info = info(client.loadRevision(info.container(), "rev.0"));
        }
    }

    @Override
    public void close()
    {
        try {
            client.deleteContainer(info.container());
        }
        catch (DollyException e) {
            if (e.errorCode() != ErrorCode.NOT_FOUND) {
                throw e;
            }
        }
    }
}
