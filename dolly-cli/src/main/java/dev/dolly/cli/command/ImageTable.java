package dev.dolly.cli.command;

import dev.dolly.api.DataImage;
import dev.dolly.cli.output.RelativeTime;
import dev.dolly.cli.output.TableWriter;

import java.time.Instant;
import java.util.ArrayList;
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
        // spawnctl's columns, and the warm pools' when an image of the list has one
        boolean pools = images.stream().anyMatch(image -> image.pool() != null);
        TableWriter table = pools
                ? new TableWriter("ID", "NAME", "TAGS", "ENGINE", "STATUS", "CREATED", "TEAMS", "EXPIRES", "POOL")
                : new TableWriter("ID", "NAME", "TAGS", "ENGINE", "STATUS", "CREATED", "TEAMS", "EXPIRES");
        for (DataImage image : images) {
            List<String> row = new ArrayList<>(List.of(
                    String.valueOf(image.id()),
                    image.name(),
                    tags(image),
                    Cells.engine(image.engine(), image.requestedVersion(), image.engineVersion()),
                    Cells.status(image.status()),
                    Cells.created(image.createdAt(), now),
                    Cells.list(image.teams()),
                    expiry(image, now)));
            if (pools) {
                row.add(pool(image));
            }
            table.addRow(row.toArray(String[]::new));
        }
        return table;
    }

    /** A warm pool as {@code 2/3 ready}; empty without one. */
    static String pool(DataImage image)
    {
        if (image.pool() == null) {
            return "";
        }
        return image.pool().ready() + "/" + image.pool().size() + " ready";
    }

    /** The tags it holds, then those a build takes when it is ready: {@code v1,latest-production (when ready)}. */
    static String tags(DataImage image)
    {
        String held = Cells.list(image.tags());
        if (image.pendingTags() == null || image.pendingTags().isEmpty()) {
            return held;
        }
        return (held.isEmpty() ? "" : held + ",") + Cells.list(image.pendingTags()) + " (when ready)";
    }

    /** An expired image stays while containers use it: {@code expired, waiting for 2 containers}. */
    static String expiry(DataImage image, Instant now)
    {
        String expiry = RelativeTime.expiry(image.expiresAt(), now);
        int containers = image.containers() == null ? 0 : image.containers().size();
        if (image.expiresAt() == null || image.expiresAt().isAfter(now) || containers == 0) {
            return expiry;
        }
        return expiry + ", waiting for " + containers + (containers == 1 ? " container" : " containers");
    }
}
