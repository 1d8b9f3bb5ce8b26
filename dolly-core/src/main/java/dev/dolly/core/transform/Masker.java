package dev.dolly.core.transform;

import net.datafaker.Faker;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Random;
import java.util.concurrent.atomic.AtomicBoolean;

import static java.util.Objects.requireNonNull;

/**
 * Computes the fake of an original value, deterministically: a keyed HMAC-SHA256 of the transformer, the attempt
 * and the value (the key is the salt) seeds the generator, so the same value becomes the same fake in every column and
 * every build with the same salt, and nothing about the value can be learnt from the fake without the salt. A fake
 * that must be drawn again (it equals an original, or repeats in a unique column) is drawn with the next attempt;
 * from {@link #WIDENED_ATTEMPT} on, the fake gets a part of its own from the seed, so that small vocabularies (first
 * names, cities) cannot run out. Safe for use from several threads.
 */
public final class Masker
{
    /** From this attempt on, fakes are widened with a part drawn from the seed. */
    static final int WIDENED_ATTEMPT = 4;

    private static final String[] SYLLABLES = {"ka", "lo", "mi", "ne", "ra", "to", "vi", "sa", "de", "ju", "ber", "lin", "mar", "dor", "fen", "gal",
            "hol", "ker", "tan", "wen", "zor", "pel", "qui", "ros"};

    private static final AtomicBoolean PRELOADING = new AtomicBoolean();

    private final byte[] salt;
    private final ThreadLocal<Generator> generators;

    /**
     * Loads the fake generators' classes and vocabularies (Datafaker's data files) on a thread of its own, once per
     * process, so that a build's first fakes do not wait for them: called when a build with a transform starts, to
     * overlap its restore. The first generator of a process took 440 ms before it gave its first fakes; later ones 10 ms.
     */
    public static void preloadInBackground()
    {
        if (PRELOADING.compareAndSet(false, true)) {
            Thread.ofVirtual().name("dolly-fakes-preload").start(() -> {
                Faker faker = new Faker(Locale.ENGLISH, new Random(0));
                faker.name().fullName();
                faker.internet().emailAddress();
                faker.phoneNumber().phoneNumber();
                faker.address().streetAddress();
                faker.address().city();
                faker.address().zipCode();
                faker.company().name();
                faker.internet().ipV4Address();
                faker.lorem().sentence();
            });
        }
    }

    public Masker(byte[] salt)
    {
        requireNonNull(salt, "salt is null");
        if (salt.length == 0) {
            throw new IllegalArgumentException("The salt is empty");
        }
        this.salt = salt.clone();
        this.generators = ThreadLocal.withInitial(() -> new Generator(this.salt));
    }

    /**
     * @param attempt 0 for the first draw, more for the draws after a collision
     * @param maxLength the column's length limit, 0 for none: longer fakes are cut
     */
    public String fake(Transformer transformer, String original, int attempt, int maxLength)
    {
        requireNonNull(transformer, "transformer is null");
        requireNonNull(original, "original is null");
        Generator generator = generators.get();
        byte[] digest = generator.digest(transformer.spec() + "\u0000" + attempt + "\u0000" + original);
        long seed = ByteBuffer.wrap(digest).getLong();
        generator.random.setSeed(seed);
        Faker faker = generator.faker;
        boolean widened = attempt >= WIDENED_ATTEMPT;
        String fake = switch (transformer.kind()) {
            case FIRST_NAME -> widened ? syllableName(generator.random) : faker.name().firstName();
            case LAST_NAME -> widened ? syllableName(generator.random) : faker.name().lastName();
            case FULL_NAME -> widened ? syllableName(generator.random) + " " + syllableName(generator.random) : faker.name().fullName();
            case EMAIL -> {
                String email = faker.internet().emailAddress();
                int at = email.indexOf('@');
                yield widened && at > 0 ? email.substring(0, at) + "." + suffix(digest) + email.substring(at) : email;
            }
            case PHONE -> widened ? faker.numerify("+1 ###-###-####") : faker.phoneNumber().phoneNumber();
            case STREET_ADDRESS -> faker.address().streetAddress() + (widened ? " " + suffix(digest) : "");
            case CITY -> widened ? syllableName(generator.random) : faker.address().city();
            case POSTCODE -> widened ? faker.numerify("#####-####") : faker.address().zipCode();
            case COUNTRY -> faker.address().country();
            case COMPANY -> faker.company().name() + (widened ? " " + syllableName(generator.random) : "");
            case IPV4 -> faker.internet().ipV4Address();
            case IPV6 -> faker.internet().ipV6Address();
            case CREDIT_CARD -> creditCard(original, generator.random);
            case LOREM -> lorem(faker, original.length());
            case DATE_NOISE -> shiftDate(original, Integer.parseInt(transformer.arguments().getFirst().strip()), generator.random);
            case NUMBER_NOISE -> shiftNumber(original, new BigDecimal(transformer.arguments().getFirst().strip()), generator.random);
            case HASH -> HexFormat.of().formatHex(generator.digest("hash\u0000" + original)).substring(0, 32);
            case REDACT -> redact(original);
            case REGEX -> original.replaceAll(transformer.arguments().get(0), transformer.arguments().get(1));
            case CONSTANT -> transformer.arguments().getFirst();
            case NULL, KEEP -> throw new IllegalArgumentException(transformer.spec() + " computes no fakes");
        };
        return maxLength > 0 && fake.length() > maxLength ? fake.substring(0, maxLength) : fake;
    }

    private static String suffix(byte[] digest)
    {
        return Long.toString(Math.abs(ByteBuffer.wrap(digest, 8, 8).getLong() % 2_176_782_336L), 36);
    }

    private static String syllableName(Random random)
    {
        StringBuilder name = new StringBuilder();
        int syllables = 3 + random.nextInt(2);
        for (int index = 0; index < syllables; index++) {
            name.append(SYLLABLES[random.nextInt(SYLLABLES.length)]);
        }
        return Character.toUpperCase(name.charAt(0)) + name.substring(1);
    }

    /** A Luhn-valid number with the original's digits count and separators. */
    static String creditCard(String original, Random random)
    {
        long digitCount = original.chars().filter(Character::isDigit).count();
        int length = digitCount >= 12 && digitCount <= 19 ? (int) digitCount : 16;
        int[] digits = new int[length];
        digits[0] = 4;
        for (int index = 1; index < length - 1; index++) {
            digits[index] = random.nextInt(10);
        }
        digits[length - 1] = luhnCheckDigit(digits, length - 1);
        StringBuilder result = new StringBuilder();
        int next = 0;
        if (digitCount == length) {
            for (int index = 0; index < original.length(); index++) {
                char character = original.charAt(index);
                result.append(Character.isDigit(character) ? (char) ('0' + digits[next++]) : character);
            }
            return result.toString();
        }
        for (int digit : digits) {
            result.append(digit);
        }
        return result.toString();
    }

    /** The digit that makes the first {@code count} digits Luhn-valid when appended. */
    static int luhnCheckDigit(int[] digits, int count)
    {
        int sum = 0;
        for (int index = count - 1, position = 0; index >= 0; index--, position++) {
            int digit = digits[index];
            if (position % 2 == 0) {
                digit *= 2;
                if (digit > 9) {
                    digit -= 9;
                }
            }
            sum += digit;
        }
        return (10 - sum % 10) % 10;
    }

    static boolean luhnValid(String number)
    {
        String digits = number.replaceAll("[^0-9]", "");
        int sum = 0;
        for (int index = digits.length() - 1, position = 0; index >= 0; index--, position++) {
            int digit = digits.charAt(index) - '0';
            if (position % 2 == 1) {
                digit *= 2;
                if (digit > 9) {
                    digit -= 9;
                }
            }
            sum += digit;
        }
        return !digits.isEmpty() && sum % 10 == 0;
    }

    private static String lorem(Faker faker, int length)
    {
        StringBuilder text = new StringBuilder();
        while (text.length() < Math.max(1, length)) {
            if (!text.isEmpty()) {
                text.append(' ');
            }
            text.append(faker.lorem().word());
        }
        return text.substring(0, Math.max(1, length));
    }

    /** The date (or the date part of a timestamp, as the database writes it) moved by 1 to {@code days} days either way. */
    static String shiftDate(String original, int days, Random random)
    {
        if (original.length() < 10) {
            return original;
        }
        try {
            LocalDate date = LocalDate.parse(original.substring(0, 10));
            int shift = 1 + random.nextInt(days);
            return date.plusDays(random.nextBoolean() ? shift : -shift) + original.substring(10);
        }
        catch (DateTimeParseException e) {
            return original;
        }
    }

    /** The number changed by up to {@code percent} percent either way, with the original's decimals. */
    static String shiftNumber(String original, BigDecimal percent, Random random)
    {
        BigDecimal value;
        try {
            value = new BigDecimal(original.strip());
        }
        catch (NumberFormatException e) {
            return original;
        }
        double factor = 1 + (random.nextDouble() * 2 - 1) * percent.doubleValue() / 100;
        return value.multiply(BigDecimal.valueOf(factor)).setScale(Math.max(0, value.scale()), RoundingMode.HALF_EVEN).toPlainString();
    }

    private static String redact(String original)
    {
        StringBuilder redacted = new StringBuilder(original.length());
        original.codePoints().forEach(codePoint -> {
            if (Character.isLetter(codePoint)) {
                redacted.append('x');
            }
            else if (Character.isDigit(codePoint)) {
                redacted.append('0');
            }
            else {
                redacted.appendCodePoint(codePoint);
            }
        });
        return redacted.toString();
    }

    /** One thread's generator and HMAC. */
    private static final class Generator
    {
        final Random random = new Random();
        final Faker faker = new Faker(Locale.ENGLISH, random);
        private final Mac mac;

        Generator(byte[] salt)
        {
            try {
                mac = Mac.getInstance("HmacSHA256");
                mac.init(new SecretKeySpec(salt, "HmacSHA256"));
            }
            catch (GeneralSecurityException e) {
                throw new IllegalStateException("HMAC-SHA256 is not available", e);
            }
        }

        byte[] digest(String message)
        {
            return mac.doFinal(message.getBytes(StandardCharsets.UTF_8));
        }
    }
}
