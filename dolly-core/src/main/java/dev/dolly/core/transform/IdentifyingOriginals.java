package dev.dolly.core.transform;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static java.util.Objects.requireNonNull;

/**
 * The originals that identify someone by themselves, gathered from every row before the subset, and the search of any
 * text for them, as {@link Identifier} says, in one pass over each value: the whole value, its email-like tokens, its
 * number-like tokens and the original addresses inside it. Emails, numbers and whole values are kept as 64-bit hashes
 * of their keys ({@link Identifier#originalKey}) in sorted arrays, 8 bytes each; addresses as text, for
 * {@link AddressSearch}. Searched in the daemon as the values stream past, where each engine's regular expressions
 * took a statement per column and identifier (2.5 s of a transform of 8.6 s at 100 MB).
 *
 * <p>Two different keys may share a hash: a text holding neither original would then fail the check, never pass one
 * that holds an original. With 64 bits that takes some billions of billions of pairs.
 */
final class IdentifyingOriginals
{
    private static final List<Identifier> HASHED = List.of(Identifier.WHOLE_VALUE, Identifier.EMAIL, Identifier.NUMBER);

    private final Map<Identifier, Hashes> hashes = new EnumMap<>(Identifier.class);
    private final List<String> addresses = new ArrayList<>();
    /** Set, after the hashes are sorted, by the first search: from then on nothing changes and searches may run at once. */
    private volatile AddressSearch addressSearch;

    IdentifyingOriginals()
    {
        HASHED.forEach(identifier -> hashes.put(identifier, new Hashes()));
    }

    /** Adds an original, to be searched as each of {@code identifiers} says. */
    void add(List<Identifier> identifiers, String original)
    {
        requireNonNull(original, "original is null");
        if (addressSearch != null) {
            throw new IllegalStateException("Originals cannot be added once the search has begun");
        }
        for (Identifier identifier : identifiers) {
            Optional<String> key = identifier.originalKey(original);
            if (key.isEmpty()) {
                continue;
            }
            if (identifier == Identifier.STREET_ADDRESS) {
                addresses.add(key.get());
            }
            else {
                hashes.get(identifier).add(hash(key.get()));
            }
        }
    }

    boolean isEmpty()
    {
        return addresses.isEmpty() && hashes.values().stream().allMatch(Hashes::isEmpty);
    }

    /** What the text holds of the originals, if anything: the first search that finds one. */
    Optional<Identifier> foundIn(String text)
    {
        AddressSearch search = addressSearch;
        if (search == null) {
            search = sealed();
        }
        if (hashes.get(Identifier.WHOLE_VALUE).contains(hash(text))) {
            return Optional.of(Identifier.WHOLE_VALUE);
        }
        for (Identifier identifier : List.of(Identifier.EMAIL, Identifier.NUMBER)) {
            Hashes kept = hashes.get(identifier);
            if (!kept.isEmpty() && identifier.anyTokenKey(text, key -> kept.contains(hash(key)))) {
                return Optional.of(identifier);
            }
        }
        if (search.foundIn(text)) {
            return Optional.of(Identifier.STREET_ADDRESS);
        }
        return Optional.empty();
    }

    private synchronized AddressSearch sealed()
    {
        if (addressSearch == null) {
            hashes.values().forEach(Hashes::seal);
            addressSearch = new AddressSearch(addresses);
            addresses.clear();
        }
        return addressSearch;
    }

    /** FNV-1a over the characters, then MurmurHash3's finalizer, which spreads every bit over the whole hash. */
    static long hash(String key)
    {
        long hash = 0xcbf29ce484222325L;
        for (int index = 0; index < key.length(); index++) {
            hash ^= key.charAt(index);
            hash *= 0x100000001b3L;
        }
        hash ^= hash >>> 33;
        hash *= 0xff51afd7ed558ccdL;
        hash ^= hash >>> 33;
        hash *= 0xc4ceb9fe1a85ec53L;
        hash ^= hash >>> 33;
        return hash;
    }

    /** A growing array of hashes, sorted once before the first lookup. */
    private static final class Hashes
    {
        private long[] values = new long[1024];
        private int size;
        private boolean sealed;

        void add(long hash)
        {
            if (size == values.length) {
                values = Arrays.copyOf(values, size * 2);
            }
            values[size++] = hash;
        }

        boolean isEmpty()
        {
            return size == 0;
        }

        void seal()
        {
            if (!sealed) {
                values = Arrays.copyOf(values, size);
                Arrays.sort(values);
                sealed = true;
            }
        }

        boolean contains(long hash)
        {
            return size > 0 && Arrays.binarySearch(values, 0, size, hash) >= 0;
        }
    }
}
