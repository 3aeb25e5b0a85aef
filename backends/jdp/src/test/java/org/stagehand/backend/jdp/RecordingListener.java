package org.stagehand.backend.jdp;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.stagehand.backend.OutcomeListener;
import org.stagehand.backend.StagingItem;
import org.stagehand.backend.StagingOutcome;

/** Keeps the outcome reported for each file ID and counts reports beyond the first. */
final class RecordingListener implements OutcomeListener {

    final Map<String, StagingOutcome> outcomes = new ConcurrentHashMap<>();
    final AtomicInteger extraReports = new AtomicInteger();

    @Override
    public void report(StagingItem item, StagingOutcome outcome) {
        if (outcomes.putIfAbsent(item.fileId(), outcome) != null) {
            extraReports.incrementAndGet();
        }
    }

    StagingOutcome outcome(String fileId) {
        return outcomes.get(fileId);
    }
}
