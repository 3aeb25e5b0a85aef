package org.stagehand.backend.hpss;

import com.codahale.metrics.Counter;
import java.io.IOException;
import java.util.List;
import org.stagehand.backend.support.Processes;

/**
 * Runs {@code hsi ls -P} listings, the planner's and the path lookups' alike, at most
 * {@code maxListingSessions} at once. They are not counted against the recall sessions: a
 * listing takes no drive, and a new file for a mounted volume must be located while every
 * session reads, or it could not join the mount.
 */
final class ListingSessions {

    private final PlannerLock lock;
    private final Hsi hsi;
    private final HpssSettings settings;
    private final Counter listings;
    /** Listings running now, guarded by the lock. */
    private int running;

    ListingSessions(PlannerLock lock, Hsi hsi, HpssSettings settings, Counter listings) {
        this.lock = lock;
        this.hsi = hsi;
        this.settings = settings;
        this.listings = listings;
    }

    /** Runs one {@code ls -P} of these HPSS paths once a listing session is free. */
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
            while (!lock.isClosed() && running >= settings.maxListingSessions()) {
                lock.awaitChange();
            }
            if (lock.isClosed()) {
                throw new InterruptedException("closing");
            }
            running++;
        } finally {
            lock.unlock();
        }
    }

    private void releaseSession() {
        lock.lock();
        try {
            running--;
            lock.changed();
        } finally {
            lock.unlock();
        }
    }
}
