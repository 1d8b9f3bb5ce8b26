package dev.dolly.api;

import java.util.List;

import static java.util.Objects.requireNonNull;

/**
 * What the {@code transform:} stage of an image build did: the subset kept, the columns masked, and the leak check.
 *
 * @param rulesDigest SHA-256 of the transform rules as the build ran them (variables substituted, no salt)
 * @param tables every table of the database, with its rows before and after the transform
 * @param maskedColumns the columns masked, {@code table.column}, with their transformer
 * @param personalColumns columns that look personal but are neither masked, emptied nor listed under {@code keep-columns}
 *         (what {@code pii: warn} reports and {@code pii: strict} refuses)
 * @param leakCheck {@code passed}, or what was found
 * @param milliseconds how long the transform took
 */
public record TransformReport(
        String rulesDigest,
        List<TableRows> tables,
        List<MaskedColumn> maskedColumns,
        List<String> personalColumns,
        String leakCheck,
        long milliseconds)
{
    public TransformReport
    {
        requireNonNull(rulesDigest, "rulesDigest is null");
        tables = tables == null ? List.of() : List.copyOf(tables);
        maskedColumns = maskedColumns == null ? List.of() : List.copyOf(maskedColumns);
        personalColumns = personalColumns == null ? List.of() : List.copyOf(personalColumns);
        requireNonNull(leakCheck, "leakCheck is null");
    }

    public record TableRows(String table, long rowsBefore, long rowsAfter) {}

    /** @param distinctValues how many distinct original values were masked */
    public record MaskedColumn(String column, String transformer, long distinctValues) {}
}
