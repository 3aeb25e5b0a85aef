package org.stagehand.backend;

import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * Items the service hands a backend together, with a way for the service to cancel some of them
 * while the backend works.
 */
public final class StagingBatch {

    private final String id;
    private final List<StagingItem> items;
    private final Set<String> cancelledFileIds = ConcurrentHashMap.newKeySet();
    private final List<Consumer<StagingItem>> cancellationListeners = new CopyOnWriteArrayList<>();

    /**
     * @param id a unique ID for logs
     * @param items the items, in the order the service claimed them (backends may reorder)
     */
    public StagingBatch(String id, List<StagingItem> items) {
        this.id = Objects.requireNonNull(id, "id");
        this.items = List.copyOf(items);
    }

    /** A unique ID for this batch, for logs. */
    public String id() {
        return id;
    }

    /** The items, in claim order. */
    public List<StagingItem> items() {
        return items;
    }

    /** Whether the service has cancelled this item. */
    public boolean isCancelled(StagingItem item) {
        return cancelledFileIds.contains(item.fileId());
    }

    /** Whether every item has been cancelled. */
    public boolean isFullyCancelled() {
        return items.stream().allMatch(this::isCancelled);
    }

    /**
     * Asks to be told when an item is cancelled, e.g. to end an external process early. The
     * listener runs on the cancelling thread and must not block.
     */
    public void onCancel(Consumer<StagingItem> listener) {
        cancellationListeners.add(Objects.requireNonNull(listener, "listener"));
    }

    /** Cancels the given items of this batch. Called by the service. */
    public void cancel(Collection<StagingItem> toCancel) {
        for (StagingItem item : toCancel) {
            if (items.contains(item) && cancelledFileIds.add(item.fileId())) {
                cancellationListeners.forEach(listener -> listener.accept(item));
            }
        }
    }

    @Override
    public String toString() {
        return "StagingBatch[" + id + ", " + items.size() + " items]";
    }
}
