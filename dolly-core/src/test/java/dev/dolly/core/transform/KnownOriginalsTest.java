package dev.dolly.core.transform;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class KnownOriginalsTest
{
    private static final List<Identifier> EMAIL = List.of(Identifier.EMAIL, Identifier.WHOLE_VALUE);
    private static final List<Identifier> PHONE = List.of(Identifier.NUMBER, Identifier.WHOLE_VALUE);
    private static final List<Identifier> ADDRESS = List.of(Identifier.STREET_ADDRESS, Identifier.WHOLE_VALUE);
    private static final List<Identifier> IP_ADDRESS = List.of(Identifier.WHOLE_VALUE);

    @Test
    void findsEachKindOfOriginalInsideLongerTexts()
    {
        KnownOriginals originals = chinookLike();

        assertThat(originals.foundIn("contact FRANK.Harris@example.com after 5pm")).contains(Identifier.EMAIL);
        assertThat(originals.foundIn("rang +1 204 452 6452 twice")).contains(Identifier.NUMBER);
        assertThat(originals.foundIn("rang 1-204-452-6452")).contains(Identifier.NUMBER);
        assertThat(originals.foundIn("ship to 700 W Pender Street, please")).contains(Identifier.STREET_ADDRESS);
        assertThat(originals.foundIn("10.1.2.3")).contains(Identifier.WHOLE_VALUE);
        assertThat(originals.foundIn("Frank.Harris@example.com")).contains(Identifier.WHOLE_VALUE);
        assertThat(originals.foundIn("452-645")).contains(Identifier.WHOLE_VALUE);
    }

    @Test
    void findsNothingInTextsThatHoldNoOriginal()
    {
        KnownOriginals originals = chinookLike();

        // other emails, numbers and addresses, a number too short to identify anyone, an IP inside a text (whole values only)
        for (String text : List.of("", "paid", "contact astrid@example.org", "rang +1 204 452 6453", "order 452645", "700 W Pender Road",
                "from 10.1.2.3 at noon", "frank harris", "@@@ 123")) {
            assertThat(originals.foundIn(text)).as(text).isEmpty();
        }
    }

    @Test
    void findsWhatIdentifierFindsOnTheSameKeys()
    {
        KnownOriginals originals = chinookLike();
        Set<String> emails = Set.of("frank.harris@example.com");
        Set<String> numbers = Set.of("12044526452");
        for (String text : List.of("write to Frank.Harris@Example.com", "12044526452", "(1) 204.452.6452", "1204452645", "frank.harris@example.co")) {
            boolean expected = Identifier.EMAIL.finds(text, emails) || Identifier.NUMBER.finds(text, numbers);
            assertThat(originals.foundIn(text).isPresent()).as(text).isEqualTo(expected);
        }
    }

    @Test
    void anIpAddressIsNoNumberThoughItsDigitsAreAPhoneNumbers()
    {
        KnownOriginals originals = new KnownOriginals();
        originals.add(PHONE, "+1 921 681 0123");

        assertThat(originals.foundIn("from 192.168.101.23")).isEmpty();
        assertThat(Identifier.NUMBER.finds("from 192.168.101.23", Set.of("19216810123"))).isFalse();
        // positive control: the same digits written as a phone number are found
        assertThat(originals.foundIn("call 1 921 681 0123")).contains(Identifier.NUMBER);
        assertThat(Identifier.NUMBER.finds("call 1 921 681 0123", Set.of("19216810123"))).isTrue();
    }

    @Test
    void everyOriginalIsKnownAsAWholeValueButOnlyIdentifyingOnesAreSearchedInTexts()
    {
        KnownOriginals originals = new KnownOriginals(1);
        originals.add(List.of(), "Frank");
        originals.add(EMAIL, "Frank.Harris@example.com");
        originals.add(IP_ADDRESS, "10.1.2.3");

        for (String original : List.of("Frank", "Frank.Harris@example.com", "10.1.2.3")) {
            assertThat(originals.isOriginal(original)).as(original).isTrue();
        }
        // a name identifies no one by itself: found as a whole value, never searched inside texts
        assertThat(originals.foundIn("Frank")).isEmpty();
        assertThat(originals.foundIn("Frank.Harris@example.com")).contains(Identifier.WHOLE_VALUE);
        // whole values only, written exactly
        for (String other : List.of("frank", "Frank ", "Astrid", "10.1.2.30", "")) {
            assertThat(originals.isOriginal(other)).as(other).isFalse();
        }
        originals.close();
    }

    @Test
    void namesAloneLeaveTheTextsUnsearched()
    {
        KnownOriginals originals = new KnownOriginals();
        originals.add(List.of(), "Frank");
        assertThat(originals.isEmpty()).isTrue();
        assertThat(originals.isOriginal("Frank")).isTrue();
    }

    @Test
    void nothingIsAddedOnceTheSearchHasBegun()
    {
        KnownOriginals originals = new KnownOriginals();
        assertThat(originals.isEmpty()).isTrue();
        originals.add(EMAIL, "frank.harris@example.com");
        assertThat(originals.isEmpty()).isFalse();
        assertThat(originals.foundIn("text")).isEmpty();
        assertThatThrownBy(() -> originals.add(EMAIL, "astrid@example.org")).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void hashesSpreadKeysThatDifferInOneCharacter()
    {
        assertThat(KeyHash.of("12044526452")).isNotEqualTo(KeyHash.of("12044526453"));
        assertThat(KeyHash.of("ab")).isNotEqualTo(KeyHash.of("ba"));
        assertThat(KeyHash.of("")).isNotEqualTo(KeyHash.of("\0"));
    }

    @Test
    void withItsKeysInWorkFilesTheSearchFindsTheSameAndTheFilesGoOnClose()
            throws Exception
    {
        Set<Path> before = leakCheckDirectories();
        KnownOriginals inFiles = chinookLike(new KnownOriginals(1));
        KnownOriginals onTheHeap = chinookLike(new KnownOriginals());
        for (String text : List.of("contact FRANK.Harris@example.com after 5pm", "rang 1-204-452-6452", "ship to 700 W Pender Street, please", "10.1.2.3",
                "452-645", "", "paid", "contact astrid@example.org", "rang +1 204 452 6453", "700 W Pender Road", "from 10.1.2.3 at noon")) {
            assertThat(inFiles.foundIn(text)).as(text).isEqualTo(onTheHeap.foundIn(text));
        }
        assertThat(inFiles.foundIn("ship to 700 W Pender Street, please")).contains(Identifier.STREET_ADDRESS);
        // the directories this search made (others may come and go on the machine meanwhile)
        Set<Path> made = new HashSet<>(leakCheckDirectories());
        made.removeAll(before);
        assertThat(made).isNotEmpty();
        inFiles.close();
        onTheHeap.close();
        assertThat(made).allSatisfy(directory -> assertThat(directory).doesNotExist());
    }

    private static Set<Path> leakCheckDirectories()
            throws IOException
    {
        try (Stream<Path> files = Files.list(Path.of(System.getProperty("java.io.tmpdir")))) {
            return files.filter(file -> file.getFileName().toString().startsWith("dolly-leak-check-")).collect(Collectors.toSet());
        }
    }

    private static KnownOriginals chinookLike()
    {
        return chinookLike(new KnownOriginals());
    }

    private static KnownOriginals chinookLike(KnownOriginals originals)
    {
        originals.add(EMAIL, "Frank.Harris@example.com");
        originals.add(PHONE, "+1 (204) 452-6452");
        // too few digits to be searched inside texts: found only as a whole value
        originals.add(PHONE, "452-645");
        originals.add(ADDRESS, "700 W Pender Street");
        originals.add(IP_ADDRESS, "10.1.2.3");
        return originals;
    }
}
