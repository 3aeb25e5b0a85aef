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
 * while the backend works, and (for a backend that says it takes them, {@link #acceptMoreItems})
 * to add items while the backend works: files of a tape volume that is mounted for this batch.
 */
public final class StagingBatch {

    private final String id;
    private final List<StagingItem> items;
    /** Told of items the service adds; null while the backend takes none. Guarded by {@code this}. */
    private Consumer<List<StagingItem>> moreItems;
    private final Set<String> cancelledFileIds = ConcurrentHashMap.newKeySet();
    private final List<Consumer<StagingItem>> cancellationListeners = new CopyOnWriteArrayList<>();

    /**
     * @param id a unique ID for logs
     * @param items the items, in the order the service claimed them (backends may reorder)
     */
    public StagingBatch(String id, List<StagingItem> items) {
        this.id = Objects.requireNonNull(id, "id");
        this.items = new CopyOnWriteArrayList<>(items);
    }

    /** A unique ID for this batch, for logs. */
    public String id() {
        return id;
    }

    /** The items, in claim order, those the service added while the backend worked included. */
    public List<StagingItem> items() {
        return List.copyOf(items);
    }

    /**
     * Called by a backend that takes more items into this batch while {@code stage()} runs: until
     * {@link #refuseMoreItems}, the service may add items ({@link #addItems}), and {@code listener}
     * gets each group added. The backend then owes each of them an outcome like any other item of
     * the batch (or none, when {@code stage()} is interrupted). The listener runs on the service's
     * thread holding this batch's lock, so a backend's {@code refuseMoreItems} waits for it; it
     * must not block.
     */
    public synchronized void acceptMoreItems(Consumer<List<StagingItem>> listener) {
        moreItems = Objects.requireNonNull(listener, "listener");
    }

    /**
     * Called by the backend before {@code stage()} returns, once it has an outcome for every item
     * it knows: from now on {@link #addItems} refuses. Items added before this call returned were
     * given to the listener.
     */
    public synchronized void refuseMoreItems() {
        moreItems = null;
    }

    /** Whether the backend takes more items into this batch now. */
    public synchronized boolean takesMoreItems() {
        return moreItems != null;
    }

    /**
     * Adds items to the batch while the backend works on it. Called by the service.
     *
     * @return false, adding nothing, when the backend takes no more items
     */
    public synchronized boolean addItems(List<StagingItem> more) {
        if (moreItems == null) {
            return false;
        }
        List<StagingItem> added = List.copyOf(more);
        items.addAll(added);
        moreItems.accept(added);
        return true;
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
