package dev.dolly.core.transform;

import org.junit.jupiter.api.Test;

import java.util.Set;

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
    void thePatternsReadTheSameInEverySqlDialect()
    {
        // no backslash (MariaDB's string literals would eat it) and no quote (they are pasted into SQL literals)
        for (String pattern : new String[] {Identifier.EMAIL_PATTERN, Identifier.NUMBER_PATTERN}) {
            assertThat(pattern).doesNotContain("\\").doesNotContain("'");
        }
    }
}
