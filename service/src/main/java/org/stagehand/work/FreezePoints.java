package org.stagehand.work;

/**
 * Places in the work cycle where a test holds a thread to act out an instance frozen there (a
 * SIGSTOP, a long garbage-collection pause, a hung NFS call), so that the rules about leases can
 * be tried with two instances in one JVM. The service itself runs with {@link #NONE}.
 */
public interface FreezePoints {

    /** Where a thread can be held. */
    enum Point {
        /** Start-up, before the staging area is swept (the ports must not be open yet). */
        SWEEPING,
        /** The lease thread, at the start of each round: while held, no lease is renewed. */
        RENEWING_LEASES,
        /**
         * The ready recorder, inside its transaction, the rows of its files locked and their
         * claims checked, just before it moves the files into place.
         */
        MOVING_INTO_PLACE
    }

    /** Nothing is ever held. */
    FreezePoints NONE = point -> {
    };

    /** Called by the thread that reaches {@code point}; returns when the thread may go on. */
    void reached(Point point) throws InterruptedException;
}
