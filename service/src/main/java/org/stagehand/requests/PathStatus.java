package org.stagehand.requests;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * The state of a request named by paths, path by path in the order asked.
 *
 * @param startedAt when the first of its files started (its work claimed, or it settled from work);
 *     null while none has
 * @param completedAt when the last file settled; null while any is to come
 */
public record PathStatus(UUID requestId, Instant createdAt, Instant startedAt, Instant completedAt, List<PathFile> files) {

    /** Where one path of a request stands. */
    public enum State {
        /** Queued: its work has not started. */
        QUEUED,
        /** Being copied out of the archive. */
        STAGING,
        /** Verified in place. */
        READY,
        /** Failed for good, for this request (or names no file). */
        FAILED,
        /** Cancelled before it was in place. */
        CANCELLED;

        public boolean settled() {
            return this != QUEUED && this != STAGING;
        }
    }

    /**
     * One path.
     *
     * @param name the path as the client named it
     * @param error for a failed or cancelled file, why (never empty); otherwise null
     * @param finishedAt when it settled; null while to come
     */
    public record PathFile(String name, State state, String error, Instant finishedAt) {
    }
}
