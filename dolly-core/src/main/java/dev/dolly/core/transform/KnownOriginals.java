package dev.dolly.core.transform;

import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static java.util.Objects.requireNonNull;

/**
 * The originals the leak check searches for, gathered from every row before the subset. Those that identify someone by
 * themselves are searched for in any text, as {@link Identifier} says, in one pass over each value: the whole value, its
 * email-like tokens, its number-like tokens and the original addresses inside it. Every original of a leak-checked
 * column, names too, is also searched for as a whole value among the fakes drawn and in the masked columns
 * ({@link #isOriginal}). Emails, numbers and whole values are kept as 64-bit hashes
 * of their keys ({@link Identifier#originalKey}, {@link KeyHash}) in {@link SortedKeys}, addresses by
 * {@link AddressSearch}: the heap holds a bounded part of them, whatever their number, the rest is in work files the
 * page cache keeps, deleted on {@link #close}. Searched in the daemon as the values stream past, where each engine's
 * regular expressions took a statement per column and identifier (2.5 s of a transform of 8.6 s at 100 MB).
 *
 * <p>Two different keys may share a hash: a text holding neither original would then fail the check, never pass one
 * that holds an original. With 64 bits that takes some billions of billions of pairs.
 */
final class KnownOriginals
        implements AutoCloseable
{
    private static final List<Identifier> HASHED = List.of(Identifier.WHOLE_VALUE, Identifier.EMAIL, Identifier.NUMBER);

    private final Map<Identifier, SortedKeys> hashes = new EnumMap<>(Identifier.class);
    /**
     * The hashes of the leak-checked originals that identify no one by themselves (first names, say); those that do are
     * among the {@link Identifier#WHOLE_VALUE} hashes.
     */
    private final SortedKeys otherOriginals;
    private final AddressSearch addresses;
    /** Set by the first search, once every key is sorted: from then on nothing changes and searches may run at once. */
    private volatile boolean sealed;

    KnownOriginals()
    {
        this(SortedKeys.DEFAULT_RUN_SIZE);
    }

    /** With runs of {@code runSize} keys (small in tests, to write the keys to files). */
    KnownOriginals(int runSize)
    {
        HASHED.forEach(identifier -> hashes.put(identifier, new SortedKeys(runSize)));
        otherOriginals = new SortedKeys(runSize);
        addresses = new AddressSearch(runSize);
    }

    /**
     * Adds an original of a leak-checked column, to be searched as each of {@code identifiers} says (none: only as a whole
     * value of a masked column).
     */
    void add(List<Identifier> identifiers, String original)
    {
        requireNonNull(original, "original is null");
        if (sealed) {
            throw new IllegalStateException("Originals cannot be added once the search has begun");
        }
        if (!identifiers.contains(Identifier.WHOLE_VALUE)) {
            otherOriginals.add(KeyHash.of(original));
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
                hashes.get(identifier).add(KeyHash.of(key.get()));
            }
        }
    }

    /** Whether no original identifies someone by itself: no text needs searching. */
    boolean isEmpty()
    {
        return addresses.isEmpty() && hashes.values().stream().allMatch(SortedKeys::isEmpty);
    }

    /** Whether the value is, as a whole, an original of a leak-checked column. */
    boolean isOriginal(String value)
    {
        if (!sealed) {
            seal();
        }
        long hash = KeyHash.of(value);
        return hashes.get(Identifier.WHOLE_VALUE).contains(hash) || otherOriginals.contains(hash);
    }

    /** What the text holds of the originals, if anything: the first search that finds one. */
    Optional<Identifier> foundIn(String text)
    {
        if (!sealed) {
            seal();
        }
        if (hashes.get(Identifier.WHOLE_VALUE).contains(KeyHash.of(text))) {
            return Optional.of(Identifier.WHOLE_VALUE);
        }
        for (Identifier identifier : List.of(Identifier.EMAIL, Identifier.NUMBER)) {
            SortedKeys kept = hashes.get(identifier);
            if (!kept.isEmpty() && identifier.anyTokenKey(text, key -> kept.contains(KeyHash.of(key)))) {
                return Optional.of(identifier);
            }
        }
        if (addresses.foundIn(text)) {
            return Optional.of(Identifier.STREET_ADDRESS);
        }
        return Optional.empty();
    }

    private synchronized void seal()
    {
        if (!sealed) {
            hashes.values().forEach(SortedKeys::seal);
            otherOriginals.seal();
            addresses.seal();
            sealed = true;
        }
    }

    /** Deletes the work files. */
    @Override
    public void close()
    {
        hashes.values().forEach(SortedKeys::close);
        otherOriginals.close();
        addresses.close();
    }
}
