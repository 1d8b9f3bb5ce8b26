package dev.dolly.core.transform;

import com.fasterxml.jackson.databind.JsonNode;
import dev.dolly.api.DollyException;
import dev.dolly.core.transform.TransformDefinition.PersonalDataPolicy;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static java.util.Objects.requireNonNull;

/**
 * Reads the {@code transform:} key of an image definition and checks it completely: unknown keys, wrong types,
 * unknown transformers, variables that are used but not defined, and a salt written in the definition are refused with
 * a message naming the key.
 */
public final class TransformDefinitionParser
{
    private static final Set<String> KEYS = Set.of("salt", "variables", "keep", "empty", "mask", "pii", "keep-columns", "onRemovedParent");
    private static final Pattern VARIABLE = Pattern.compile("\\$\\{([^}]*)}");
    private static final Pattern VARIABLE_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");
    private static final Pattern ENVIRONMENT_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");
    private static final Pattern SALT = Pattern.compile("env:(.*)");

    private TransformDefinitionParser() {}

    /**
     * @param node the value of {@code transform:} (a mapping; a file name is read by the caller)
     * @param overrides {@code --set name=value}, over the definition's {@code variables}
     */
    public static TransformDefinition parse(JsonNode node, Map<String, String> overrides)
    {
        requireNonNull(node, "node is null");
        requireNonNull(overrides, "overrides is null");
        if (!node.isObject()) {
            throw DollyException.badInput("'transform' must be a mapping (keep, empty, mask, salt, variables, pii) or the name of a YAML file holding one.");
        }
        checkKeys(node, KEYS, "transform.");

        Map<String, String> variables = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> entry : mapping(node, "variables").entrySet()) {
            if (!VARIABLE_NAME.matcher(entry.getKey()).matches()) {
                throw DollyException.badInput("transform.variables: '" + entry.getKey() + "' is not a valid variable name (letters, digits and '_').");
            }
            variables.put(entry.getKey(), scalar(entry.getValue(), "transform.variables." + entry.getKey()));
        }
        for (Map.Entry<String, String> override : overrides.entrySet()) {
            if (!variables.containsKey(override.getKey())) {
                throw DollyException.badInput("--set " + override.getKey() + "=" + override.getValue() + ": the definition has no variable '" + override.getKey() + "'"
                        + (variables.isEmpty() ? " (it declares none under transform.variables)." : "; its variables are " + String.join(", ", new TreeSet<>(variables.keySet())) + "."));
            }
            variables.put(override.getKey(), override.getValue());
        }

        Map<String, String> keep = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> entry : mapping(node, "keep").entrySet()) {
            String where = "transform.keep." + entry.getKey();
            String condition = scalar(entry.getValue(), where);
            if (condition.isBlank()) {
                throw DollyException.badInput(where + " is empty: write the condition rows must meet to stay, or leave the table out to keep every row.");
            }
            keep.put(entry.getKey(), substitute(condition, variables, where));
        }

        List<String> empty = new ArrayList<>();
        JsonNode emptyNode = node.get("empty");
        if (emptyNode != null && !emptyNode.isNull()) {
            if (!emptyNode.isArray()) {
                throw DollyException.badInput("transform.empty must be a list of table names: empty: [playlist_track].");
            }
            for (JsonNode table : emptyNode) {
                if (!table.isTextual() || table.asText().isBlank()) {
                    throw DollyException.badInput("transform.empty must be a list of table names: empty: [playlist_track].");
                }
                if (keep.containsKey(table.asText())) {
                    throw DollyException.badInput("Table '" + table.asText() + "' is both under transform.keep and transform.empty: an emptied table keeps no rows.");
                }
                if (empty.contains(table.asText())) {
                    throw DollyException.badInput("Table '" + table.asText() + "' is listed twice under transform.empty.");
                }
                empty.add(table.asText());
            }
        }

        Map<String, Map<String, Transformer>> mask = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> table : mapping(node, "mask").entrySet()) {
            String tableWhere = "transform.mask." + table.getKey();
            if (empty.contains(table.getKey())) {
                throw DollyException.badInput(tableWhere + ": table '" + table.getKey() + "' is emptied (transform.empty), so it has nothing to mask.");
            }
            if (!table.getValue().isObject()) {
                throw DollyException.badInput(tableWhere + " must be a mapping of columns to transformers: email: internet.emailAddress.");
            }
            Map<String, Transformer> columns = new LinkedHashMap<>();
            for (Map.Entry<String, JsonNode> column : mapping(node.get("mask"), table.getKey()).entrySet()) {
                String where = tableWhere + "." + column.getKey();
                // YAML reads a bare null as no value: "null" and null both mean the transformer that sets NULL
                String written = column.getValue().isNull() ? "null" : scalar(column.getValue(), where);
                columns.put(column.getKey(), Transformer.parse(written, where));
            }
            mask.put(table.getKey(), columns);
        }

        Optional<String> saltVariable = Optional.empty();
        JsonNode saltNode = node.get("salt");
        if (saltNode != null && !saltNode.isNull()) {
            String salt = scalar(saltNode, "transform.salt");
            Matcher matcher = SALT.matcher(salt.strip());
            if (!matcher.matches()) {
                throw DollyException.badInput("transform.salt must name an environment variable, as 'salt: env:DOLLY_MASK_SALT': a salt written in the definition "
                        + "would be stored with the image and would let anyone who reads it reverse the masking.");
            }
            if (!ENVIRONMENT_NAME.matcher(matcher.group(1)).matches()) {
                throw DollyException.badInput("transform.salt: '" + matcher.group(1) + "' is not a valid environment variable name.");
            }
            saltVariable = Optional.of(matcher.group(1));
        }
        boolean draws = mask.values().stream().flatMap(columns -> columns.values().stream()).anyMatch(transformer -> transformer.draws() || transformer.leakChecked());
        if (draws && saltVariable.isEmpty()) {
            throw DollyException.badInput("transform.mask needs a salt: add 'salt: env:DOLLY_MASK_SALT' under transform and set that variable where you run dolly. "
                    + "Without a secret salt, anyone could compute the fake of a known value.");
        }

        PersonalDataPolicy pii = PersonalDataPolicy.WARN;
        JsonNode piiNode = node.get("pii");
        if (piiNode != null && !piiNode.isNull()) {
            String value = piiNode.isBoolean() ? (piiNode.asBoolean() ? "warn" : "off") : scalar(piiNode, "transform.pii");
            pii = switch (value.strip().toLowerCase(Locale.ROOT)) {
                case "strict" -> PersonalDataPolicy.STRICT;
                case "warn" -> PersonalDataPolicy.WARN;
                case "off" -> PersonalDataPolicy.OFF;
                default -> throw DollyException.badInput("transform.pii '" + value + "' is unknown: use strict, warn or off.");
            };
        }

        Map<String, String> keepColumns = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> entry : mapping(node, "keep-columns").entrySet()) {
            String where = "transform.keep-columns." + entry.getKey();
            if (entry.getKey().indexOf('.') <= 0 || entry.getKey().endsWith(".")) {
                throw DollyException.badInput(where + ": name the column as table.column.");
            }
            String reason = entry.getValue().isNull() ? "" : scalar(entry.getValue(), where);
            if (reason.isBlank()) {
                throw DollyException.badInput(where + " needs a reason: why this column is not personal data, or why it may stay.");
            }
            keepColumns.put(entry.getKey(), reason);
        }

        Map<String, Boolean> onRemovedParent = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> entry : mapping(node, "onRemovedParent").entrySet()) {
            String where = "transform.onRemovedParent." + entry.getKey();
            String value = scalar(entry.getValue(), where).strip().toLowerCase(Locale.ROOT);
            onRemovedParent.put(entry.getKey(), switch (value) {
                case "remove" -> true;
                case "null" -> false;
                default -> throw DollyException.badInput(where + " '" + value + "' is unknown: use remove (the row goes with its parent) or null (the key is set to NULL, the default).");
            });
        }
        return new TransformDefinition(saltVariable, variables, keep, empty, mask, onRemovedParent, keepColumns, pii);
    }

    /** The condition with its {@code ${name}} variables replaced by their values. */
    static String substitute(String text, Map<String, String> variables, String where)
    {
        Matcher matcher = VARIABLE.matcher(text);
        StringBuilder result = new StringBuilder();
        while (matcher.find()) {
            String name = matcher.group(1).strip();
            String value = variables.get(name);
            if (value == null) {
                throw DollyException.badInput(where + " uses ${" + name + "}, which is not defined: add it under transform.variables, or pass --set " + name + "=VALUE.");
            }
            matcher.appendReplacement(result, Matcher.quoteReplacement(value));
        }
        matcher.appendTail(result);
        return result.toString();
    }

    private static Map<String, JsonNode> mapping(JsonNode node, String key)
    {
        JsonNode value = node.get(key);
        Map<String, JsonNode> entries = new LinkedHashMap<>();
        if (value == null || value.isNull()) {
            return entries;
        }
        if (!value.isObject()) {
            throw DollyException.badInput("transform." + key + " must be a mapping" + switch (key) {
                case "keep" -> " of tables to conditions: customer: \"support_rep_id = 3\".";
                case "mask" -> " of tables to their columns' transformers.";
                case "variables" -> " of names to values: {rep: 3}.";
                default -> ".";
            });
        }
        for (Iterator<Map.Entry<String, JsonNode>> fields = value.properties().iterator(); fields.hasNext(); ) {
            Map.Entry<String, JsonNode> field = fields.next();
            entries.put(field.getKey(), field.getValue());
        }
        return entries;
    }

    private static String scalar(JsonNode value, String where)
    {
        if (value == null || value.isNull()) {
            throw DollyException.badInput(where + " has no value.");
        }
        if (!value.isValueNode()) {
            throw DollyException.badInput(where + " must be a single value, not a " + (value.isArray() ? "list" : "mapping") + ".");
        }
        return value.isBigDecimal() ? value.decimalValue().toPlainString() : value.asText();
    }

    private static void checkKeys(JsonNode node, Set<String> allowed, String prefix)
    {
        for (Iterator<String> names = node.fieldNames(); names.hasNext(); ) {
            String key = names.next();
            if (!allowed.contains(key)) {
                throw DollyException.badInput("Unknown key '" + prefix + key + "' in the image definition. Known keys under transform: "
                        + String.join(", ", new TreeSet<>(allowed)) + ".");
            }
        }
    }
}
