package org.stagehand.backend.hpss;

import com.codahale.metrics.Counter;
import com.codahale.metrics.MetricRegistry;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.stagehand.backend.StagingOutcome;
import org.stagehand.backend.TapeTimeline;
import org.stagehand.backend.support.DaemonThreads;
import org.stagehand.backend.support.Processes;

/**
 * The one place where all concurrent {@code stage()} calls meet, so that their files share tape
 * mounts.
 *
 * <p>Requests arrive and wait for the batch window; then their files are located with
 * {@code hsi ls -P}, grouped by volume (disk-resident files in a group of their own, served first)
 * and queued as {@link VolumeRecall}s, which run as up to {@code maxSessions} concurrent
 * {@code hsi} sessions, never two on the same volume. A request for a file that is already
 * waiting, being listed, queued or being recalled joins that file instead of planning it again;
 * when the file arrives it is copied into every joined request's temporary file.
 */
final class RecallPlanner implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(RecallPlanner.class);

    /** How long one estimate of the whole plan serves every status poll. */
    private static final long ESTIMATE_REUSE_NANOS = 1_000_000_000L;

    private final HpssSettings settings;
    private final Hsi hsi;
    private final RecallRates rates = new RecallRates();
    private Map<String, Instant> lastEstimate = Map.of();
    private long lastEstimateNanos;
    private final ListingParser listingParser;

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    /** Every file not yet done, by HPSS path. */
    private final Map<String, PlannedFile> files = new HashMap<>();
    private final List<PlannedFile> waiting = new ArrayList<>();
    private long windowOpenedNanos;
    private final RecallQueue queue;
    private boolean closed;

    private final ExecutorService sessionThreads;
    private final Thread plannerThread;

    private final Counter listings;
    private final Counter recalls;
    private final Counter joined;
    private final OutcomeDelivery delivery;
    private final HsiHealth health = new HsiHealth();

    RecallPlanner(HpssSettings settings, Hsi hsi, MetricRegistry metrics, String threadPrefix) {
        this.settings = settings;
        this.hsi = hsi;
        this.listingParser = new ListingParser(settings.diskVolumePattern());
        this.queue = new RecallQueue(settings.maxSessions());
        this.listings = metrics.counter("hpss.listings");
        this.recalls = metrics.counter("hpss.recalls");
        this.joined = metrics.counter("hpss.files.joined");
        this.delivery = new OutcomeDelivery(metrics);
        metrics.gauge("hpss.files.planned", () -> this::plannedFileCount);
        this.sessionThreads = Executors.newCachedThreadPool(new DaemonThreads(threadPrefix + "-hpss-session"));
        this.plannerThread = new DaemonThreads(threadPrefix + "-hpss-planner").newThread(this::planLoop);
        this.plannerThread.start();
    }

    private int plannedFileCount() {
        lock.lock();
        try {
            return files.size();
        } finally {
            lock.unlock();
        }
    }

    // ---- requests arriving and leaving ----

    /** Adds requests to the plan: each joins its file if the file is already planned. */
    void submit(Collection<WaitingItem> requests) {
        lock.lock();
        try {
            if (closed) {
                throw new IllegalStateException("the HPSS backend is closed");
            }
            for (WaitingItem request : requests) {
                PlannedFile file = files.get(request.remotePath());
                if (file == null) {
                    file = new PlannedFile(request.remotePath());
                    files.put(file.remotePath, file);
                    if (waiting.isEmpty()) {
                        windowOpenedNanos = System.nanoTime();
                    }
                    waiting.add(file);
                } else {
                    joined.inc();
                    LOG.debug("{} joins {}", request, file);
                }
                file.subscribers.add(request);
                request.attachTo(file);
            }
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /**
     * Withdraws a cancelled request and reports it cancelled, except while hsi writes into its
     * temporary file: then the report waits until hsi is done with the file. A running session
     * whose remaining files nobody wants any more is ended.
     */
    void cancel(WaitingItem request) {
        boolean reportNow;
        lock.lock();
        try {
            if (request.isSettled()) {
                return;
            }
            PlannedFile file = request.file();
            if (file.state == PlannedFile.State.IN_FLIGHT && file.target == request) {
                request.deferCancellation();
                reportNow = false;
            } else {
                file.subscribers.remove(request);
                reportNow = true;
            }
            stopIfUnwanted(file);
        } finally {
            lock.unlock();
        }
        if (reportNow) {
            request.report(StagingOutcome.cancelled());
        }
    }

    /** Forgets requests whose {@code stage()} call was interrupted; they get no outcome. */
    void abandon(Collection<WaitingItem> requests) {
        lock.lock();
        try {
            for (WaitingItem request : requests) {
                if (!request.abandon() || request.file() == null) {
                    continue;
                }
                PlannedFile file = request.file();
                if (file.target != request) {
                    file.subscribers.remove(request);
                }
                stopIfUnwanted(file);
            }
        } finally {
            lock.unlock();
        }
    }

    /** Under the lock: ends the file's running session if none of its unfinished files is wanted. */
    private void stopIfUnwanted(PlannedFile file) {
        if (file.state != PlannedFile.State.IN_FLIGHT || file.isWanted()) {
            return;
        }
        VolumeRecall recall = file.recall;
        boolean anyWanted = recall.files.stream()
                .anyMatch(other -> other.state == PlannedFile.State.IN_FLIGHT && other.isWanted());
        if (!anyWanted) {
            recall.requestStop();
        }
    }

    // ---- estimates ----

    RecallRates rates() {
        return rates;
    }

    /**
     * When the files at these HPSS paths are expected to be fetched: those queued or being
     * recalled, once rates have been measured; the others have no estimate.
     */
    Map<String, Instant> estimatedReadyAt(Collection<String> remotePaths) {
        Optional<TapeTimeline.DriveRates> measured = rates.current();
        if (measured.isEmpty()) {
            return Map.of();
        }
        Map<String, Instant> plan;
        lock.lock();
        try {
            long now = System.nanoTime();
            if (now - lastEstimateNanos > ESTIMATE_REUSE_NANOS || lastEstimateNanos == 0) {
                lastEstimate = TapeTimeline.estimate(Instant.now(), settings.maxSessions(), measured.get(),
                        queue.visits(now));
                lastEstimateNanos = now;
            }
            plan = lastEstimate;
        } finally {
            lock.unlock();
        }
        Map<String, Instant> wanted = new HashMap<>();
        for (String path : remotePaths) {
            Instant at = plan.get(path);
            if (at != null) {
                wanted.put(path, at);
            }
        }
        return wanted;
    }

    // ---- the planner thread: batch window, then listing ----

    private void planLoop() {
        try {
            while (true) {
                List<PlannedFile> toList = new ArrayList<>();
                lock.lock();
                try {
                    while (!closed && waiting.isEmpty()) {
                        changed.await();
                    }
                    long deadline = windowOpenedNanos + settings.batchWindow().toNanos();
                    long remaining;
                    while (!closed && (remaining = deadline - System.nanoTime()) > 0) {
                        changed.awaitNanos(remaining);
                    }
                    if (closed) {
                        return;
                    }
                    for (PlannedFile file : waiting) {
                        if (!dropIfUnwanted(file)) {
                            file.state = PlannedFile.State.LISTING;
                            toList.add(file);
                        }
                    }
                    waiting.clear();
                } finally {
                    lock.unlock();
                }
                List<PlannedFile> located = new ArrayList<>();
                for (List<PlannedFile> chunk : listingChunks(toList)) {
                    located.addAll(list(chunk));
                }
                queueByVolume(located);
            }
        } catch (InterruptedException e) {
            LOG.debug("planner stops");
        } catch (RuntimeException e) {
            LOG.error("the HPSS planner failed; files waiting now will be retried by the service", e);
        }
    }

    private List<List<PlannedFile>> listingChunks(List<PlannedFile> toList) {
        return ListingCommands.chunks(toList, file -> file.remotePath, settings.maxPathsPerListing(),
                settings.maxCommandLineBytes());
    }

    /** Under the lock: forgets a file that is not being recalled when no request wants it. */
    private boolean dropIfUnwanted(PlannedFile file) {
        if (file.state == PlannedFile.State.IN_FLIGHT || file.isWanted()) {
            return false;
        }
        files.remove(file.remotePath, file);
        file.state = PlannedFile.State.DONE;
        return true;
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
            result = runListing(paths);
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
        outcomes.forEach(this::finish);
        return located;
    }

    /** Queues located files by volume and starts what can start. */
    private void queueByVolume(List<PlannedFile> located) {
        lock.lock();
        try {
            for (PlannedFile file : located) {
                if (file.state == PlannedFile.State.LISTING && !dropIfUnwanted(file)) {
                    queue.enqueue(file);
                }
            }
            dispatch();
        } finally {
            lock.unlock();
        }
    }

    /**
     * Runs one {@code ls -P} of these HPSS paths as a session counted against {@code maxSessions},
     * ahead of recalls that wait for one: the planner's listings and the path lookups' alike.
     */
    Processes.Output runListing(List<String> remotePaths) throws IOException, InterruptedException {
        acquireSessionForListing();
        try {
            listings.inc();
            return hsi.run(ListingCommands.command(remotePaths), settings.listTimeout());
        } finally {
            releaseSession();
        }
    }

    private void acquireSessionForListing() throws InterruptedException {
        lock.lock();
        try {
            queue.listingWaits();
            try {
                while (!closed && !queue.sessionFree()) {
                    changed.await();
                }
            } finally {
                queue.listingStopsWaiting();
            }
            if (closed) {
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
            changed.signalAll();
            dispatch();
        } finally {
            lock.unlock();
        }
    }

    // ---- volume recalls ----

    /** Under the lock: starts the queued recalls that may start ({@link RecallQueue}). */
    private void dispatch() {
        if (closed) {
            return;
        }
        for (VolumeRecall recall : queue.startable(this::dropIfUnwanted)) {
            recalls.inc();
            sessionThreads.execute(() -> runRecall(recall));
        }
    }

    private void runRecall(VolumeRecall recall) {
        try {
            health.record(recall.run(this, hsi, settings));
        } catch (InterruptedException e) {
            LOG.info("{} interrupted: the backend is closing", recall);
        } catch (RuntimeException e) {
            LOG.error("{} failed", recall, e);
            health.record(recall + " failed: " + e);
        } finally {
            boolean closing;
            lock.lock();
            try {
                closing = closed;
                queue.ended(recall);
                changed.signalAll();
                dispatch();
            } finally {
                lock.unlock();
            }
            if (!closing) {
                for (PlannedFile file : recall.files) {
                    if (file.state != PlannedFile.State.DONE && file.recall == recall) {
                        finish(file, StagingOutcome.retry("the recall from " + recall.label() + " ended unexpectedly"));
                    }
                }
            }
        }
    }

    /**
     * Queues files of a session that was killed because another file hung, for a recall of
     * their volume without that file; it starts when the killed session has ended.
     */
    void requeue(List<PlannedFile> again) {
        List<PlannedFile> unwanted = new ArrayList<>();
        lock.lock();
        try {
            for (PlannedFile file : again) {
                if (file.state == PlannedFile.State.DONE) {
                    continue;
                }
                if (!file.isWanted()) {
                    unwanted.add(file); // finish() reports a deferred cancellation
                    continue;
                }
                file.errors.clear();
                file.requeuedAfterHang = true;
                queue.enqueue(file);
            }
        } finally {
            lock.unlock();
        }
        unwanted.forEach(file -> finish(file, StagingOutcome.retry("the recall from " + file.recall.label()
                + " was stopped before " + file.remotePath + " because no request wanted it any more")));
    }

    /**
     * Ends a file: its outcome goes to every item waiting for it ({@link OutcomeDelivery}).
     */
    void finish(PlannedFile file, StagingOutcome outcome) {
        List<WaitingItem> subscribers;
        WaitingItem target;
        lock.lock();
        try {
            if (file.state == PlannedFile.State.DONE) {
                return;
            }
            files.remove(file.remotePath, file);
            file.state = PlannedFile.State.DONE;
            subscribers = List.copyOf(file.subscribers);
            file.subscribers.clear();
            target = file.target;
        } finally {
            lock.unlock();
        }
        delivery.deliver(subscribers, target, outcome);
    }

    // ---- health and shutdown ----

    /** The last problem when the last few hsi calls all failed, else empty. */
    Optional<String> persistentProblem() {
        return health.persistentProblem();
    }

    /** Stops planning, ends every hsi process and lets waiting {@code stage()} calls return. */
    @Override
    public void close() throws InterruptedException {
        lock.lock();
        try {
            closed = true;
            changed.signalAll();
        } finally {
            lock.unlock();
        }
        plannerThread.interrupt();
        sessionThreads.shutdownNow(); // interrupts sessions, which end their hsi processes
        if (!sessionThreads.awaitTermination(10, TimeUnit.SECONDS)) {
            LOG.warn("hsi sessions still running after 10 s");
        }
        plannerThread.join(10_000);
    }
}
