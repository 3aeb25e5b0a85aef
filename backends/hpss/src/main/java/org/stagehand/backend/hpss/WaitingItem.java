package org.stagehand.backend.hpss;

import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.stagehand.backend.OutcomeListener;
import org.stagehand.backend.StagingBatch;
import org.stagehand.backend.StagingItem;
import org.stagehand.backend.StagingOutcome;

/**
 * One item of one {@code stage()} call, waiting for its HPSS file. Items of concurrent batches may
 * wait for the same file; each gets its own copy in its own temporary file.
 *
 * <p>An item is settled exactly once: by reporting an outcome, or by being abandoned (the
 * {@code stage()} call was interrupted and returns without an outcome for it).
 */
final class WaitingItem {

    private static final Logger LOG = LoggerFactory.getLogger(WaitingItem.class);

    private final StagingItem item;
    private final StagingBatch batch;
    private final OutcomeListener listener;
    private final BatchWaiter waiter;
    private final String remotePath;
    private final AtomicBoolean settled = new AtomicBoolean();
    /** Cancelled while hsi writes into this request's temporary file; reported when hsi is done with it. */
    private volatile boolean cancellationDeferred;
    /** The planned file this request waits for; guarded by the planner's lock. */
    private PlannedFile file;

    WaitingItem(StagingItem item, StagingBatch batch, OutcomeListener listener, BatchWaiter waiter, String remotePath) {
        this.item = Objects.requireNonNull(item, "item");
        this.batch = Objects.requireNonNull(batch, "batch");
        this.listener = Objects.requireNonNull(listener, "listener");
        this.waiter = Objects.requireNonNull(waiter, "waiter");
        this.remotePath = remotePath;
    }

    StagingItem item() {
        return item;
    }

    String remotePath() {
        return remotePath;
    }

    PlannedFile file() {
        return file;
    }

    void attachTo(PlannedFile plannedFile) {
        this.file = plannedFile;
    }

    void deferCancellation() {
        cancellationDeferred = true;
    }

    /** Whether the service cancelled this request (possibly not yet reported). */
    boolean isCancelled() {
        return cancellationDeferred || batch.isCancelled(item);
    }

    boolean isSettled() {
        return settled.get();
    }

    /** Whether someone still waits for this request's bytes. */
    boolean isWanted() {
        return !settled.get() && !isCancelled();
    }

    /** Reports the outcome unless the request is already settled; never throws. */
    void report(StagingOutcome outcome) {
        if (!settled.compareAndSet(false, true)) {
            return;
        }
        try {
            listener.report(item, outcome);
        } catch (RuntimeException e) {
            LOG.error("the service's listener failed on {} ({}): {}", item.fileId(), outcome, e.toString(), e);
        } finally {
            waiter.itemSettled();
        }
    }

    /** Settles the request without an outcome; returns whether it was still open. */
    boolean abandon() {
        return settled.compareAndSet(false, true);
    }

    @Override
    public String toString() {
        return item.fileId() + " (" + remotePath + ")";
    }
}
