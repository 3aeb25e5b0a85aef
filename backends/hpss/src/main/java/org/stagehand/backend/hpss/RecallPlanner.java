package org.stagehand.backend.hpss;

import com.codahale.metrics.MetricRegistry;
import com.codahale.metrics.Counter;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.stagehand.backend.MountListener;
import org.stagehand.backend.StagingOutcome;
import org.stagehand.backend.TapeTimeline;
import org.stagehand.backend.support.DaemonThreads;
import org.stagehand.backend.support.StagingRootGuard;

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
 *
 * <p>This class keeps the files' states under the planner's one lock ({@link PlannerLock}); the
 * batch window and its listing are {@link WindowListing}'s, the listing sessions
 * {@link ListingSessions}', the recall sessions {@link RecallSessions}' and the readiness estimate
 * {@link PlanEstimate}'s.
 */
final class RecallPlanner implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(RecallPlanner.class);

    private final PlannerLock lock = new PlannerLock();
    /** Every file not yet done, by HPSS path. */
    private final Map<String, PlannedFile> files = new HashMap<>();
    private final RecallQueue queue;
    private final WindowListing window;
    private final ListingSessions listings;
    private final RecallSessions sessions;
    private final PlanEstimate estimate;
    private final SessionFeeds feeds;
    private final Thread plannerThread;

    private final Counter joined;
    private final OutcomeDelivery delivery;
    private final HsiHealth health = new HsiHealth();
    private final MountListener mounts;
    /** Every delete and write of a temporary file goes through it. */
    private final StagingRootGuard stagingArea;

    RecallPlanner(HpssSettings settings, Hsi hsi, MetricRegistry metrics, String threadPrefix, MountListener mounts,
            StagingRootGuard stagingArea) {
        this.mounts = mounts;
        this.stagingArea = stagingArea;
        this.queue = new RecallQueue(settings.maxSessions());
        this.joined = metrics.counter("hpss.files.joined");
        this.delivery = new OutcomeDelivery(metrics, stagingArea);
        this.estimate = new PlanEstimate(settings.maxSessions(), this::visitsAhead);
        metrics.gauge("hpss.files.planned", () -> this::plannedFileCount);
        this.listings = new ListingSessions(lock, hsi, settings, metrics.counter("hpss.listings"));
        this.sessions = new RecallSessions(this, hsi, settings, health, metrics, threadPrefix);
        this.window = new WindowListing(this, lock, listings, settings, health);
        this.feeds = new SessionFeeds(lock, window);
        this.plannerThread = new DaemonThreads(threadPrefix + "-hpss-planner").newThread(window);
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

    /**
     * Adds requests to the plan: each joins its file if the file is already planned.
     *
     * @param atOnce close the batch window now: the files may join a volume being read
     */
    void submit(Collection<WaitingItem> requests, boolean atOnce) {
        lock.lock();
        try {
            if (lock.isClosed()) {
                throw new IllegalStateException("the HPSS backend is closed");
            }
            for (WaitingItem request : requests) {
                PlannedFile file = files.get(request.remotePath());
                if (file == null) {
                    file = new PlannedFile(request.remotePath());
                    files.put(file.remotePath, file);
                    window.add(file, atOnce);
                } else {
                    joined.inc();
                    LOG.debug("{} joins {}", request, file);
                }
                file.subscribers.add(request);
                request.attachTo(file);
            }
            lock.changed();
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

    /** The readiness estimate of the planned files, and the rates it uses. */
    PlanEstimate estimate() {
        return estimate;
    }

    /** The gate for the temporary files hsi writes: none is deleted or written below a link leaving the staging root. */
    StagingRootGuard stagingArea() {
        return stagingArea;
    }

    /** Told of each session begun on a tape volume. */
    MountListener mounts() {
        return mounts;
    }

    private List<TapeTimeline.Visit> visitsAhead(long nowNanos) {
        lock.lock();
        try {
            return queue.visits(nowNanos);
        } finally {
            lock.unlock();
        }
    }

    // ---- the batch window's files, listed ({@link WindowListing}) ----

    /** Under the lock: forgets a file that is not being recalled when no request wants it. */
    boolean dropIfUnwanted(PlannedFile file) {
        if (file.state == PlannedFile.State.IN_FLIGHT || file.isWanted()) {
            return false;
        }
        files.remove(file.remotePath, file);
        file.state = PlannedFile.State.DONE;
        return true;
    }

    /** Queues located files by volume and starts what can start. */
    void queueByVolume(List<PlannedFile> located) {
        lock.lock();
        try {
            for (PlannedFile file : located) {
                if (file.state == PlannedFile.State.LISTING && !dropIfUnwanted(file) && !queue.joinRunning(file)) {
                    queue.enqueue(file);
                }
            }
            dispatch();
        } finally {
            lock.unlock();
        }
    }

    /** The running sessions' feeds, under the planner's lock. */
    SessionFeeds feeds() {
        return feeds;
    }

    /** The sessions that run {@code hsi ls -P}. */
    ListingSessions listings() {
        return listings;
    }

    // ---- volume recalls ({@link RecallSessions}) ----

    /** Under the lock: starts the queued recalls that may start ({@link RecallQueue}). */
    private void dispatch() {
        if (lock.isClosed()) {
            return;
        }
        queue.startable(this::dropIfUnwanted).forEach(sessions::start);
    }

    /** A recall's session has ended: its slot is free. Returns whether the planner is closing. */
    boolean recallEnded(VolumeRecall recall) {
        lock.lock();
        try {
            queue.ended(recall);
            lock.changed();
            dispatch();
            return lock.isClosed();
        } finally {
            lock.unlock();
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
            lock.close();
        } finally {
            lock.unlock();
        }
        plannerThread.interrupt();
        sessions.close(); // interrupts sessions, which end their hsi processes
        plannerThread.join(10_000);
    }
}
