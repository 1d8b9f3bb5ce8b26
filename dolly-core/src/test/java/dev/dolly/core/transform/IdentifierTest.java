package dev.dolly.core.transform;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/** What the leak check's searches find: the same rules each engine runs in SQL. */
class IdentifierTest
{
    @Test
    void findsAnOriginalEmailInsideALongerTextWhateverItsCase()
    {
        Set<String> originals = Set.of(Identifier.EMAIL.originalKey("Frank.Harris@example.com").orElseThrow());
        assertThat(Identifier.EMAIL.finds("contact frank.harris@EXAMPLE.com after 5pm", originals)).isTrue();
        assertThat(Identifier.EMAIL.finds("two addresses: a@b.org, Frank.Harris@example.com.", originals)).isTrue();
        assertThat(Identifier.EMAIL.finds("frank.harris@example.com", originals)).isTrue();
        // another address, and a longer one that merely ends like it, are not the original
        assertThat(Identifier.EMAIL.finds("contact nobody@example.com", originals)).isFalse();
        assertThat(Identifier.EMAIL.finds("contact xfrank.harris@example.com", originals)).isFalse();
        assertThat(Identifier.EMAIL.finds("Frank Harris, example.com", originals)).isFalse();
    }

    @Test
    void findsAnOriginalNumberByItsDigitsWhateverItsSeparators()
    {
        Set<String> originals = Set.of(Identifier.NUMBER.originalKey("+1 (204) 452-6452").orElseThrow(),
                Identifier.NUMBER.originalKey("4539 1488 0343 6467").orElseThrow());
        assertThat(Identifier.NUMBER.finds("call 1-204-452-6452 before noon", originals)).isTrue();
        assertThat(Identifier.NUMBER.finds("paid with card 4539148803436467, thanks", originals)).isTrue();
        assertThat(Identifier.NUMBER.finds("call 1.204.452.6453", originals)).isFalse();
        assertThat(Identifier.NUMBER.finds("track 12, 3:45", originals)).isFalse();
        // too few digits to search inside texts: such a number is everywhere
        assertThat(Identifier.NUMBER.originalKey("452-64")).isEmpty();
    }

    @Test
    void findsAnOriginalAddressAsASubstring()
    {
        Set<String> originals = Set.of(Identifier.STREET_ADDRESS.originalKey("Theodor-Heuss-Straße 34").orElseThrow());
        assertThat(Identifier.STREET_ADDRESS.finds("Ship to THEODOR-HEUSS-STRASSE 34? no: theodor-heuss-straße 34, 2nd floor", originals)).isTrue();
        assertThat(Identifier.STREET_ADDRESS.finds("Theodor-Heuss-Straße 35", originals)).isFalse();
        assertThat(Identifier.STREET_ADDRESS.originalKey("Main 1")).isEmpty();
    }

    @Test
    void eachIdentifyingTransformerIsSearchedAlsoAsAWholeValue()
    {
        assertThat(Identifier.of(Transformer.parse("internet.emailAddress", "mask.a.b"))).containsExactly(Identifier.EMAIL, Identifier.WHOLE_VALUE);
        assertThat(Identifier.of(Transformer.parse("phone.phoneNumber", "mask.a.b"))).containsExactly(Identifier.NUMBER, Identifier.WHOLE_VALUE);
        assertThat(Identifier.of(Transformer.parse("finance.creditCard", "mask.a.b"))).containsExactly(Identifier.NUMBER, Identifier.WHOLE_VALUE);
        assertThat(Identifier.of(Transformer.parse("address.streetAddress", "mask.a.b"))).containsExactly(Identifier.STREET_ADDRESS, Identifier.WHOLE_VALUE);
        assertThat(Identifier.of(Transformer.parse("internet.ipV4Address", "mask.a.b"))).containsExactly(Identifier.WHOLE_VALUE);
        // a first name is searched only in the masked columns: "Frank" is also an album title
        assertThat(Identifier.of(Transformer.parse("person.firstName", "mask.a.b"))).isEmpty();
    }

    @Test
    void theNumberSearchFindsTheTokensOfItsPattern()
    {
        // the search is written by hand for speed: on random texts of digits, separators and other characters it finds
        // exactly the tokens the pattern's own search finds (IPv4 addresses and tokens of fewer than 7 digits aside)
        Pattern pattern = Pattern.compile(Identifier.NUMBER_PATTERN);
        Pattern ipv4 = Pattern.compile("[0-9]{1,3}(?:[.][0-9]{1,3}){3}");
        String alphabet = "0123456789 ()./-x,+";
        Random random = new Random(20261202);
        int texts = 0;
        int withTokens = 0;
        for (; texts < 20_000; texts++) {
            StringBuilder text = new StringBuilder();
            int length = random.nextInt(40);
            for (int index = 0; index < length; index++) {
                // digits most of the time, so that tokens are common
                text.append(random.nextInt(3) == 0 ? alphabet.charAt(10 + random.nextInt(alphabet.length() - 10)) : alphabet.charAt(random.nextInt(10)));
            }
            List<String> expected = new ArrayList<>();
            Matcher matcher = pattern.matcher(text);
            while (matcher.find()) {
                if (!ipv4.matcher(matcher.group()).matches()) {
                    Identifier.NUMBER.originalKey(matcher.group()).ifPresent(expected::add);
                }
            }
            List<String> found = new ArrayList<>();
            assertThat(Identifier.NUMBER.anyTokenKey(text.toString(), key -> !found.add(key))).isFalse();
            assertThat(found).as(text.toString()).isEqualTo(expected);
            withTokens += expected.isEmpty() ? 0 : 1;
        }
        // positive control: the texts held tokens
        assertThat(withTokens).isGreaterThan(texts / 4);
        assertThat(Identifier.NUMBER.anyTokenKey("x 10.1.2.3 and 555-0123-456", "55501234 56"::equals)).isFalse();
        assertThat(Identifier.NUMBER.anyTokenKey("x 10.1.2.3 and 555-0123-456", "5550123456"::equals)).isTrue();
    }

    @Test
    void thePatternsReadTheSameInEverySqlDialect()
    {
        // no backslash (MariaDB's string literals would eat it) and no quote (they are pasted into SQL literals)
        for (String pattern : new String[] {Identifier.EMAIL_PATTERN, Identifier.NUMBER_PATTERN}) {
            assertThat(pattern).doesNotContain("\\").doesNotContain("'");
        }
    }
}
