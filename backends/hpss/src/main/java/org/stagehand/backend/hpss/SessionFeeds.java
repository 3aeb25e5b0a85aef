package org.stagehand.backend.hpss;

import java.util.List;

/**
 * What the running recall sessions ask of the plan about their feeds ({@link SessionFeed}), each
 * question answered under the planner's lock.
 */
final class SessionFeeds {

    private final PlannerLock lock;
    private final WindowListing window;

    SessionFeeds(PlannerLock lock, WindowListing window) {
        this.lock = lock;
        this.window = window;
    }

    /**
     * The next file the running recall hands its hsi, or null when none waits; files passed over
     * because no request wants them any more go to {@code unwanted}, for the caller to finish.
     */
    PlannedFile nextToSend(VolumeRecall recall, List<PlannedFile> unwanted) {
        lock.lock();
        try {
            PlannedFile next;
            while ((next = recall.feed.next()) != null && !next.isWanted()) {
                unwanted.add(next);
            }
            return next;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Closes the recall's feed when no file waits in it and none is on its way (in the batch
     * window or being listed), or when {@code lingered} long enough for them.
     *
     * @return whether the feed is closed: the session may tell hsi to quit
     */
    boolean closeIfDone(VolumeRecall recall, boolean lingered) {
        lock.lock();
        try {
            if (!recall.feed.isEmpty() || !lingered && window.filesOnTheWay()) {
                return false;
            }
            return recall.feed.closeIfEmpty();
        } finally {
            lock.unlock();
        }
    }

    /** Closes the ended recall's feed; returns the files it never handed to hsi. */
    List<PlannedFile> close(VolumeRecall recall) {
        lock.lock();
        try {
            return recall.feed.closeAndDrain();
        } finally {
            lock.unlock();
        }
    }
}
