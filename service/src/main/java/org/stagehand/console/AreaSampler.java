package org.stagehand.console;

import io.dropwizard.lifecycle.Managed;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Measures the bytes of the ready copies, and how many of them requests pin, on a thread of its
 * own: every {@link #PERIOD}, or ten times as long as the last measurement took if that is longer,
 * so that it never keeps the database busier than a tenth of the time. Both sums walk every ready
 * copy (a million of them take seconds on PostgreSQL), which the overview must not wait for; it
 * shows the last measurement with its time instead.
 */
final class AreaSampler implements Managed {

    private static final Logger LOG = LoggerFactory.getLogger(AreaSampler.class);
    static final Duration PERIOD = Duration.ofSeconds(15);

    /** One measurement. */
    record Sample(long readyBytes, long pinnedBytes, Instant measuredAt) {
    }

    private final OverviewReadModel readModel;
    private final Duration pinLifetime;
    private final Clock clock;
    private ScheduledExecutorService executor;
    private volatile Sample last;
    private boolean failing;

    AreaSampler(OverviewReadModel readModel, Duration pinLifetime, Clock clock) {
        this.readModel = readModel;
        this.pinLifetime = pinLifetime;
        this.clock = clock;
    }

    /** The last measurement, or null before the first. */
    Sample last() {
        return last;
    }

    /** Measures now, on the caller's thread; returns how long it took. */
    synchronized Duration measure() {
        long started = System.nanoTime();
        Instant now = clock.instant();
        try {
            last = new Sample(readModel.readyBytes(), readModel.pinnedBytes(now.minus(pinLifetime), now), now);
            if (failing) {
                LOG.info("the console measures the staging area's bytes again");
            }
            failing = false;
        } catch (RuntimeException e) {
            if (!failing) {
                LOG.warn("the console cannot measure the staging area's bytes (showing the last measurement): {}",
                        e.toString());
            }
            failing = true;
        }
        return Duration.ofNanos(System.nanoTime() - started);
    }

    private void measureAndReschedule() {
        Duration took = measure();
        Duration next = took.multipliedBy(10).compareTo(PERIOD) > 0 ? took.multipliedBy(10) : PERIOD;
        try {
            executor.schedule(this::measureAndReschedule, next.toMillis(), TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException e) {
            // Stopping.
        }
    }

    @Override
    public void start() {
        executor = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "stagehand-console-area");
            thread.setDaemon(true);
            return thread;
        });
        executor.execute(this::measureAndReschedule);
    }

    @Override
    public void stop() throws InterruptedException {
        executor.shutdownNow();
        executor.awaitTermination(10, TimeUnit.SECONDS);
    }
}
