package org.stagehand.requests;

/**
 * Where a request stands as a whole, derived from its files' rows ({@code request_file}) and its
 * cancellation; each door gives it its own word (the DTS calls {@link #WAITING} {@code staging}).
 */
public enum RequestStatus {
    /** Some file is not in place yet. */
    WAITING,
    /** Every file is in place. */
    READY,
    /** No file waits any more and some failed for good. */
    FAILED,
    /** The request was cancelled, whatever its files did. */
    CANCELLED;

    /** The rule every reader of a request's status follows: cancelled first, then waiting, then failed, else ready. */
    public static RequestStatus of(boolean cancelled, long waitingFiles, long failedFiles) {
        return cancelled ? CANCELLED : waitingFiles > 0 ? WAITING : failedFiles > 0 ? FAILED : READY;
    }
}
