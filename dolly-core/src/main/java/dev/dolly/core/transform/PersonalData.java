package dev.dolly.core.transform;

import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Whether a column looks personal, by its name and by a sample of its content: emails, phone numbers, names,
 * addresses, IP addresses, card numbers.
 */
final class PersonalData
{
    static final int SAMPLE_SIZE = 200;

    private static final Pattern NAME = Pattern.compile(
            "(?i).*(e_?mail|phone|fax|mobile|cell|first_?name|last_?name|given_?name|family_?name|surname|full_?name|birth|address|street|"
                    + "zip|postal_?code|post_?code|ssn|passport|iban|card_?number|credit_?card|ip_?address|national_?id|tax_?id).*");
    private static final Pattern EMAIL = Pattern.compile("[^@\\s]+@[^@\\s]+\\.[A-Za-z]{2,}");
    private static final Pattern PHONE = Pattern.compile("\\+?[0-9 ()./-]{7,20}");
    private static final Pattern IPV4 = Pattern.compile("(?:[0-9]{1,3}\\.){3}[0-9]{1,3}");
    private static final Pattern CARD = Pattern.compile("[0-9]{4}[ -]?[0-9]{4}[ -]?[0-9]{4}[ -]?[0-9]{1,7}");

    private PersonalData() {}

    static boolean looksPersonal(String columnName, List<String> sample)
    {
        if (NAME.matcher(columnName.toLowerCase(Locale.ROOT)).matches()) {
            return true;
        }
        if (sample.isEmpty()) {
            return false;
        }
        long emails = sample.stream().filter(value -> EMAIL.matcher(value.strip()).matches()).count();
        long ips = sample.stream().filter(value -> IPV4.matcher(value.strip()).matches()).count();
        long cards = sample.stream().filter(value -> CARD.matcher(value.strip()).matches() && Masker.luhnValid(value)).count();
        long phones = sample.stream().filter(value -> PHONE.matcher(value.strip()).matches() && value.chars().filter(Character::isDigit).count() >= 7
                && (value.contains(" ") || value.contains("-") || value.contains("(") || value.startsWith("+"))).count();
        // most of the sample: a column of card numbers, not a column where one row quotes one
        return Math.max(Math.max(emails, ips), Math.max(cards, phones)) * 2 > sample.size();
    }
}
