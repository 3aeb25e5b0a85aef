package org.stagehand.work;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.stagehand.backend.LocatesOnTape;
import org.stagehand.backend.LocatesOnTape.TapePlace;
import org.stagehand.backend.support.Wakeup;

/**
 * Asks the backend where newly queued files lie, on a thread of its own, and keeps the answers
 * with their work rows. The archive's tool may take minutes to answer (HPSS lists only in a free
 * session, and recalls may hold every one): meanwhile the claim loop goes on claiming the volumes
 * already located. Files the backend places nowhere, or cannot say about now, are staged without
 * tape planning.
 */
final class QueueLocator {

    private static final Logger LOG = LoggerFactory.getLogger(QueueLocator.class);
    /** How many queued files one question to the backend names. */
    static final int CHUNK = 1_000;

    private final WorkDao dao;
    private final LocatesOnTape locator;
    private final Clock clock;
    /** Called after files were located: they may be due for a mount. */
    private final Runnable located;
    private final Wakeup wakeup = new Wakeup();
    private final Thread thread;
    /** Guarded by {@code this}, with {@link #asking}: the thread is interrupted only inside the backend, never in JDBC. */
    private boolean running = true;
    private boolean asking;
    /** Guarded by {@code this}: a round asked for and not begun; since when locating is asked for or under way (-1: idle). */
    private boolean asked;
    private long busySinceNanos = -1;

    QueueLocator(WorkDao dao, LocatesOnTape locator, Clock clock, Runnable located) {
        this.dao = dao;
        this.locator = locator;
        this.clock = clock;
        this.located = located;
        this.thread = new Thread(this::run, "stagehand-locator");
    }

    void start() {
        thread.start();
    }

    /** Files may have been queued: locate them soon. Never waits. */
    void locateSoon() {
        synchronized (this) {
            asked = true;
            if (busySinceNanos < 0) {
                busySinceNanos = System.nanoTime();
            }
        }
        wakeup.signal();
    }

    /**
     * Waits until the files queued so far are located, but no longer than until locating has been
     * under way for {@code bound}: a listing stuck behind recalls must not hold up the claims.
     */
    synchronized void awaitLocated(Duration bound) throws InterruptedException {
        while (running && busySinceNanos >= 0) {
            long left = busySinceNanos + bound.toNanos() - System.nanoTime();
            if (left <= 0) {
                return;
            }
            TimeUnit.NANOSECONDS.timedWait(this, left);
        }
    }

    /** Stops the thread, ending a question to the backend under way. */
    void stop() throws InterruptedException {
        synchronized (this) {
            running = false;
            if (asking) {
                thread.interrupt();
            }
            notifyAll();
        }
        wakeup.signal();
        thread.join(Duration.ofSeconds(10).toMillis());
    }

    /** Idle now, unless another round was asked for meanwhile (its files have a bound of their own). */
    private synchronized void roundEnded() {
        busySinceNanos = asked ? System.nanoTime() : -1;
        notifyAll();
    }

    private synchronized boolean running() {
        return running;
    }

    private void run() {
        while (running()) {
            try {
                wakeup.await();
                synchronized (this) {
                    asked = false;
                }
                int count;
                do {
                    count = locateNext();
                    if (count > 0) {
                        located.run();
                    }
                } while (count == CHUNK && running());
            } catch (InterruptedException e) {
                return;
            } catch (RuntimeException e) {
                LOG.error("cannot locate queued files (will try again): {}", e.toString());
            } finally {
                roundEnded();
            }
        }
    }

    /**
     * Asks where the next queued files lie and keeps the answers with their rows.
     *
     * @return how many files were located (0: none were waiting)
     */
    int locateNext() throws InterruptedException {
        List<VolumeQueries.Unlocated> unlocated = dao.unlocated(CHUNK);
        if (unlocated.isEmpty()) {
            return 0;
        }
        Map<String, TapePlace> places;
        try {
            places = ask(unlocated.stream().map(VolumeQueries.Unlocated::archiveLocation).distinct().toList());
        } catch (IOException e) {
            LOG.warn("cannot say where {} queued files lie ({}); they are staged without tape planning",
                    unlocated.size(), e.getMessage());
            places = Map.of();
        }
        if (stopping()) {
            throw new InterruptedException("stopping");
        }
        List<String> fileIds = new ArrayList<>();
        List<String> volumes = new ArrayList<>();
        List<Long> positions = new ArrayList<>();
        List<Long> offsets = new ArrayList<>();
        for (VolumeQueries.Unlocated file : unlocated) {
            TapePlace place = places.getOrDefault(file.archiveLocation(), TapePlace.onDisk());
            fileIds.add(file.fileId());
            volumes.add(place.volume().orElse(null));
            positions.add(place.position());
            offsets.add(place.offset());
        }
        dao.recordPlaces(fileIds, volumes, positions, offsets, clock.instant());
        return unlocated.size();
    }

    private Map<String, TapePlace> ask(List<String> locations) throws IOException, InterruptedException {
        synchronized (this) {
            if (!running) {
                throw new InterruptedException("stopping");
            }
            asking = true;
        }
        try {
            return locator.locate(locations);
        } finally {
            synchronized (this) {
                asking = false;
            }
        }
    }

    /** Whether to stop; takes an interrupt meant for the backend call, which must not reach the database. */
    private synchronized boolean stopping() {
        return Thread.interrupted() | !running;
    }
}
