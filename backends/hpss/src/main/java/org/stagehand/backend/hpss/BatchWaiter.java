package org.stagehand.backend.hpss;

import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import org.stagehand.backend.support.Wakeup;

/**
 * Where a {@code stage()} call waits: until every item of its batch is settled, or the service
 * cancels items (the cancelling thread only leaves a note here; the waiting thread does the work,
 * since reporting may block).
 */
final class BatchWaiter {

    private final AtomicInteger unsettled;
    private final Queue<WaitingItem> cancellations = new ConcurrentLinkedQueue<>();
    private final Wakeup news = new Wakeup();

    BatchWaiter(int items) {
        this.unsettled = new AtomicInteger(items);
    }

    void itemSettled() {
        unsettled.decrementAndGet();
        news.signal();
    }

    void cancelled(WaitingItem item) {
        cancellations.add(item);
        news.signal();
    }

    /**
     * Waits for news.
     *
     * @return cancellations to handle, or an empty list when the batch is finished
     */
    List<WaitingItem> awaitNews() throws InterruptedException {
        while (true) {
            List<WaitingItem> cancelled = new ArrayList<>();
            for (WaitingItem item; (item = cancellations.poll()) != null; ) {
                cancelled.add(item);
            }
            if (!cancelled.isEmpty() || unsettled.get() <= 0) {
                return cancelled;
            }
            news.await();
        }
    }
}
