package org.stagehand.backend.hpss;

import com.codahale.metrics.Counter;
import java.io.IOException;
import java.util.List;
import org.stagehand.backend.support.Processes;

/**
 * Runs {@code hsi ls -P} listings, the planner's and the path lookups' alike, each as a session
 * counted against {@code maxSessions} in the {@link RecallQueue}, ahead of recalls that wait for
 * one.
 */
final class ListingSessions {

    private final PlannerLock lock;
    private final RecallQueue queue;
    private final Hsi hsi;
    private final HpssSettings settings;
    private final Counter listings;
    /** Called holding the lock when a session is free: starts the recalls that may start. */
    private final Runnable dispatch;

    ListingSessions(PlannerLock lock, RecallQueue queue, Hsi hsi, HpssSettings settings, Counter listings,
            Runnable dispatch) {
        this.lock = lock;
        this.queue = queue;
        this.hsi = hsi;
        this.settings = settings;
        this.listings = listings;
        this.dispatch = dispatch;
    }

    /** Runs one {@code ls -P} of these HPSS paths once a session is free. */
    Processes.Output run(List<String> remotePaths) throws IOException, InterruptedException {
        acquireSession();
        try {
            listings.inc();
            return hsi.run(ListingCommands.command(remotePaths), settings.listTimeout());
        } finally {
            releaseSession();
        }
    }

    private void acquireSession() throws InterruptedException {
        lock.lock();
        try {
            queue.listingWaits();
            try {
                while (!lock.isClosed() && !queue.sessionFree()) {
                    lock.awaitChange();
                }
            } finally {
                queue.listingStopsWaiting();
            }
            if (lock.isClosed()) {
                throw new InterruptedException("closing");
            }
            queue.listingStarts();
        } finally {
            lock.unlock();
        }
    }

    private void releaseSession() {
        lock.lock();
        try {
            queue.listingEnds();
            lock.changed();
            dispatch.run();
        } finally {
            lock.unlock();
        }
    }
}
