package org.stagehand.work;

/** Where a file's staging work stands ({@code staged_file.state}). */
public enum FileState {
    /** Waiting to be claimed, not before {@code not_before}. */
    PENDING,
    /** Claimed by an instance under a lease. */
    ACTIVE,
    /** Verified in place in the staging area. */
    READY,
    /** Failed for good; a new request for the file tries again. */
    FAILED,
    /** No request wants the file any more (all were cancelled); a new request queues it again. */
    IDLE
}
