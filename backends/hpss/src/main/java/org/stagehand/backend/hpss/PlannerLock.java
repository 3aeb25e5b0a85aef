package org.stagehand.backend.hpss;

import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The planner's one lock, which guards every {@link PlannedFile}, the {@link RecallQueue}, the
 * batch window and the listing sessions; the one condition that every change signals; and
 * whether the planner is closed.
 */
final class PlannerLock {

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private boolean closed;

    void lock() {
        lock.lock();
    }

    void unlock() {
        lock.unlock();
    }

    /** Holding the lock: waits for the next change. */
    void awaitChange() throws InterruptedException {
        changed.await();
    }

    /** Holding the lock: waits for the next change, at most this long. */
    void awaitChange(long nanos) throws InterruptedException {
        changed.awaitNanos(nanos);
    }

    /** Holding the lock: wakes everyone waiting for a change. */
    void changed() {
        changed.signalAll();
    }

    /** Holding the lock. */
    boolean isClosed() {
        return closed;
    }

    /** Holding the lock: closes the planner and wakes everyone waiting. */
    void close() {
        closed = true;
        changed.signalAll();
    }
}
