package org.stagehand.backend.hpss;

import java.util.ArrayList;
import java.util.List;
import org.stagehand.backend.StagingItem;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import org.stagehand.backend.support.Wakeup;

/**
 * Where a {@code stage()} call waits: until every item of its batch is settled, or the service
 * cancels items or adds some (the service's thread only leaves a note here; the waiting thread
 * does the work, since reporting may block).
 */
final class BatchWaiter {

    private final AtomicInteger unsettled;
    private final Queue<WaitingItem> cancellations = new ConcurrentLinkedQueue<>();
    private final Queue<StagingItem> added = new ConcurrentLinkedQueue<>();
    private final Wakeup news = new Wakeup();

    BatchWaiter(int items) {
        this.unsettled = new AtomicInteger(items);
    }

    void itemSettled() {
        unsettled.decrementAndGet();
        news.signal();
    }

    /** The service added items to the batch: the batch is not finished before they are settled. */
    void added(List<StagingItem> items) {
        unsettled.addAndGet(items.size());
        added.addAll(items);
        news.signal();
    }

    /** Whether every item known is settled and no news waits. */
    boolean isFinished() {
        return unsettled.get() <= 0 && cancellations.isEmpty() && added.isEmpty();
    }

    void cancelled(WaitingItem item) {
        cancellations.add(item);
        news.signal();
    }

    /** What the waiting thread has to handle: cancelled items, and items the service added. */
    record News(List<WaitingItem> cancelled, List<StagingItem> added) {
        boolean isEmpty() {
            return cancelled.isEmpty() && added.isEmpty();
        }
    }

    /**
     * Waits for news.
     *
     * @return cancellations and additions to handle, or empty news when the batch is finished
     */
    News awaitNews() throws InterruptedException {
        while (true) {
            List<WaitingItem> cancelled = new ArrayList<>();
            for (WaitingItem item; (item = cancellations.poll()) != null; ) {
                cancelled.add(item);
            }
            List<StagingItem> more = new ArrayList<>();
            for (StagingItem item; (item = added.poll()) != null; ) {
                more.add(item);
            }
            if (!cancelled.isEmpty() || !more.isEmpty() || unsettled.get() <= 0) {
                return new News(cancelled, more);
            }
            news.await();
        }
    }
}
