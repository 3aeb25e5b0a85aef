package org.stagehand.requests;

import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.LoadingCache;
import com.github.benmanes.caffeine.cache.Ticker;
import java.time.Duration;
import java.util.concurrent.Executor;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.atomic.AtomicLong;

/**
 * How many unfinished requests each client has, for the per-client limit. Counting walks the
 * client's requests, so counting at every stage made the stage's cost grow with the client's
 * backlog: a count from the database is kept per client, plus the requests this instance stored for
 * it since, and trusted while it is below half the limit. A count older than {@link #FRESHNESS} is
 * counted again in the background, the stage meanwhile using the one kept (so that no stage waits on
 * a count that other stages could use); one older than {@link #STALEST} is not used. From half the
 * limit on, every stage counts afresh, so the limit itself is exact (as exact as a count made before
 * the insert can be). What the kept count may miss below half the limit: requests other instances
 * stored in the last seconds.
 */
final class UnfinishedCounts {

    /** How old a count from the database may be before it is counted again, in the background. */
    static final Duration FRESHNESS = Duration.ofSeconds(1);
    /** How old a kept count may be at all: an older one is counted again before the stage goes on. */
    static final Duration STALEST = Duration.ofSeconds(10);
    private static final int MOST_CLIENTS = 10_000;

    /** Counts a client's unfinished requests in the database, up to {@code most}. */
    @FunctionalInterface
    interface Counter {
        long count(String client, int most);
    }

    private final Counter counter;
    private final LoadingCache<String, AtomicLong> counts;
    /** The limit the last stage was checked against: what a background count counts up to. */
    private volatile int most = Integer.MAX_VALUE;

    UnfinishedCounts(Counter counter) {
        this(counter, ForkJoinPool.commonPool(), Ticker.systemTicker());
    }

    /** @param recounts runs the background counts; {@code ticker} tells their age */
    UnfinishedCounts(Counter counter, Executor recounts, Ticker ticker) {
        this.counter = counter;
        this.counts = Caffeine.newBuilder().maximumSize(MOST_CLIENTS).refreshAfterWrite(FRESHNESS)
                .expireAfterWrite(STALEST).executor(recounts).ticker(ticker)
                .build(client -> new AtomicLong(counter.count(client, most)));
    }

    /** The client's unfinished requests: exact from half of {@code most} on, counted up to {@code most}. */
    long of(String client, int most) {
        this.most = most;
        AtomicLong kept = counts.getIfPresent(client); // starts a background count when this one is old
        if (kept == null) {
            return counts.get(client).get(); // stages arriving meanwhile wait for this one count
        }
        if (kept.get() * 2 < most) {
            return kept.get();
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
