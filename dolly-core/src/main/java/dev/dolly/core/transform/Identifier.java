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
 * also inside a longer text ("contact frank@example.com after 5pm"). {@link KnownOriginals} searches for the
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
    /** The shortest token {@link #NUMBER_PATTERN} matches: a digit, five digits or separators, a digit. */
    private static final int MINIMUM_NUMBER_TOKEN_LENGTH = 7;

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
        return switch (this) {
            case EMAIL -> anyEmailTokenKey(text, isOriginalKey);
            case NUMBER -> anyNumberTokenKey(text, isOriginalKey);
            case STREET_ADDRESS, WHOLE_VALUE -> throw new IllegalStateException(this + " does not search tokens");
        };
    }

    private boolean anyEmailTokenKey(String text, Predicate<String> isOriginalKey)
    {
        if (text.indexOf('@') < 0) {
            return false;
        }
        Matcher tokens = EMAIL_TOKEN.matcher(text);
        while (tokens.find()) {
            Optional<String> key = originalKey(tokens.group());
            if (key.isPresent() && isOriginalKey.test(key.get())) {
                return true;
            }
        }
        return false;
    }

    /**
     * The tokens {@link #NUMBER_PATTERN} finds, found by hand: the regular expression's search tried the pattern at every
     * character of every text the leak check reads, and took most of its time. From a digit, the pattern takes the run of
     * digits and separators that follows and gives back up to its last digit: a token when that makes at least
     * {@code 1 + 5 + 1} characters. A later start in the same run ends at the same digit and is shorter, so the search
     * goes on after the run.
     */
    private boolean anyNumberTokenKey(String text, Predicate<String> isOriginalKey)
    {
        int length = text.length();
        int start = 0;
        while (start < length) {
            if (!isDigit(text.charAt(start))) {
                start++;
                continue;
            }
            int end = start + 1;
            int lastDigit = start;
            while (end < length && isNumberCharacter(text.charAt(end))) {
                if (isDigit(text.charAt(end))) {
                    lastDigit = end;
                }
                end++;
            }
            if (lastDigit - start + 1 >= MINIMUM_NUMBER_TOKEN_LENGTH) {
                String token = text.substring(start, lastDigit + 1);
                if (!IPV4_ADDRESS.matcher(token).matches()) {
                    Optional<String> key = originalKey(token);
                    if (key.isPresent() && isOriginalKey.test(key.get())) {
                        return true;
                    }
                }
            }
            start = end;
        }
        return false;
    }

    /** A character of {@link #NUMBER_PATTERN}'s middle: a digit or a separator. */
    private static boolean isNumberCharacter(char character)
    {
        return isDigit(character) || character == ' ' || character == '(' || character == ')' || character == '.' || character == '/' || character == '-';
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
