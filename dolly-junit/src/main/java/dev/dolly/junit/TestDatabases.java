package dev.dolly.junit;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.function.Function;

/**
 * The containers of one test or one test class, one per distinct {@link DollyDatabase} (annotations with the same
 * values are equal). Closing it deletes them all.
 */
final class TestDatabases
        implements AutoCloseable
{
    private final ConcurrentMap<DollyDatabase, TestDatabase> databases = new ConcurrentHashMap<>();

    /** The container of the annotation, created on first use; callers of the same annotation at once get one container. */
    TestDatabase get(DollyDatabase annotation, Function<DollyDatabase, TestDatabase> create)
    {
        return databases.computeIfAbsent(annotation, create);
    }

    void afterTest()
    {
        databases.values().forEach(TestDatabase::afterTest);
    }

    @Override
    public void close()
    {
        List<RuntimeException> failures = new ArrayList<>();
        for (TestDatabase database : databases.values()) {
            try {
                database.close();
            }
            catch (RuntimeException e) {
                failures.add(e);
            }
        }
        databases.clear();
        if (!failures.isEmpty()) {
            RuntimeException first = failures.getFirst();
            failures.stream().skip(1).forEach(first::addSuppressed);
            throw first;
        }
    }
}
