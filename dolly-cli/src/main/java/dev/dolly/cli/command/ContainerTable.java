package dev.dolly.cli.command;

import dev.dolly.api.DataContainer;
import dev.dolly.cli.output.RelativeTime;
import dev.dolly.cli.output.TableWriter;

import java.time.Instant;
import java.util.List;

/** The columns of {@code dolly get data-containers}. */
final class ContainerTable
{
    private ContainerTable() {}

    static ResourceOutput<DataContainer> output(CommandContext context)
    {
        return new ResourceOutput<>(context, DataContainer::name, containers -> table(containers, context.now()));
    }

    static TableWriter table(List<DataContainer> containers, Instant now)
    {
        TableWriter table = new TableWriter("ID", "NAME", "IMAGE", "REVISION", "STATUS", "ENGINE", "HOST:PORT", "CREATED", "EXPIRES");
        for (DataContainer container : containers) {
            table.addRow(
                    String.valueOf(container.id()),
                    container.name(),
                    container.imageName(),
                    container.revision(),
                    Cells.status(container.status()),
                    Cells.engine(container.engine(), container.engineVersion()),
                    container.host() == null ? "" : container.host() + ":" + container.port(),
                    Cells.created(container.createdAt(), now),
                    RelativeTime.expiry(container.expiresAt(), now));
        }
        return table;
    }
}
