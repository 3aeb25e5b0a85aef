package org.stagehand.requests;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class UnfinishedCountsTest {

    private final AtomicLong inDatabase = new AtomicLong();
    private final AtomicInteger counted = new AtomicInteger();
    private final Queue<Runnable> backgroundCounts = new ArrayDeque<>();
    private final AtomicLong nanos = new AtomicLong();
    private final UnfinishedCounts counts = new UnfinishedCounts((client, most) -> {
        counted.incrementAndGet();
        return inDatabase.get();
    }, backgroundCounts::add, nanos::get);

    private void wait(Duration duration) {
        nanos.addAndGet(duration.toNanos());
    }

    @Test
    void belowHalfTheLimitTheKeptCountPlusTheRequestsStoredHereIsTrusted() {
        inDatabase.set(10);
        assertThat(counts.of("fts", 100)).isEqualTo(10);
        counts.added("fts");
        counts.added("fts");

        assertThat(counts.of("fts", 100)).isEqualTo(12);
        assertThat(counted).hasValue(1);
    }

    @Test
    void fromHalfTheLimitOnEveryStageCountsAfresh() {
        inDatabase.set(2);
        assertThat(counts.of("fts", 4)).isEqualTo(2);
        inDatabase.set(0); // its requests finished

        assertThat(counts.of("fts", 4)).isZero();
        assertThat(counted).hasValue(2);
    }

    @Test
    void eachClientHasItsOwnCount() {
        inDatabase.set(3);
        assertThat(counts.of("fts", 100)).isEqualTo(3);
        counts.added("fts");
        inDatabase.set(7);

        assertThat(counts.of("rucio", 100)).isEqualTo(7);
        assertThat(counts.of("fts", 100)).isEqualTo(4);
    }

    @Test
    void aCountOlderThanASecondIsCountedAgainInTheBackgroundWhileTheStageUsesTheKeptOne() {
        inDatabase.set(10);
        assertThat(counts.of("fts", 100)).isEqualTo(10);
        inDatabase.set(30);
        wait(Duration.ofMillis(1500));

        assertThat(counts.of("fts", 100)).as("the stage does not wait for the count").isEqualTo(10);
        assertThat(counted).hasValue(1);
        while (!backgroundCounts.isEmpty()) {
            backgroundCounts.remove().run();
        }
        assertThat(counts.of("fts", 100)).isEqualTo(30);
        assertThat(counted).hasValue(2);
    }

    @Test
    void aCountOlderThanTenSecondsIsNotUsed() {
        inDatabase.set(10);
        assertThat(counts.of("fts", 100)).isEqualTo(10);
        inDatabase.set(40);
        wait(Duration.ofSeconds(11));

        assertThat(counts.of("fts", 100)).as("counted before the stage goes on, in its thread").isEqualTo(40);
        assertThat(counted).hasValue(2);
    }

    @Test
    void stagesArrivingWhileTheFirstCountIsMadeWaitForItInsteadOfCountingAgain() throws Exception {
        CountDownLatch counting = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        UnfinishedCounts slow = new UnfinishedCounts((client, most) -> {
            counted.incrementAndGet();
            counting.countDown();
            try {
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return 5;
        }, Runnable::run, nanos::get);
        ExecutorService stages = Executors.newFixedThreadPool(4);
        try {
            Future<Long> first = stages.submit(() -> slow.of("fts", 100));
            assertThat(counting.await(10, TimeUnit.SECONDS)).isTrue();
            List<Future<Long>> others = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                others.add(stages.submit(() -> slow.of("fts", 100)));
            }
            Thread.sleep(200); // let them reach the cache while the count is under way
            release.countDown();

            assertThat(first.get(10, TimeUnit.SECONDS)).isEqualTo(5);
            for (Future<Long> other : others) {
                assertThat(other.get(10, TimeUnit.SECONDS)).isEqualTo(5);
            }
            assertThat(counted).as("one count for all of them").hasValue(1);
        } finally {
            stages.shutdownNow();
        }
    }
}
