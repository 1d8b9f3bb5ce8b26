package dev.dolly.core.transform;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static java.util.Objects.requireNonNull;

/**
 * The {@code transform:} stage of an image definition, checked, with its variables substituted: which rows to keep,
 * which tables to empty, which columns to mask and how, and what to do with personal columns left as they are.
 *
 * @param saltVariable the environment variable the salt is read from ({@code salt: env:NAME}); empty when nothing is masked
 * @param variables the variables after {@code --set}, for the report
 * @param keep per table, the condition its rows must meet to stay (SQL, variables substituted)
 * @param empty the tables emptied completely
 * @param mask per table, per column, the transformer
 * @param onRemovedParent per table, {@code true} when its rows whose nullable foreign key points at a removed row are
 *         removed too, rather than the key set to NULL
 * @param keepColumns {@code table.column} left as they are on purpose, with the reason
 */
public record TransformDefinition(
        Optional<String> saltVariable,
        Map<String, String> variables,
        Map<String, String> keep,
        List<String> empty,
        Map<String, Map<String, Transformer>> mask,
        Map<String, Boolean> onRemovedParent,
        Map<String, String> keepColumns,
        PersonalDataPolicy pii)
{
    public TransformDefinition
    {
        requireNonNull(saltVariable, "saltVariable is null");
        variables = Map.copyOf(variables);
        // in the definition's order, which the transform follows and its report shows
        keep = Collections.unmodifiableMap(new LinkedHashMap<>(keep));
        empty = List.copyOf(empty);
        mask = Collections.unmodifiableMap(new LinkedHashMap<>(mask));
        onRemovedParent = Map.copyOf(onRemovedParent);
        keepColumns = Map.copyOf(keepColumns);
        requireNonNull(pii, "pii is null");
    }

    public boolean masks()
    {
        return mask.values().stream().anyMatch(columns -> !columns.isEmpty());
    }

    /** Whether the rows of a table whose nullable foreign key points at a removed row go too. */
    public boolean removesOrphansOf(String table)
    {
        return onRemovedParent.getOrDefault(table, false);
    }

    /** What {@code pii:} asks for personal columns that are neither masked, emptied nor kept on purpose. */
    public enum PersonalDataPolicy
    {
        STRICT, WARN, OFF
    }
}
