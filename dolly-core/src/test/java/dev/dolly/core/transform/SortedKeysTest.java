package dev.dolly.core.transform;

import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Random;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SortedKeysTest
{
    @Test
    void keysAddedInAnyOrderAreFoundWhetherKeptOnTheHeapOrMergedFromFiles()
    {
        Random random = new Random(7);
        long[] added = new long[20_000];
        for (int index = 0; index < added.length; index++) {
            // a tenth of the keys twice, and the extremes, which a careless comparison gets wrong
            added[index] = index % 10 == 0 && index > 0 ? added[index - 1] : random.nextLong();
        }
        added[0] = Long.MIN_VALUE;
        added[1] = Long.MAX_VALUE;
        Set<Long> distinct = new HashSet<>();
        for (long key : added) {
            distinct.add(key);
        }

        try (SortedKeys onTheHeap = new SortedKeys(); SortedKeys inFiles = new SortedKeys(1_000)) {
            for (long key : added) {
                onTheHeap.add(key);
                inFiles.add(key);
            }
            onTheHeap.seal();
            inFiles.seal();

            assertThat(onTheHeap.directory()).isEmpty();
            assertThat(inFiles.directory()).hasValueSatisfying(directory -> assertThat(directory.resolve("keys")).isRegularFile());
            for (SortedKeys keys : new SortedKeys[] {onTheHeap, inFiles}) {
                assertThat(keys.size()).isEqualTo(distinct.size());
                for (long key : added) {
                    assertThat(keys.contains(key)).isTrue();
                }
                // the positive control: keys never added are not found
                Random others = new Random(8);
                for (int index = 0; index < 20_000; index++) {
                    long other = others.nextLong();
                    assertThat(keys.contains(other)).isEqualTo(distinct.contains(other));
                }
            }
        }
    }

    @Test
    void theWorkFilesGoOnClose()
    {
        SortedKeys keys = new SortedKeys(2);
        for (long key = 0; key < 10; key++) {
            keys.add(key * 31);
        }
        keys.seal();
        Path directory = keys.directory().orElseThrow();
        assertThat(directory).isDirectory();
        keys.close();
        keys.close(); // twice: closing again does nothing
        assertThat(Files.exists(directory)).isFalse();
    }

    @Test
    void anEmptySetFindsNothingAndASealedOneTakesNoMoreKeys()
    {
        try (SortedKeys keys = new SortedKeys()) {
            assertThat(keys.isEmpty()).isTrue();
            assertThatThrownBy(() -> keys.contains(1)).isInstanceOf(IllegalStateException.class);
            keys.seal();
            assertThat(keys.isEmpty()).isTrue();
            assertThat(keys.contains(0)).isFalse();
            assertThatThrownBy(() -> keys.add(1)).isInstanceOf(IllegalStateException.class);
        }
    }
}
