package org.stagehand.backend;

/**
 * Brings archived files into the staging area, a batch at a time.
 *
 * <p>The service claims work from its database, groups it into a {@link StagingBatch} and calls
 * {@link #stage} on one of its worker threads. Batches let a backend plan: a tape backend can sort a
 * batch by volume and position, an HTTP backend can ask its upstream to restore many files in one
 * request. Several batches may be staged at the same time, so implementations must be thread-safe.
 *
 * <p>A backend never touches the service's database or its HTTP resources, and never writes
 * anywhere but {@link StagingItem#temporaryFile()}: the service verifies the bytes and moves them
 * into place.
 */
public interface ArchiveBackend extends AutoCloseable {

    /**
     * Stages every item of the batch and reports exactly one outcome per item through
     * {@code listener}, as soon as that item is finished (not all at the end).
     *
     * <p>An item whose outcome is {@link StagingOutcome#fetched()} must have its complete content in
     * {@link StagingItem#temporaryFile()}. For any other outcome the service deletes whatever is left
     * there. Items for which the method returns without an outcome are retried later.
     *
     * <p>The service cancels items through {@link StagingBatch#cancel}; a backend checks
     * {@link StagingBatch#isCancelled(StagingItem)} before it starts an item (and, if it can, while it
     * works on one) and reports {@link StagingOutcome#cancelled()} for it. When the thread is
     * interrupted the service is shutting down: return promptly.
     *
     * @param batch the items to stage
     * @param listener receives one outcome per item; it may block while the service verifies and
     *     records the file, and it may be called from any thread
     * @throws InterruptedException when interrupted while waiting
     */
    void stage(StagingBatch batch, OutcomeListener listener) throws InterruptedException;

    /**
     * Checks that the backend can work now (archive reachable, tool present, credentials valid).
     * Called by the service's health check; keep it quick.
     *
     * @return the result, with a message an operator can act on when unhealthy
     */
    BackendHealth checkHealth();

    /** Releases threads, processes and connections. The default does nothing. */
    @Override
    default void close() throws Exception {
    }
}
