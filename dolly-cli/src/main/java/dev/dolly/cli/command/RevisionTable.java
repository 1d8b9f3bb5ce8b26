package dev.dolly.cli.command;

import dev.dolly.api.Revision;
import dev.dolly.cli.output.TableWriter;

import java.time.Instant;
import java.util.List;

/** The columns of {@code dolly get revisions}: the current revision is marked with {@code *}. */
final class RevisionTable
{
    private RevisionTable() {}

    static ResourceOutput<Revision> output(CommandContext context)
    {
        return new ResourceOutput<>(context, Revision::name, revisions -> table(revisions, context.now()));
    }

    static TableWriter table(List<Revision> revisions, Instant now)
    {
        TableWriter table = new TableWriter("REVISION", "PARENT", "CREATED", "SIZE", "CURRENT");
        for (Revision revision : revisions) {
            table.addRow(
                    revision.name(),
                    revision.parent() == null ? "" : revision.parent(),
                    Cells.created(revision.createdAt(), now),
                    revision.sizeBytes() == null ? "" : Cells.bytes(revision.sizeBytes()),
                    revision.current() ? "*" : "");
        }
        return table;
    }
}
