package org.stagehand.requests;

import io.dropwizard.lifecycle.Managed;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Requests told of as changed, taken in bounded batches by one daemon thread at a fixed interval:
 * what the memories of answers ({@link LastKnownAnswers}, {@link JdpRequestIds}) read again in the
 * background, so that a burst of notifications costs a few batched reads and not one read each.
 */
final class RefreshRounds implements Managed {

    /** What a round does with its batch; it may {@link #again} what it could not read. */
    interface Round {
        void read(List<UUID> batch);
    }

    private final Set<UUID> pending = ConcurrentHashMap.newKeySet();
    private final Duration interval;
    private final int batchSize;
    private final Round round;
    private final DaemonLoop loop;

    RefreshRounds(String threadName, Duration interval, int batchSize, Round round) {
        this.loop = new DaemonLoop(threadName, this::runUntilStopped);
        this.interval = interval;
        this.batchSize = batchSize;
        this.round = round;
    }

    /** Queues these requests for a later round (a request queued twice is read once). */
    void again(Iterable<UUID> requestIds) {
        requestIds.forEach(pending::add);
    }

    int pendingCount() {
        return pending.size();
    }

    /** Runs one round now, on the caller's thread: takes up to a batch and reads it. */
    void runRound() {
        List<UUID> batch = new ArrayList<>(Math.min(batchSize, pending.size()));
        for (Iterator<UUID> it = pending.iterator(); it.hasNext() && batch.size() < batchSize; ) {
            batch.add(it.next());
            it.remove();
        }
        if (!batch.isEmpty()) {
            round.read(batch);
        }
    }

    @Override
    public void start() {
        loop.start();
    }

    @Override
    public void stop() throws InterruptedException {
        loop.stop();
    }

    private void runUntilStopped() {
        while (loop.running()) {
            try {
                Thread.sleep(interval.toMillis());
            } catch (InterruptedException e) {
                return;
            }
            runRound();
        }
    }
}
