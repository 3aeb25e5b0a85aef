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
    private boolean released;
    private final List<RecallRequest> cancellations = new ArrayList<>();

    BatchWaiter(int items) {
        this.unsettled = items;
    }

    synchronized void itemSettled() {
        unsettled--;
        notifyAll();
    }

    synchronized void cancelled(RecallRequest request) {
        cancellations.add(request);
        notifyAll();
    }

    /** Lets the waiting thread go without outcomes (the backend is closing). */
    synchronized void release() {
        released = true;
        notifyAll();
    }

    /**
     * Waits for news.
     *
     * @return cancellations to handle, or an empty list when the batch is finished (or released)
     */
    synchronized List<RecallRequest> awaitNews() throws InterruptedException {
        while (unsettled > 0 && !released && cancellations.isEmpty()) {
            wait();
        }
        List<RecallRequest> news = List.copyOf(cancellations);
        cancellations.clear();
        return news;
    }
}
