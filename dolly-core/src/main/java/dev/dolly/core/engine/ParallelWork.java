package dev.dolly.core.engine;

import dev.dolly.api.DollyException;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;

import static java.util.Objects.requireNonNull;

/**
 * Works through items in their order on up to a given number of threads, each taking the next item when it is done.
 * The first failure stops every thread from taking more, and is thrown once all have ended.
 */
public final class ParallelWork
{
    private ParallelWork() {}

    public static <T> void run(List<T> items, int parallelism, Consumer<T> work)
    {
        requireNonNull(items, "items is null");
        requireNonNull(work, "work is null");
        if (parallelism < 1) {
            throw new IllegalArgumentException("parallelism must be at least 1: " + parallelism);
        }
        ConcurrentLinkedQueue<T> queue = new ConcurrentLinkedQueue<>(items);
        AtomicReference<RuntimeException> failure = new AtomicReference<>();
        Runnable worker = () -> {
            T item;
            while (failure.get() == null && (item = queue.poll()) != null) {
                try {
                    work.accept(item);
                }
                catch (RuntimeException e) {
                    failure.compareAndSet(null, e);
                }
            }
        };
        List<Thread> threads = new ArrayList<>();
        for (int index = 1; index < Math.min(parallelism, items.size()); index++) {
            threads.add(Thread.ofPlatform().name("parallel-work-" + index).start(worker));
        }
        worker.run();
        for (Thread thread : threads) {
            try {
                thread.join();
            }
            catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                threads.forEach(Thread::interrupt);
                throw DollyException.failed("Interrupted while waiting for parallel work", e);
            }
        }
        if (failure.get() != null) {
            throw failure.get();
        }
    }
}
