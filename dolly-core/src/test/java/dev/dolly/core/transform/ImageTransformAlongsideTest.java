package dev.dolly.core.transform;

import org.junit.jupiter.api.Test;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ImageTransformAlongsideTest
{
    @Test
    void runsBothAtTheSameTimeAndReturnsWhenBothAreDone()
            throws InterruptedException
    {
        CountDownLatch sideStarted = new CountDownLatch(1);
        CountDownLatch workDone = new CountDownLatch(1);
        AtomicBoolean sideFinished = new AtomicBoolean();
        AtomicReference<Thread> sideThread = new AtomicReference<>();

        ImageTransform.alongside(() -> {
            sideThread.set(Thread.currentThread());
            sideStarted.countDown();
            await(workDone);
            sleep(50);
            sideFinished.set(true);
        }, () -> {
            // the work waits for the side work to have started: it would wait forever if they ran one after the other
            await(sideStarted);
            workDone.countDown();
        });

        assertThat(sideFinished).isTrue();
        assertThat(sideThread.get()).isNotSameAs(Thread.currentThread());
        sideThread.get().join(TimeUnit.SECONDS.toMillis(10));
        assertThat(sideThread.get().isAlive()).isFalse();
    }

    @Test
    void throwsEitherFailureAfterBothAreDone()
    {
        AtomicBoolean sideFinished = new AtomicBoolean();
        assertThatThrownBy(() -> ImageTransform.alongside(() -> {
            sleep(100);
            sideFinished.set(true);
        }, () -> {
            throw new IllegalStateException("work failed");
        })).hasMessage("work failed");
        assertThat(sideFinished).as("the side work finished before the failure was thrown").isTrue();

        AtomicBoolean workFinished = new AtomicBoolean();
        assertThatThrownBy(() -> ImageTransform.alongside(() -> {
            throw new IllegalArgumentException("side work failed");
        }, () -> workFinished.set(true))).hasMessage("side work failed");
        assertThat(workFinished).isTrue();
    }

    @Test
    void theSideWorksFailureComesFirstWithTheOtherSuppressed()
    {
        assertThatThrownBy(() -> ImageTransform.alongside(() -> {
            throw new IllegalArgumentException("side work failed");
        }, () -> {
            throw new IllegalStateException("work failed");
        }))
                .hasMessage("side work failed")
                .satisfies(failure -> assertThat(failure.getSuppressed()).extracting(Throwable::getMessage).containsExactly("work failed"));
    }

    private static void await(CountDownLatch latch)
    {
        try {
            assertThat(latch.await(10, TimeUnit.SECONDS)).isTrue();
        }
        catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    private static void sleep(long milliseconds)
    {
        try {
            Thread.sleep(milliseconds);
        }
        catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }
}
