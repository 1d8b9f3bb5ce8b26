package dev.dolly.core.transform;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import static java.util.Objects.requireNonNull;

/**
 * Finds any of many original street addresses inside texts, in lower case, as {@link Identifier#STREET_ADDRESS} says:
 * in time linear in the text, whatever the number of addresses. Each address is filed under a hash of its first
 * {@value Identifier#MINIMUM_ADDRESS_LENGTH} characters; a rolling hash of every window of that many characters of
 * the text picks the few addresses that may start there (Rabin and Karp's search for many patterns), and those are
 * compared in full. Comparing every text with every address, as one SQL statement does, took minutes on a database of
 * 100 MB with 28,000 addresses.
 */
final class AddressSearch
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

    /** One bit per value of the window hash's low bits: most windows of a text start no address, and stop here. */
    private static final int FILTER_BITS = 1 << 22;

    private final Map<Long, List<String>> addressesByWindow = new HashMap<>();
    private final long[] filter = new long[FILTER_BITS / Long.SIZE];

    /** @param originals the original addresses; those shorter than the window are searched as whole values only, not here */
    AddressSearch(Iterable<String> originals)
    {
        requireNonNull(originals, "originals is null");
        for (String original : originals) {
            String address = original.toLowerCase(Locale.ROOT);
            if (address.length() >= WINDOW) {
                long hash = hash(address);
                addressesByWindow.computeIfAbsent(hash, ignored -> new ArrayList<>(1)).add(address);
                int bit = filterBit(hash);
                filter[bit >>> 6] |= 1L << bit;
            }
        }
    }

    boolean isEmpty()
    {
        return addressesByWindow.isEmpty();
    }

    /** Whether the text, in lower case, holds one of the addresses. */
    boolean foundIn(String text)
    {
        if (text.length() < WINDOW || addressesByWindow.isEmpty()) {
            return false;
        }
        String lower = text.toLowerCase(Locale.ROOT);
        long hash = hash(lower);
        for (int start = 0; ; start++) {
            int bit = filterBit(hash);
            List<String> candidates = (filter[bit >>> 6] & (1L << bit)) == 0 ? null : addressesByWindow.get(hash);
            if (candidates != null) {
                for (String address : candidates) {
                    if (lower.startsWith(address, start)) {
                        return true;
                    }
                }
            }
            int next = start + WINDOW;
            if (next >= lower.length()) {
                return false;
            }
            hash = (hash - lower.charAt(start) * LEADING_FACTOR) * BASE + lower.charAt(next);
        }
    }

    /** The filter's bit of a window hash: the top bits of a multiplicative hash of it, which mixes all its bits. */
    private static int filterBit(long hash)
    {
        return (int) ((hash * 0x9e3779b97f4a7c15L) >>> (Long.SIZE - Integer.numberOfTrailingZeros(FILTER_BITS)));
    }

    /** The hash of the first {@link #WINDOW} characters. */
    private static long hash(String text)
    {
        long hash = 0;
        for (int index = 0; index < WINDOW; index++) {
            hash = hash * BASE + text.charAt(index);
        }
        return hash;
    }
}
