package org.stagehand.backend.hpss;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.stagehand.backend.StagingOutcome;
import org.stagehand.backend.support.Processes;

/**
 * The batch window and the planner thread's job: new files wait in the window until it closes;
 * then they are located with {@code hsi ls -P} a chunk at a time ({@link ListingSessions}) and
 * the located ones go back to the {@link RecallPlanner} to be queued by volume. The window is
 * guarded by the planner's lock.
 */
final class WindowListing implements Runnable {

    private static final Logger LOG = LoggerFactory.getLogger(WindowListing.class);

    private final RecallPlanner planner;
    private final PlannerLock lock;
    private final ListingSessions listings;
    private final HpssSettings settings;
    private final ListingParser listingParser;
    private final HsiHealth health;
    private final List<PlannedFile> waiting = new ArrayList<>();
    private long windowOpenedNanos;
    /** Whether the window's files are being listed now. */
    private boolean listing;

    WindowListing(RecallPlanner planner, PlannerLock lock, ListingSessions listings, HpssSettings settings,
            HsiHealth health) {
        this.planner = planner;
        this.lock = lock;
        this.listings = listings;
        this.settings = settings;
        this.listingParser = new ListingParser(settings.diskVolumePattern());
        this.health = health;
    }

    /** Holding the lock: whether files wait in the window or are being listed, and may be for a mounted volume. */
    boolean filesOnTheWay() {
        return listing || !waiting.isEmpty();
    }

    /**
     * Holding the lock: a new file waits in the window, which the first one opens; one that
     * comes {@code atOnce} closes it now.
     */
    void add(PlannedFile file, boolean atOnce) {
        if (waiting.isEmpty()) {
            windowOpenedNanos = System.nanoTime();
        }
        if (atOnce) {
            windowOpenedNanos = System.nanoTime() - settings.batchWindow().toNanos();
        }
        waiting.add(file);
    }

    @Override
    public void run() {
        try {
            Optional<List<PlannedFile>> toList;
            while ((toList = awaitWindow()).isPresent()) {
                List<PlannedFile> located = new ArrayList<>();
                for (List<PlannedFile> chunk : chunks(toList.get())) {
                    located.addAll(list(chunk));
                }
                planner.queueByVolume(located);
                lock.lock();
                try {
                    listing = false;
                } finally {
                    lock.unlock();
                }
            }
        } catch (InterruptedException e) {
            LOG.debug("planner stops");
        } catch (RuntimeException e) {
            LOG.error("the HPSS planner failed; files waiting now will be retried by the service", e);
        }
    }

    /**
     * Waits for files and then for their window to close; returns the window's files that are
     * still wanted, now being listed, or nothing once the planner is closed.
     */
    private Optional<List<PlannedFile>> awaitWindow() throws InterruptedException {
        List<PlannedFile> toList = new ArrayList<>();
        lock.lock();
        try {
            while (!lock.isClosed() && waiting.isEmpty()) {
                lock.awaitChange();
            }
            long deadline = windowOpenedNanos + settings.batchWindow().toNanos();
            long remaining;
            while (!lock.isClosed() && (remaining = deadline - System.nanoTime()) > 0) {
                lock.awaitChange(remaining);
            }
            if (lock.isClosed()) {
                return Optional.empty();
            }
            for (PlannedFile file : waiting) {
                if (!planner.dropIfUnwanted(file)) {
                    file.state = PlannedFile.State.LISTING;
                    toList.add(file);
                }
            }
            waiting.clear();
            listing = !toList.isEmpty();
        } finally {
            lock.unlock();
        }
        return Optional.of(toList);
    }

    private List<List<PlannedFile>> chunks(List<PlannedFile> toList) {
        return ListingCommands.chunks(toList, file -> file.remotePath, settings.maxPathsPerListing(),
                settings.maxCommandLineBytes());
    }

    /**
     * Locates a chunk of files with one {@code hsi ls -P}. Files it cannot locate get their
     * outcome now; located ones are returned, to be queued only when the whole window is listed
     * (queueing a chunk at a time would start a volume's recall before later chunks add to it).
     */
    private List<PlannedFile> list(List<PlannedFile> chunk) throws InterruptedException {
        List<String> paths = chunk.stream().map(file -> file.remotePath).toList();
        Processes.Output result = null;
        String startFailure = null;
        try {
            LOG.debug("listing {} file(s)", paths.size());
            result = listings.run(paths);
        } catch (IOException e) {
            startFailure = "cannot start hsi: " + e.getMessage();
        }
        ListingAnswer answer = new ListingAnswer(result, startFailure,
                result == null ? Map.of() : listingParser.parse(result.lines(), paths), settings.listTimeout());
        health.record(answer.problem());
        Map<PlannedFile, StagingOutcome> outcomes = new HashMap<>();
        List<PlannedFile> located = new ArrayList<>();
        lock.lock();
        try {
            for (PlannedFile file : chunk) {
                Optional<ArchiveFile> location = answer.located(file.remotePath);
                if (location.isPresent()) {
                    file.location = location.get();
                    located.add(file);
                } else {
                    outcomes.put(file, answer.outcome(file.remotePath));
                }
            }
        } finally {
            lock.unlock();
        }
        outcomes.forEach(planner::finish);
        return located;
    }
}
