package org.stagehand.backend.support;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * Where a backend's thread waits for news (a cancellation, a command's end, an item settled) or
 * a deadline, whichever comes first, without polling: whoever brings news calls {@link #signal()}
 * after changing what the waiter looks at. A signal given while nobody waits is not lost.
 */
public final class Wakeup {

    private boolean signalled;

    /** Wakes every waiting thread; the next {@link #await} returns at once if nobody waited. */
    public synchronized void signal() {
        signalled = true;
        notifyAll();
    }

    /** Waits until signalled, and takes the signal (one waiting thread). */
    public synchronized void await() throws InterruptedException {
        while (!signalled) {
            wait();
        }
        signalled = false;
    }

    /**
     * Waits until signalled or {@code timeout} has passed, and takes the signal (one waiting thread).
     *
     * @return whether it was signalled
     */
    public synchronized boolean await(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!signalled) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return false;
            }
            TimeUnit.NANOSECONDS.timedWait(this, left);
        }
        signalled = false;
        return true;
    }

    /**
     * Waits until {@code done} says so or {@code timeout} has passed, looking again at each signal;
     * leaves the signal to others (any number of waiting threads).
     *
     * @return whether {@code done} said so
     */
    public synchronized boolean awaitUntil(BooleanSupplier done, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!done.getAsBoolean()) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return false;
            }
            TimeUnit.NANOSECONDS.timedWait(this, left);
        }
        return true;
    }
}
