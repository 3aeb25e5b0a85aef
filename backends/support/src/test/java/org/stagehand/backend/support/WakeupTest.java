package org.stagehand.backend.support;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

class WakeupTest {

    @Test
    void signalGivenBeforeTheWaitEndsItAtOnceAndIsTakenByIt() throws Exception {
        Wakeup wakeup = new Wakeup();
        wakeup.signal();

        assertThat(wakeup.await(Duration.ofMinutes(5))).isTrue();
        assertThat(wakeup.await(Duration.ofMillis(1))).isFalse();
    }

    @Test
    void waitingThreadIsWokenBySignalLongBeforeItsTimeout() throws Exception {
        Wakeup wakeup = new Wakeup();
        CompletableFuture<Boolean> waiter = CompletableFuture.supplyAsync(() -> {
            try {
                return wakeup.await(Duration.ofHours(1));
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });

        Thread.sleep(50);
        wakeup.signal();

        assertThat(waiter.get(1, TimeUnit.MINUTES)).isTrue();
    }

    @Test
    void everyThreadWaitingForAConditionSeesItOnceItHolds() throws Exception {
        Wakeup wakeup = new Wakeup();
        AtomicBoolean cancelled = new AtomicBoolean();
        CompletableFuture<?>[] waiters = new CompletableFuture<?>[3];
        for (int i = 0; i < waiters.length; i++) {
            waiters[i] = CompletableFuture.supplyAsync(() -> {
                try {
                    return wakeup.awaitUntil(cancelled::get, Duration.ofHours(1));
                } catch (InterruptedException e) {
                    throw new IllegalStateException(e);
                }
            });
        }

        Thread.sleep(50);
        cancelled.set(true);
        wakeup.signal();

        assertThat(CompletableFuture.allOf(waiters).thenApply(ignored -> waiters[0].join()).get(1, TimeUnit.MINUTES))
                .isEqualTo(true);
        for (CompletableFuture<?> waiter : waiters) {
            assertThat(waiter.join()).isEqualTo(true);
        }
    }

    @Test
    void conditionThatNeverHoldsEndsAtTheTimeout() throws Exception {
        assertThat(new Wakeup().awaitUntil(() -> false, Duration.ofMillis(20))).isFalse();
    }
}
