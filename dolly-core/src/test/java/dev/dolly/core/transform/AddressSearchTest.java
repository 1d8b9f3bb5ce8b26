package dev.dolly.core.transform;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/** The search for original addresses inside texts finds what {@link Identifier#STREET_ADDRESS} says, and only that. */
class AddressSearchTest
{
    @Test
    void findsAnAddressAnywhereInATextWhateverItsCase()
    {
        AddressSearch search = AddressSearch.of(List.of("Theodor-Heuss-Straße 34", "Av. Brigadeiro Faria Lima, 2170"));
        assertThat(search.foundIn("Ship to THEODOR-HEUSS-STRASSE 34? no: theodor-heuss-straße 34, 2nd floor")).isTrue();
        assertThat(search.foundIn("av. brigadeiro faria lima, 2170")).isTrue();
        assertThat(search.foundIn("at the end: Av. Brigadeiro Faria Lima, 2170")).isTrue();
        assertThat(search.foundIn("Theodor-Heuss-Straße 35")).isFalse();
        assertThat(search.foundIn("Av. Brigadeiro Faria Lima, 217")).isFalse();
        assertThat(search.foundIn("short")).isFalse();
        assertThat(search.foundIn("")).isFalse();
    }

    @Test
    void addressesTooShortToSearchInsideTextsAreLeftToTheWholeValueCheck()
    {
        AddressSearch search = AddressSearch.of(List.of("Main 1"));
        assertThat(search.isEmpty()).isTrue();
        assertThat(search.foundIn("lives at Main 1, upstairs")).isFalse();
        assertThat(AddressSearch.of(List.of()).foundIn("anything at all")).isFalse();
    }

    @Test
    void addressesThatBeginAlikeAreEachFound()
    {
        AddressSearch search = AddressSearch.of(List.of("1234 Oak Street", "1234 Oak Avenue", "1234 Oak S"));
        assertThat(search.foundIn("moved from 1234 oak avenue last year")).isTrue();
        assertThat(search.foundIn("1234 Oak Boulevard")).isFalse();
        assertThat(search.foundIn("1234 Oak Sq")).isTrue();
    }

    @Test
    void findsWhatTheRuleFindsOnManyGeneratedTexts()
    {
        Random random = new Random(42);
        String[] words = {"Oak", "Maple", "Street", "Avenue", "12", "345", "Rua", "das", "Flores", "no.", "7", "Straße", "Ap", "São"};
        List<String> originals = new ArrayList<>();
        for (int index = 0; index < 300; index++) {
            originals.add(phrase(random, words, 2 + random.nextInt(3)));
        }
        Set<String> keys = new HashSet<>();
        originals.forEach(original -> Identifier.STREET_ADDRESS.originalKey(original).ifPresent(keys::add));
        AddressSearch search = AddressSearch.of(originals);
        // the same addresses with their keys in work files, sixteen keys a run
        AddressSearch inFiles = new AddressSearch(16);
        originals.forEach(inFiles::add);
        inFiles.seal();
        int found = 0;
        for (int index = 0; index < 3_000; index++) {
            String text = phrase(random, words, 1 + random.nextInt(8));
            boolean expected = Identifier.STREET_ADDRESS.finds(text, keys);
            assertThat(search.foundIn(text)).as(text).isEqualTo(expected);
            assertThat(inFiles.foundIn(text)).as(text).isEqualTo(expected);
            found += expected ? 1 : 0;
        }
        search.close();
        inFiles.close();
        // both answers occur, so the comparison means something
        assertThat(found).isBetween(100, 2_900);
    }

    private static String phrase(Random random, String[] words, int length)
    {
        StringBuilder phrase = new StringBuilder();
        for (int index = 0; index < length; index++) {
            String word = words[random.nextInt(words.length)];
            phrase.append(index == 0 ? "" : " ").append(random.nextBoolean() ? word : word.toUpperCase(java.util.Locale.ROOT));
        }
        return phrase.toString();
    }
}
