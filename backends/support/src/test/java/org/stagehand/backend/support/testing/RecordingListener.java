package org.stagehand.backend.support.testing;

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
 * Records outcomes like the service would: the first one per file ID counts, later ones are kept
 * as duplicates for the test to refuse; a fetched item's bytes are read at once unless
 * {@link #withoutContents()} (the service renames the file right away, so they must be complete
 * when reported).
 */
public final class RecordingListener implements OutcomeListener {

    private final Map<String, StagingOutcome> outcomes = new ConcurrentHashMap<>();
    private final Map<String, String> contents = new ConcurrentHashMap<>();
    private final List<String> duplicates = new ArrayList<>();
    private final boolean readsContents;
    private volatile Consumer<StagingItem> onReport = item -> { };

    /** A listener that reads each fetched file's content when it is reported. */
    public RecordingListener() {
        this(true);
    }

    private RecordingListener(boolean readsContents) {
        this.readsContents = readsContents;
    }

    /** A listener that does not read fetched files (for benchmarks and binary content). */
    public static RecordingListener withoutContents() {
        return new RecordingListener(false);
    }

    @Override
    public void report(StagingItem item, StagingOutcome outcome) {
        if (readsContents && outcome instanceof StagingOutcome.Fetched) {
            try {
                contents.putIfAbsent(item.fileId(), Files.readString(item.temporaryFile()));
            } catch (Exception e) {
                contents.putIfAbsent(item.fileId(), "<unreadable: " + e + ">");
            }
        }
        if (outcomes.putIfAbsent(item.fileId(), outcome) != null) {
            synchronized (duplicates) {
                duplicates.add(item.fileId());
            }
        }
        onReport.accept(item);
    }

    /** Runs {@code action} after each report, on the reporting thread. */
    public void onReport(Consumer<StagingItem> action) {
        this.onReport = action;
    }

    public StagingOutcome outcome(StagingItem item) {
        return outcomes.get(item.fileId());
    }

    public StagingOutcome outcome(String fileId) {
        return outcomes.get(fileId);
    }

    /** The fetched file's content as text, read when it was reported. */
    public String content(StagingItem item) {
        return contents.get(item.fileId());
    }

    public Map<String, StagingOutcome> outcomes() {
        return Map.copyOf(outcomes);
    }

    /** The file IDs reported more than once, once for each report beyond the first. */
    public List<String> duplicates() {
        synchronized (duplicates) {
            return List.copyOf(duplicates);
        }
    }
}
