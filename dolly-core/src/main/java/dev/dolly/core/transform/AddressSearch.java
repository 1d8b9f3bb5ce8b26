package dev.dolly.core.transform;

import java.util.BitSet;
import java.util.Locale;

import static java.util.Objects.requireNonNull;

/**
 * Finds any of many original street addresses inside texts, in lower case, as {@link Identifier#STREET_ADDRESS} says:
 * in time linear in the text, whatever the number of addresses, and with a bounded part of them on the heap. Each
 * address is known by two 64-bit keys, kept in {@link SortedKeys}: a polynomial hash of its first
 * {@value Identifier#MINIMUM_ADDRESS_LENGTH} characters (its window) and a hash of all of them. A rolling hash of every
 * window of that many characters of the text, through a filter of bits and then the windows' keys, picks the few
 * places where an address may start (Rabin and Karp's search for many patterns); there the text is hashed from that
 * place on, and the hash at each length an address has is looked up among the addresses' keys. Two texts that share a
 * hash can only make the check fail on a text that holds no address, never pass one. Comparing every text with every
 * address, as one SQL statement does, took minutes on a database of 100 MB with 28,000 addresses.
 */
final class AddressSearch
        implements AutoCloseable
{
    private static final int WINDOW = Identifier.MINIMUM_ADDRESS_LENGTH;
    private static final long BASE = 1_000_003L;
    /** BASE to the power WINDOW - 1, modulo 2^64: what the character leaving the window contributed. */
    private static final long LEADING_FACTOR;

    static {
        long factor = 1;
        for (int index = 1; index < WINDOW; index++) {
            factor *= BASE;
        }
        LEADING_FACTOR = factor;
    }

    /** One bit per value of the window hash's top bits: most windows of a text start no address, and stop here. */
    private static final int FILTER_BITS = 1 << 22;

    private final long[] filter = new long[FILTER_BITS / Long.SIZE];
    private final SortedKeys windows;
    private final SortedKeys addresses;
    /** The lengths the addresses have, in characters. */
    private final BitSet lengths = new BitSet();

    AddressSearch()
    {
        this(SortedKeys.DEFAULT_RUN_SIZE);
    }

    /** With runs of {@code runSize} keys (small in tests, to write the keys to files). */
    AddressSearch(int runSize)
    {
        windows = new SortedKeys(runSize);
        addresses = new SortedKeys(runSize);
    }

    /** The search for these addresses, ready. */
    static AddressSearch of(Iterable<String> originals)
    {
        requireNonNull(originals, "originals is null");
        AddressSearch search = new AddressSearch();
        originals.forEach(search::add);
        search.seal();
        return search;
    }

    /** Adds an original address; one shorter than the window is searched as a whole value only, not here. */
    void add(String original)
    {
        requireNonNull(original, "original is null");
        String address = original.toLowerCase(Locale.ROOT);
        if (address.length() < WINDOW) {
            return;
        }
        long window = windowHash(address);
        windows.add(window);
        int bit = filterBit(window);
        filter[bit >>> 6] |= 1L << bit;
        addresses.add(KeyHash.of(address));
        lengths.set(address.length());
    }

    /** Sorts the keys for searching; nothing can be added afterwards. */
    void seal()
    {
        windows.seal();
        addresses.seal();
    }

    boolean isEmpty()
    {
        return lengths.isEmpty();
    }

    /** Whether the text, in lower case, holds one of the addresses. */
    boolean foundIn(String text)
    {
        if (text.length() < WINDOW || lengths.isEmpty()) {
            return false;
        }
        String lower = text.toLowerCase(Locale.ROOT);
        long window = windowHash(lower);
        for (int start = 0; ; start++) {
            int bit = filterBit(window);
            if ((filter[bit >>> 6] & (1L << bit)) != 0 && windows.contains(window) && addressAt(lower, start)) {
                return true;
            }
            int next = start + WINDOW;
            if (next >= lower.length()) {
                return false;
            }
            window = (window - lower.charAt(start) * LEADING_FACTOR) * BASE + lower.charAt(next);
        }
    }

    /** Whether an address starts at {@code start}: the text hashed from there, looked up at each length an address has. */
    private boolean addressAt(String lower, int start)
    {
        long state = KeyHash.START;
        int end = start;
        for (int length = lengths.nextSetBit(WINDOW); length >= 0 && start + length <= lower.length(); length = lengths.nextSetBit(length + 1)) {
            while (end < start + length) {
                state = KeyHash.next(state, lower.charAt(end++));
            }
            if (addresses.contains(KeyHash.finish(state))) {
                return true;
            }
        }
        return false;
    }

    @Override
    public void close()
    {
        windows.close();
        addresses.close();
    }

    /** The filter's bit of a window hash: the top bits of a multiplicative hash of it, which mixes all its bits. */
    private static int filterBit(long hash)
    {
        return (int) ((hash * 0x9e3779b97f4a7c15L) >>> (Long.SIZE - Integer.numberOfTrailingZeros(FILTER_BITS)));
    }

    /** The hash of the first {@link #WINDOW} characters. */
    private static long windowHash(String text)
    {
        long hash = 0;
        for (int index = 0; index < WINDOW; index++) {
            hash = hash * BASE + text.charAt(index);
        }
        return hash;
    }
}
