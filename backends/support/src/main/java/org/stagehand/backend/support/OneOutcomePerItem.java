package org.stagehand.backend.support;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.stagehand.backend.OutcomeListener;
import org.stagehand.backend.StagingItem;
import org.stagehand.backend.StagingOutcome;

/**
 * The service's listener for one {@code stage()} call, passing on only the first outcome of each
 * item: the SPI allows one, and a backend whose paths can meet (a cancellation racing a copy) need
 * not keep its own count. Thread-safe.
 */
public final class OneOutcomePerItem implements OutcomeListener {

    private final OutcomeListener listener;
    private final Set<StagingItem> reported = ConcurrentHashMap.newKeySet();

    public OneOutcomePerItem(OutcomeListener listener) {
        this.listener = listener;
    }

    /** Passes the outcome on unless the item already had one. */
    @Override
    public void report(StagingItem item, StagingOutcome outcome) {
        if (reported.add(item)) {
            listener.report(item, outcome);
        }
    }

    /** Whether the item has had its outcome. */
    public boolean isReported(StagingItem item) {
        return reported.contains(item);
    }
}
