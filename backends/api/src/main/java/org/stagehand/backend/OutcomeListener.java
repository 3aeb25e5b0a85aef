package org.stagehand.backend;

/** Receives the outcome of each item of a {@link StagingBatch}. Implemented by the service. */
@FunctionalInterface
public interface OutcomeListener {

    /**
     * Records what became of one item. Call it once per item; later calls for the same item are
     * ignored. The call may block while the service verifies and renames the file.
     *
     * @param item an item of the batch being staged
     * @param outcome what happened to it
     */
    void report(StagingItem item, StagingOutcome outcome);
}
