package org.stagehand.backend.hpss;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * One HPSS file the planner will recall once, for every request that waits for it. Fields are
 * guarded by the planner's lock, except {@link #errors}, which a session's output reader fills.
 */
final class PlannedFile {

    /** Where the file is in the planner's pipeline. */
    enum State {
        /** Gathered in the batch window, not yet listed. */
        WAITING,
        /** Its {@code ls -P} is running. */
        LISTING,
        /** Located and queued in a volume recall that has not started. */
        QUEUED,
        /** Its volume's {@code hsi} session is running. */
        IN_FLIGHT,
        /** Outcome delivered, or dropped for want of requests. */
        DONE
    }

    final String remotePath;
    final List<WaitingItem> subscribers = new ArrayList<>();
    final List<HsiMessages.HsiError> errors = new CopyOnWriteArrayList<>();
    State state = State.WAITING;
    ArchiveFile location;
    VolumeRecall recall;
    /** Put back in the queue once because another file of its session hung. */
    boolean requeuedAfterHang;
    /** The request whose temporary file {@code hsi} writes; set when the session starts. */
    WaitingItem target;

    PlannedFile(String remotePath) {
        this.remotePath = remotePath;
    }

    boolean isWanted() {
        return subscribers.stream().anyMatch(WaitingItem::isWanted);
    }

    Path targetFile() {
        return target.item().temporaryFile();
    }

    /**
     * Where hsi writes the target's temporary file: its real location as the staging root's guard
     * resolved it when the session began, so that no directory swapped for a link leads hsi out.
     */
    Path localFile;

    @Override
    public String toString() {
        return remotePath + " [" + state + "]";
    }
}
