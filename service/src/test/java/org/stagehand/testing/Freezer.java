package org.stagehand.testing;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import org.stagehand.work.FreezePoints;

/**
 * Holds the threads of one test app at the points a test freezes, until it thaws them: an
 * instance frozen there, as by SIGSTOP, while the rest of the JVM goes on.
 */
public final class Freezer implements FreezePoints {

    private final Map<Point, CountDownLatch> frozen = new ConcurrentHashMap<>();
    private final Map<Point, AtomicInteger> held = new ConcurrentHashMap<>();

    /** Threads reaching {@code point} from now on wait there until {@link #thaw}. */
    public void freeze(Point point) {
        frozen.put(point, new CountDownLatch(1));
    }

    /** Lets every thread held at {@code point} go on, and the later ones pass. */
    public void thaw(Point point) {
        CountDownLatch latch = frozen.remove(point);
        if (latch != null) {
            latch.countDown();
        }
    }

    /** How many threads wait at {@code point} now. */
    public int heldAt(Point point) {
        AtomicInteger count = held.get(point);
        return count == null ? 0 : count.get();
    }

    @Override
    public void reached(Point point) throws InterruptedException {
        CountDownLatch latch = frozen.get(point);
        if (latch == null) {
            return;
        }
        AtomicInteger count = held.computeIfAbsent(point, key -> new AtomicInteger());
        count.incrementAndGet();
        try {
            latch.await();
        } finally {
            count.decrementAndGet();
        }
    }
}
