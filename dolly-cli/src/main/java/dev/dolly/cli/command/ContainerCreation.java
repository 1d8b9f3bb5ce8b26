package dev.dolly.cli.command;

import dev.dolly.api.CreateContainerRequest;
import dev.dolly.api.DataContainer;
import dev.dolly.api.DollyException;
import dev.dolly.api.ResourceStatus;
import dev.dolly.api.client.DollyClient;

import java.io.PrintStream;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

import static java.util.Objects.requireNonNull;

/** Creates a data container and waits until its engine accepts connections: shared by create and demo. */
final class ContainerCreation
{
    private final CommandContext context;

    ContainerCreation(CommandContext context)
    {
        this.context = requireNonNull(context, "context is null");
    }

    DataContainer create(DollyClient client, String image, String name, String lifetime)
    {
        return create(client, new CreateContainerRequest(image, name, lifetime));
    }

    DataContainer create(DollyClient client, CreateContainerRequest request)
    {
        DataContainer current = client.createContainer(request);
        while (true) {
            ResourceStatus status = current.status() == null ? ResourceStatus.READY : current.status();
            switch (status) {
                case READY -> {
                    return current;
                }
                case FAILED -> throw DollyException.failed("Data container '" + current.name() + "' failed: "
                        + Objects.requireNonNullElse(current.statusMessage(), "the daemon gave no reason; see its log."));
                case STOPPED, DELETING -> throw DollyException.failed("Data container '" + current.name() + "' was created but is "
                        + status.displayName().toLowerCase(Locale.ROOT)
                        + (current.statusMessage() == null ? "" : ": " + current.statusMessage())
                        + ". See 'dolly get data-container " + current.name() + "'.");
                case PENDING -> {
                    context.sleep(context.pollInterval());
                    current = client.getContainer(String.valueOf(current.id()));
                }
            }
        }
    }

    /** What 'dolly create data-container' prints: spawnctl's two lines, {@code Data container 'NAME' created!} and how to connect. */
    static void printCreated(PrintStream out, DataContainer container)
    {
        out.println("Data container '" + container.name() + "' created!");
        printConnection(out, container);
    }

    /**
     * The lines that tell how to connect to a new container: first spawnctl's, which scripts written for Spawn read
     * ({@code -> Host=…;Port=…;Username=…;Database=…;Password=…}, for MySQL and MariaDB {@code -> Server=…;Port=…;User
     * Id=…;Database=…;Password=…}), then a URI and a command.
     */
    static void printConnection(PrintStream out, DataContainer container)
    {
        out.println(connectionLine(container));
        out.println("Connection URI: " + container.uri());
        if ("postgresql".equals(container.engine())) {
            out.println("Connect with:   psql \"" + container.uri() + "\"");
        }
    }

    /** spawnctl's line: {@code -> Host=127.0.0.1;Port=54321;Username=postgres;Database=chinook;Password=…}. */
    static String connectionLine(DataContainer container)
    {
        String database = Objects.requireNonNullElse(container.database(), "");
        if ("mysql".equals(container.engine()) || "mariadb".equals(container.engine())) {
            return "-> Server=" + container.host() + ";Port=" + container.port() + ";User Id=" + container.user() + ";Database=" + database
                    + ";Password=" + container.password();
        }
        return "-> Host=" + container.host() + ";Port=" + container.port() + ";Username=" + container.user() + ";Database=" + database
                + ";Password=" + container.password();
    }
}
