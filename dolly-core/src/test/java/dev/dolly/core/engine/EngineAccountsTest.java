package dev.dolly.core.engine;

import dev.dolly.api.DollyException;
import dev.dolly.api.ErrorCode;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.locks.LockSupport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class EngineAccountsTest
{
    private static final EngineUser SHARED = EngineUser.daemonUser();

    /** Stands for the catalog: the IDs that containers and images record. */
    private final Set<Integer> recorded = ConcurrentHashMap.newKeySet();

    @Test
    void givesEveryCreationAnIdOfItsOwnAndRecordsIt()
    {
        EngineAccounts accounts = EngineAccounts.separate(SHARED, EngineUidRange.parse("3000000-3000009"), () -> Set.copyOf(recorded));
        assertThat(accounts.separate()).isTrue();
        int first = accounts.allocate(this::record);
        int second = accounts.allocate(this::record);
        assertThat(first).isEqualTo(3_000_000);
        assertThat(second).isEqualTo(3_000_001);
        assertThat(recorded).containsExactlyInAnyOrder(first, second);

        EngineUser account = accounts.account(first);
        assertThat(account.uid()).isEqualTo(first);
        assertThat(account.gid()).isEqualTo(first);
        assertThat(account.switchesUser()).isTrue();
        assertThat(account.wrap(List.of("postgres", "-D", "data")))
                .containsExactly("setpriv", "--reuid=3000000", "--regid=3000000", "--clear-groups", "--", "postgres", "-D", "data");
        // nothing recorded: the shared account
        assertThat(accounts.account(null)).isEqualTo(SHARED);
    }

    @Test
    void skipsIdsTheCatalogRecordsAndGivesFreedOnesAgainOnlyAfterAFullRound()
    {
        recorded.addAll(Set.of(3_000_000, 3_000_002));
        EngineAccounts accounts = EngineAccounts.separate(SHARED, EngineUidRange.parse("3000000-3000003"), () -> Set.copyOf(recorded));
        assertThat(accounts.allocate(this::record)).isEqualTo(3_000_001);
        assertThat(accounts.allocate(this::record)).isEqualTo(3_000_003);
        // the container of 3000001 is deleted: its row goes, and the ID is free again
        recorded.remove(3_000_001);
        assertThat(accounts.allocate(this::record)).isEqualTo(3_000_001);
        assertThatThrownBy(() -> accounts.allocate(this::record))
                .isInstanceOf(DollyException.class)
                .hasMessage("Every ID of DOLLY_ENGINE_UIDS=3000000-3000003 is taken by a container or an image (each has an account of its own). "
                        + "Delete containers or images, or give the daemon a wider range.")
                .extracting(e -> ((DollyException) e).errorCode()).isEqualTo(ErrorCode.CONFLICT);
        recorded.remove(3_000_000);
        assertThat(accounts.allocate(this::record)).isEqualTo(3_000_000);
    }

    @Test
    void aFailedRecordingTakesNoId()
    {
        EngineAccounts accounts = EngineAccounts.separate(SHARED, EngineUidRange.parse("3000000-3000001"), () -> Set.copyOf(recorded));
        assertThatThrownBy(() -> accounts.allocate(uid -> {
            throw new IllegalStateException("the insert failed");
        })).hasMessage("the insert failed");
        assertThat(accounts.allocate(this::record)).isEqualTo(3_000_001);
        assertThat(accounts.allocate(this::record)).isEqualTo(3_000_000);
    }

    @Test
    void concurrentCreationsNeverGetTheSameId()
            throws Exception
    {
        int creations = 400;
        EngineAccounts accounts = EngineAccounts.separate(SHARED, EngineUidRange.parse("3000000-3000499"), () -> Set.copyOf(recorded));
        ExecutorService threads = Executors.newFixedThreadPool(16);
        try {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<Integer>> results = new ArrayList<>();
            for (int creation = 0; creation < creations; creation++) {
                results.add(threads.submit(() -> {
                    start.await();
                    return accounts.allocate(uid -> {
                        // the catalog's insert takes a moment: another creation must not pick the same ID meanwhile
                        LockSupport.parkNanos(20_000);
                        return record(uid);
                    });
                }));
            }
            start.countDown();
            Set<Integer> given = new HashSet<>();
            for (Future<Integer> result : results) {
                given.add(result.get());
            }
            assertThat(given).hasSize(creations).allMatch(uid -> uid >= 3_000_000 && uid <= 3_000_499);
            assertThat(recorded).isEqualTo(given);
        }
        finally {
            threads.shutdownNow();
        }
    }

    @Test
    void withoutRootEverythingRunsAsTheSharedAccount()
    {
        EngineAccounts accounts = EngineAccounts.sharedOnly(SHARED);
        assertThat(accounts.separate()).isFalse();
        assertThat(accounts.range()).isEmpty();
        Integer recordedId = accounts.allocate(uid -> uid);
        assertThat(recordedId).isNull();
        assertThat(accounts.account(recordedId)).isEqualTo(SHARED);
    }

    private int record(Integer uid)
    {
        // a second row with the same ID would be the race this allocator prevents
        assertThat(recorded.add(uid)).as("ID " + uid + " given twice").isTrue();
        return uid;
    }
}
