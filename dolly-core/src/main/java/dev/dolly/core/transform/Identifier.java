package dev.dolly.core.transform;

import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An original that identifies someone by itself, and how the leak check finds it in any text column of the image,
 * also inside a longer text ("contact frank@example.com after 5pm"). {@link IdentifyingOriginals} searches for the
 * originals' keys in one pass over each value; the methods here say what it finds, for the tests and the documentation.
 *
 * <ul>
 * <li>{@link #EMAIL}: the email-like tokens of a text ({@link #EMAIL_PATTERN}), in lower case, against the originals in
 * lower case.</li>
 * <li>{@link #NUMBER}: the number-like tokens of a text ({@link #NUMBER_PATTERN}: digits with spaces, dashes, dots,
 * slashes or brackets between them) that are not IPv4 addresses, reduced to their digits, against the digits of the
 * original phone and card numbers that have at least {@value #MINIMUM_DIGITS}.</li>
 * <li>{@link #STREET_ADDRESS}: the original addresses of at least {@value #MINIMUM_ADDRESS_LENGTH} characters as
 * substrings of the text, in lower case (each text value against each original address).</li>
 * <li>{@link #WHOLE_VALUE}: a whole text value equal to any identifying original (an IP address, and the shorter
 * values the searches above skip).</li>
 * </ul>
 */
public enum Identifier
{
    EMAIL("an original email address"),
    NUMBER("an original phone or card number"),
    STREET_ADDRESS("an original street address"),
    WHOLE_VALUE("an original email address, phone or card number, street address or IP address");

    /** An email address within a text; written without backslashes, so that every engine's SQL reads it alike. */
    public static final String EMAIL_PATTERN = "[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+[.][A-Za-z]{2,}";
    /** A phone or card number within a text: a digit, at least five digits or separators, a digit. */
    public static final String NUMBER_PATTERN = "[0-9][0-9 ()./-]{5,}[0-9]";
    /** Originals with fewer digits are searched only as whole values: shorter numbers are everywhere. */
    public static final int MINIMUM_DIGITS = 7;
    /** Shorter original addresses are searched only as whole values, not inside longer texts. */
    public static final int MINIMUM_ADDRESS_LENGTH = 8;

    /** A dotted quad such as {@code 10.1.2.3}: an IP address, not a phone or card number, though its digits may read as one. */
    private static final Pattern IPV4_ADDRESS = Pattern.compile("[0-9]{1,3}(?:[.][0-9]{1,3}){3}");
    private static final Pattern EMAIL_TOKEN = Pattern.compile(EMAIL_PATTERN);
    private static final Pattern NUMBER_TOKEN = Pattern.compile(NUMBER_PATTERN);

    private final String description;

    Identifier(String description)
    {
        this.description = description;
    }

    /** What was found, as a leak-check failure says it. */
    public String description()
    {
        return description;
    }

    /** The searches that find the originals of a transformer, empty when they do not identify anyone by themselves. */
    public static List<Identifier> of(Transformer transformer)
    {
        if (!transformer.leakChecked() || !transformer.identifying()) {
            return List.of();
        }
        return switch (transformer.kind()) {
            case EMAIL -> List.of(EMAIL, WHOLE_VALUE);
            case PHONE, CREDIT_CARD -> List.of(NUMBER, WHOLE_VALUE);
            case STREET_ADDRESS -> List.of(STREET_ADDRESS, WHOLE_VALUE);
            default -> List.of(WHOLE_VALUE);
        };
    }

    /** The key an original is searched by, or none when it is searched only as a whole value. */
    public Optional<String> originalKey(String original)
    {
        return switch (this) {
            case EMAIL -> Optional.of(original.toLowerCase(Locale.ROOT));
            case NUMBER -> Optional.of(digits(original)).filter(digits -> digits.length() >= MINIMUM_DIGITS);
            case STREET_ADDRESS -> Optional.of(original.toLowerCase(Locale.ROOT)).filter(address -> address.length() >= MINIMUM_ADDRESS_LENGTH);
            case WHOLE_VALUE -> Optional.of(original);
        };
    }

    /** Whether a text value holds an original, given the keys of the originals ({@link #originalKey}). */
    public boolean finds(String text, Set<String> originalKeys)
    {
        return switch (this) {
            case EMAIL, NUMBER -> anyTokenKey(text, originalKeys::contains);
            case STREET_ADDRESS -> originalKeys.stream().anyMatch(text.toLowerCase(Locale.ROOT)::contains);
            case WHOLE_VALUE -> originalKeys.contains(text);
        };
    }

    /**
     * Whether the key ({@link #originalKey}) of a token of the text that {@link #EMAIL} or {@link #NUMBER} reads meets
     * {@code isOriginalKey}: email-like tokens, and number-like tokens that are not IPv4 addresses (the digits of the
     * 2.8 million IP addresses of a 1 GB database include some of its 280,000 phone numbers' by chance). A text
     * without an {@code @}, or without a digit, is not matched at all.
     */
    boolean anyTokenKey(String text, Predicate<String> isOriginalKey)
    {
        Matcher tokens = switch (this) {
            case EMAIL -> text.indexOf('@') < 0 ? null : EMAIL_TOKEN.matcher(text);
            case NUMBER -> containsDigit(text) ? NUMBER_TOKEN.matcher(text) : null;
            case STREET_ADDRESS, WHOLE_VALUE -> throw new IllegalStateException(this + " does not search tokens");
        };
        while (tokens != null && tokens.find()) {
            String token = tokens.group();
            if (this == NUMBER && IPV4_ADDRESS.matcher(token).matches()) {
                continue;
            }
            Optional<String> key = originalKey(token);
            if (key.isPresent() && isOriginalKey.test(key.get())) {
                return true;
            }
        }
        return false;
    }

    private static boolean containsDigit(String text)
    {
        for (int index = 0; index < text.length(); index++) {
            if (isDigit(text.charAt(index))) {
                return true;
            }
        }
        return false;
    }

    private static boolean isDigit(char character)
    {
        return character >= '0' && character <= '9';
    }

    /** The digits of a text, in order; called for every number-like token of every text the leak check reads. */
    private static String digits(String text)
    {
        StringBuilder digits = new StringBuilder(text.length());
        for (int index = 0; index < text.length(); index++) {
            char character = text.charAt(index);
            if (isDigit(character)) {
                digits.append(character);
            }
        }
        return digits.toString();
    }
}
