package dev.dolly.core.transform;

import dev.dolly.api.DollyException;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import java.util.stream.Collectors;

import static java.util.Objects.requireNonNull;

/**
 * How one column is masked, as written in the definition: {@code person.firstName}, {@code date.noise(30)},
 * {@code regex('[0-9]', 'x')}, {@code constant('n/a')}, {@code null}, {@code keep}.
 *
 * @param spec the transformer as written, without spaces: the fakes depend on it (with the salt and the value)
 */
public record Transformer(Kind kind, String spec, List<String> arguments)
{
    public Transformer
    {
        requireNonNull(kind, "kind is null");
        requireNonNull(spec, "spec is null");
        arguments = List.copyOf(arguments);
    }

    /** The transformers, by the name definitions use. */
    public enum Kind
    {
        FIRST_NAME("person.firstName", Use.FAKE, false),
        LAST_NAME("person.lastName", Use.FAKE, false),
        FULL_NAME("person.fullName", Use.FAKE, false),
        EMAIL("internet.emailAddress", Use.FAKE, true),
        PHONE("phone.phoneNumber", Use.FAKE, true),
        STREET_ADDRESS("address.streetAddress", Use.FAKE, true),
        CITY("address.city", Use.FAKE, false),
        POSTCODE("address.zipCode", Use.FAKE, false),
        COUNTRY("address.country", Use.FAKE, false),
        COMPANY("company.name", Use.FAKE, false),
        IPV4("internet.ipV4Address", Use.FAKE, true),
        IPV6("internet.ipV6Address", Use.FAKE, true),
        CREDIT_CARD("finance.creditCard", Use.FAKE, true),
        LOREM("lorem", Use.FAKE, false),
        DATE_NOISE("date.noise", Use.NOISE, false),
        NUMBER_NOISE("number.noise", Use.NOISE, false),
        HASH("hash", Use.DERIVED, false),
        REDACT("redact", Use.DERIVED, false),
        REGEX("regex", Use.DERIVED, false),
        CONSTANT("constant", Use.CONSTANT, false),
        NULL("null", Use.CONSTANT, false),
        KEEP("keep", Use.CONSTANT, false);

        private final String written;
        private final Use use;
        private final boolean identifying;

        Kind(String written, Use use, boolean identifying)
        {
            this.written = written;
            this.use = use;
            this.identifying = identifying;
        }

        public String written()
        {
            return written;
        }
    }

    /** What a transformer's output is made of, which decides how it is checked. */
    private enum Use
    {
        /** drawn at random from a seed: drawn again when it equals an original, or repeats in a unique column */
        FAKE,
        /** the original moved a little: it may well equal another original, which identifies no one */
        NOISE,
        /** computed from the original without chance: a hash, a redaction, a replacement */
        DERIVED,
        /** the same for every row */
        CONSTANT
    }

    private static final Pattern CALL = Pattern.compile("([A-Za-z][A-Za-z0-9.]*)\\s*(?:\\((.*)\\))?", Pattern.DOTALL);

    /** Reads a transformer as written; {@code where} names it in messages ({@code mask.customer.email}). */
    public static Transformer parse(String written, String where)
    {
        requireNonNull(written, "written is null");
        String text = written.strip();
        var matcher = CALL.matcher(text);
        if (!matcher.matches()) {
            throw unknown(written, where);
        }
        String name = matcher.group(1);
        Kind kind = Arrays.stream(Kind.values())
                .filter(candidate -> candidate.written.equalsIgnoreCase(name) || aliasOf(name).equals(candidate.written))
                .findFirst()
                .orElseThrow(() -> unknown(written, where));
        List<String> arguments = matcher.group(2) == null ? List.of() : arguments(matcher.group(2), where);
        String spec = kind.written + (arguments.isEmpty() ? "" : arguments.stream().map(argument -> "'" + argument.replace("'", "''") + "'")
                .collect(Collectors.joining(",", "(", ")")));
        Transformer transformer = new Transformer(kind, spec, arguments);
        transformer.check(where);
        return transformer;
    }

    private static String aliasOf(String name)
    {
        return switch (name.toLowerCase(Locale.ROOT)) {
            case "name.firstname" -> "person.firstName";
            case "name.lastname" -> "person.lastName";
            case "name.fullname", "person.name" -> "person.fullName";
            case "internet.email", "email" -> "internet.emailAddress";
            case "phone.cellphone", "phone" -> "phone.phoneNumber";
            case "address.postcode", "address.zipcode", "address.postalcode" -> "address.zipCode";
            case "company", "company.companyname" -> "company.name";
            case "internet.ipv4" -> "internet.ipV4Address";
            case "internet.ipv6" -> "internet.ipV6Address";
            case "finance.creditcardnumber", "creditcard" -> "finance.creditCard";
            case "lorem.sentence", "lorem.paragraph" -> "lorem";
            default -> "";
        };
    }

    private void check(String where)
    {
        switch (kind) {
            case DATE_NOISE, NUMBER_NOISE -> {
                if (arguments.size() != 1) {
                    throw DollyException.badInput(where + ": " + kind.written + " takes one argument, "
                            + (kind == Kind.DATE_NOISE ? "the most days to move a date by: date.noise(30)" : "the most percent to change a number by: number.noise(10)") + ".");
                }
                BigDecimal amount = number(arguments.getFirst(), where);
                if (amount.signum() <= 0 || (kind == Kind.DATE_NOISE && amount.stripTrailingZeros().scale() > 0)) {
                    throw DollyException.badInput(where + ": " + kind.written + "(" + arguments.getFirst() + ") needs a positive "
                            + (kind == Kind.DATE_NOISE ? "whole number of days." : "percentage."));
                }
            }
            case REGEX -> {
                if (arguments.size() != 2) {
                    throw DollyException.badInput(where + ": regex takes two arguments, the pattern and its replacement: regex('[0-9]', 'x').");
                }
                try {
                    Pattern.compile(arguments.get(0));
                }
                catch (PatternSyntaxException e) {
                    throw DollyException.badInput(where + ": regex pattern '" + arguments.get(0) + "' is not valid: " + e.getDescription() + ".");
                }
            }
            case CONSTANT -> {
                if (arguments.size() != 1) {
                    throw DollyException.badInput(where + ": constant takes one argument, the value: constant('n/a').");
                }
            }
            default -> {
                if (!arguments.isEmpty()) {
                    throw DollyException.badInput(where + ": " + kind.written + " takes no arguments.");
                }
            }
        }
    }

    private static BigDecimal number(String text, String where)
    {
        try {
            return new BigDecimal(text.strip());
        }
        catch (NumberFormatException e) {
            throw DollyException.badInput(where + ": '" + text + "' is not a number.");
        }
    }

    /** Comma-separated arguments, each a number or a text in single quotes ({@code ''} for a quote). */
    private static List<String> arguments(String text, String where)
    {
        List<String> arguments = new ArrayList<>();
        int index = 0;
        while (index < text.length()) {
            while (index < text.length() && Character.isWhitespace(text.charAt(index))) {
                index++;
            }
            if (index >= text.length()) {
                break;
            }
            StringBuilder argument = new StringBuilder();
            if (text.charAt(index) == '\'') {
                index++;
                boolean closed = false;
                while (index < text.length()) {
                    char character = text.charAt(index++);
                    if (character == '\'') {
                        if (index < text.length() && text.charAt(index) == '\'') {
                            argument.append('\'');
                            index++;
                            continue;
                        }
                        closed = true;
                        break;
                    }
                    argument.append(character);
                }
                if (!closed) {
                    throw DollyException.badInput(where + ": a quote is not closed in (" + text + ").");
                }
            }
            else {
                while (index < text.length() && text.charAt(index) != ',') {
                    argument.append(text.charAt(index++));
                }
                String bare = argument.toString().strip();
                argument.setLength(0);
                argument.append(bare);
            }
            while (index < text.length() && Character.isWhitespace(text.charAt(index))) {
                index++;
            }
            if (index < text.length()) {
                if (text.charAt(index) != ',') {
                    throw DollyException.badInput(where + ": separate the arguments with commas, in (" + text + ").");
                }
                index++;
            }
            arguments.add(argument.toString());
        }
        return arguments;
    }

    private static DollyException unknown(String written, String where)
    {
        throw DollyException.badInput(where + ": unknown transformer '" + written + "'. Use one of "
                + Arrays.stream(Kind.values()).map(kind -> kind.written).collect(Collectors.joining(", ")) + " (see docs/masking.md).");
    }

    /** Whether the column is left as it is ({@code keep}). */
    public boolean keeps()
    {
        return kind == Kind.KEEP;
    }

    /** Whether the column is set to NULL. */
    public boolean nulls()
    {
        return kind == Kind.NULL;
    }

    /** Whether the output is drawn from a seed, so that a fake equal to an original, or repeated, can be drawn again. */
    public boolean draws()
    {
        return kind.use == Use.FAKE;
    }

    /** Whether the leak check looks for the column's originals after masking (not for noise or constants). */
    public boolean leakChecked()
    {
        return kind.use == Use.FAKE || kind.use == Use.DERIVED;
    }

    /** Whether an original of this kind identifies someone by itself, so that it is searched in every text column. */
    public boolean identifying()
    {
        return kind.identifying;
    }
}
