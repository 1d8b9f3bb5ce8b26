package dev.dolly.core.transform;

import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static java.util.Objects.requireNonNull;

/**
 * The originals that identify someone by themselves, gathered from every row before the subset, and the search of any
 * text for them, as {@link Identifier} says, in one pass over each value: the whole value, its email-like tokens, its
 * number-like tokens and the original addresses inside it. Emails, numbers and whole values are kept as 64-bit hashes
 * of their keys ({@link Identifier#originalKey}, {@link KeyHash}) in {@link SortedKeys}, addresses by
 * {@link AddressSearch}: the heap holds a bounded part of them, whatever their number, the rest is in work files the
 * page cache keeps, deleted on {@link #close}. Searched in the daemon as the values stream past, where each engine's
 * regular expressions took a statement per column and identifier (2.5 s of a transform of 8.6 s at 100 MB).
 *
 * <p>Two different keys may share a hash: a text holding neither original would then fail the check, never pass one
 * that holds an original. With 64 bits that takes some billions of billions of pairs.
 */
final class IdentifyingOriginals
        implements AutoCloseable
{
    private static final List<Identifier> HASHED = List.of(Identifier.WHOLE_VALUE, Identifier.EMAIL, Identifier.NUMBER);

    private final Map<Identifier, SortedKeys> hashes = new EnumMap<>(Identifier.class);
    private final AddressSearch addresses;
    /** Set by the first search, once every key is sorted: from then on nothing changes and searches may run at once. */
    private volatile boolean sealed;

    IdentifyingOriginals()
    {
        this(SortedKeys.DEFAULT_RUN_SIZE);
    }

    /** With runs of {@code runSize} keys (small in tests, to write the keys to files). */
    IdentifyingOriginals(int runSize)
    {
        HASHED.forEach(identifier -> hashes.put(identifier, new SortedKeys(runSize)));
        addresses = new AddressSearch(runSize);
    }

    /** Adds an original, to be searched as each of {@code identifiers} says. */
    void add(List<Identifier> identifiers, String original)
    {
        requireNonNull(original, "original is null");
        if (sealed) {
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
                hashes.get(identifier).add(KeyHash.of(key.get()));
            }
        }
    }

    boolean isEmpty()
    {
        return addresses.isEmpty() && hashes.values().stream().allMatch(SortedKeys::isEmpty);
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
            addresses.seal();
            sealed = true;
        }
    }

    /** Deletes the work files. */
    @Override
    public void close()
    {
        hashes.values().forEach(SortedKeys::close);
        addresses.close();
    }
}
