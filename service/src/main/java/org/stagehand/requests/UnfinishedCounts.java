package org.stagehand.requests;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

/**
 * How many unfinished requests each client has, for the per-client limit. Counting walks the
 * client's requests, so counting at every stage made the stage's cost grow with the client's
 * backlog: a count from the database is kept for a {@link #FRESHNESS} per client, plus the requests
 * this instance stored for it since, and trusted while it is below half the limit. From half the
 * limit on, every stage counts afresh, so the limit itself is exact (as exact as a count made before
 * the insert can be). What the kept count may miss below half the limit: requests other instances
 * stored in the last second.
 */
final class UnfinishedCounts {

    /** How old a count from the database may be. */
    static final Duration FRESHNESS = Duration.ofSeconds(1);
    private static final int MOST_CLIENTS = 10_000;

    /** Counts a client's unfinished requests in the database, up to {@code most}. */
    @FunctionalInterface
    interface Counter {
        long count(String client, int most);
    }

    private final Counter counter;
    private final Cache<String, AtomicLong> counts = Caffeine.newBuilder()
            .maximumSize(MOST_CLIENTS).expireAfterWrite(FRESHNESS).build();

    UnfinishedCounts(Counter counter) {
        this.counter = counter;
    }

    /** The client's unfinished requests: exact from half of {@code most} on, counted up to {@code most}. */
    long of(String client, int most) {
        boolean[] countedNow = {false};
        AtomicLong kept = counts.get(client, key -> {
            countedNow[0] = true;
            return new AtomicLong(counter.count(key, most));
        });
        long estimate = kept.get();
        if (countedNow[0] || estimate * 2 < most) {
            return estimate;
        }
        long counted = counter.count(client, most);
        counts.put(client, new AtomicLong(counted));
        return counted;
    }

    /** A request of this client was stored here. */
    void added(String client) {
        AtomicLong count = counts.getIfPresent(client);
        if (count != null) {
            count.incrementAndGet();
        }
    }
}
