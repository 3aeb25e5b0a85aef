package org.stagehand.work;

/**
 * A file's state for one request ({@code request_file.state}); the constant's name is the stored
 * value. Where a request's row stands follows from the file's work, by {@link #of(FileState)},
 * except {@link #CANCELLED}, which only the request decides.
 */
public enum RequestFileState {
    /** Not in place yet: the request waits for the file's work. */
    WAITING,
    /** Verified in place. */
    READY,
    /** Failed for good, for this request. */
    FAILED,
    /** The request was cancelled before the file was in place. */
    CANCELLED;

    /**
     * The state of a request's row for a file whose work is in {@code work}: a request waits while
     * the file is queued, copied or set aside (a new request queues an idle or failed file again
     * before its row is written), and ends as the work ended.
     */
    public static RequestFileState of(FileState work) {
        return switch (work) {
            case PENDING, ACTIVE, IDLE -> WAITING;
            case READY -> READY;
            case FAILED -> FAILED;
        };
    }
}
