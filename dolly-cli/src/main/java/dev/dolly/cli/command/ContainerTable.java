package dev.dolly.cli.command;

import dev.dolly.api.DataContainer;
import dev.dolly.api.Following;
import dev.dolly.cli.output.RelativeTime;
import dev.dolly.cli.output.TableWriter;

import java.io.PrintStream;
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
                    container.statusDisplayName(),
                    Cells.engine(container.engine(), container.engineVersion()),
                    container.host() == null ? "" : container.host() + ":" + container.port(),
                    Cells.created(container.createdAt(), now),
                    RelativeTime.expiry(container.expiresAt(), now));
        }
        return table;
    }

    /**
     * What a following container follows, below its row:
     * <pre>
     * Follows:        widgetstore:latest-production, refreshed at 06:00
     * Last refreshed: 2026-12-01T06:00:03Z (3 hours ago)
     * Last refresh:   Moved from image 12 to image 14 …; dropped rev.1
     * </pre>
     */
    static void printFollowing(PrintStream out, Following following, Instant now)
    {
        out.println();
        out.println("Follows:        " + following.image() + ", refreshed " + (following.refreshAt().equals("now") ? "as soon as the tag moves" : "at " + following.refreshAt()));
        out.println("Last refreshed: " + (following.refreshedAt() == null ? "never" : following.refreshedAt() + " (" + RelativeTime.format(following.refreshedAt(), now) + ")"));
        if (following.message() != null) {
            out.println("Last refresh:   " + following.message());
        }
    }

    /**
     * Its idle stop and why it is stopped, below its row, when it has either:
     * <pre>
     * Idle stop:      30m (its server stops after 30m with no client connection; the next connection starts it)
     * Stopped:        Stopped after 30m with no client connection …
     * </pre>
     */
    static void printIdleStop(PrintStream out, DataContainer container)
    {
        if (container.idleStop() == null && container.stoppedBy() == null) {
            return;
        }
        out.println();
        if (container.idleStop() != null) {
            out.println("Idle stop:      " + container.idleStop() + " (its server stops after " + container.idleStop()
                    + " with no client connection; the next connection starts it)");
        }
        if (container.stoppedBy() != null && container.statusMessage() != null) {
            out.println("Stopped:        " + container.statusMessage());
        }
    }
}
