package org.stagehand.work;

/** Keeps staging within the staging area's capacity. */
public interface SpaceGuard {

    /** Bytes that may still be staged; {@link Long#MAX_VALUE} when there is no limit. */
    long freeBytes();

    /** Bytes that may be staged in all; {@link Long#MAX_VALUE} when there is no limit. */
    long capacityBytes();

    /** Evicts unpinned copies until {@code bytes} fit; returns whether they do. */
    boolean makeRoom(long bytes);
}
