package dev.dolly.core.transform;

/**
 * The 64-bit hash the leak check keeps of an original's key: FNV-1a over the characters, then MurmurHash3's
 * finalizer, which spreads every bit over the whole hash. Built a character at a time, so that a search can hash a
 * text from one place on and read the hash at every length it needs.
 */
final class KeyHash
{
    /** The state before any character. */
    static final long START = 0xcbf29ce484222325L;
    private static final long PRIME = 0x100000001b3L;

    private KeyHash() {}

    static long of(String key)
    {
        long state = START;
        for (int index = 0; index < key.length(); index++) {
            state = next(state, key.charAt(index));
        }
        return finish(state);
    }

    /** The state after one more character. */
    static long next(long state, char character)
    {
        return (state ^ character) * PRIME;
    }

    /** The hash of the characters the state went through. */
    static long finish(long state)
    {
        long hash = state;
        hash ^= hash >>> 33;
        hash *= 0xff51afd7ed558ccdL;
        hash ^= hash >>> 33;
        hash *= 0xc4ceb9fe1a85ec53L;
        hash ^= hash >>> 33;
        return hash;
    }
}
