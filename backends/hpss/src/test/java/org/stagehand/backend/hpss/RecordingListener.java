package org.stagehand.backend.hpss;

import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import org.stagehand.backend.OutcomeListener;
import org.stagehand.backend.StagingItem;
import org.stagehand.backend.StagingOutcome;

/**
 * Records outcomes like the service would: at most one per item; a fetched item's bytes are read
 * at once (the service renames the file right away, so they must be complete when reported).
 */
final class RecordingListener implements OutcomeListener {

    private final Map<String, StagingOutcome> outcomes = new ConcurrentHashMap<>();
    private final Map<String, String> contents = new ConcurrentHashMap<>();
    private final List<String> duplicates = new ArrayList<>();
    private volatile Consumer<StagingItem> onReport = item -> { };

    @Override
    public void report(StagingItem item, StagingOutcome outcome) {
        if (outcome instanceof StagingOutcome.Fetched) {
            try {
                contents.put(item.fileId(), Files.readString(item.temporaryFile()));
            } catch (Exception e) {
                contents.put(item.fileId(), "<unreadable: " + e + ">");
            }
        }
        if (outcomes.putIfAbsent(item.fileId(), outcome) != null) {
            synchronized (duplicates) {
                duplicates.add(item.fileId());
            }
        }
        onReport.accept(item);
    }

    void onReport(Consumer<StagingItem> action) {
        this.onReport = action;
    }

    StagingOutcome outcome(StagingItem item) {
        return outcomes.get(item.fileId());
    }

    String content(StagingItem item) {
        return contents.get(item.fileId());
    }

    Map<String, StagingOutcome> outcomes() {
        return Map.copyOf(outcomes);
    }

    List<String> duplicates() {
        synchronized (duplicates) {
            return List.copyOf(duplicates);
        }
    }
}
