package dev.dolly.cli.command;

import dev.dolly.api.DataImage;
import dev.dolly.cli.output.RelativeTime;
import dev.dolly.cli.output.TableWriter;

import java.time.Instant;
import java.util.List;

/** The columns of {@code dolly get data-images}. */
final class ImageTable
{
    private ImageTable() {}

    static ResourceOutput<DataImage> output(CommandContext context)
    {
        return new ResourceOutput<>(context, DataImage::name, images -> table(images, context.now()));
    }

    static TableWriter table(List<DataImage> images, Instant now)
    {
        TableWriter table = new TableWriter("ID", "NAME", "TAGS", "ENGINE", "STATUS", "CREATED", "TEAMS", "EXPIRES");
        for (DataImage image : images) {
            table.addRow(
                    String.valueOf(image.id()),
                    image.name(),
                    Cells.list(image.tags()),
                    Cells.engine(image.engine(), image.requestedVersion(), image.engineVersion()),
                    Cells.status(image.status()),
                    Cells.created(image.createdAt(), now),
                    Cells.list(image.teams()),
                    RelativeTime.expiry(image.expiresAt(), now));
        }
        return table;
    }
}
