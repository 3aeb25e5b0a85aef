package org.stagehand.backend.hpss;

import java.util.ArrayList;
import java.util.List;

/**
 * Where a {@code stage()} call waits: until every item of its batch is settled, or the service
 * cancels items (the cancelling thread only leaves a note here; the waiting thread does the work,
 * since reporting may block).
 */
final class BatchWaiter {

    private int unsettled;
    private final List<WaitingItem> cancellations = new ArrayList<>();

    BatchWaiter(int items) {
        this.unsettled = items;
    }

    synchronized void itemSettled() {
        unsettled--;
        notifyAll();
    }

    synchronized void cancelled(WaitingItem request) {
        cancellations.add(request);
        notifyAll();
    }

    /**
     * Waits for news.
     *
     * @return cancellations to handle, or an empty list when the batch is finished
     */
    synchronized List<WaitingItem> awaitNews() throws InterruptedException {
        while (unsettled > 0 && cancellations.isEmpty()) {
            wait();
        }
        List<WaitingItem> news = List.copyOf(cancellations);
        cancellations.clear();
        return news;
    }
}
