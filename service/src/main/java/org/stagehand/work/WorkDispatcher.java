package org.stagehand.work;

import io.dropwizard.lifecycle.Managed;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import com.codahale.metrics.MetricRegistry;
import com.codahale.metrics.Timer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.stagehand.area.RelativePath;
import org.stagehand.area.StagingArea;
import org.stagehand.backend.ArchiveBackend;
import org.stagehand.backend.StagingBatch;
import org.stagehand.backend.StagingItem;

/**
 * Runs the staging work: claims due files from the database under a lease, hands them to the
 * backend in batches on a fixed pool of workers, renews the leases of work under way and takes back
 * claims abandoned by stopped or dead instances.
 *
 * <p>All state lives in the database: stopping (or crashing) at any moment leaves claims that this
 * instance takes back when it starts again, and that other instances take over when they expire.
 */
public final class WorkDispatcher implements Managed {

    private static final Logger LOG = LoggerFactory.getLogger(WorkDispatcher.class);
    /** Hex digits of a run's epoch, the first of every lease token (and temporary file name) it makes. */
    private static final int EPOCH_LENGTH = 12;

    private final WorkDao dao;
    private final ClientMessages messages;
    private final StagingArea area;
    private final ArchiveBackend backend;
    private final WorkConfiguration config;
    private final SpaceGuard space;
    private final String owner;
    private final Clock clock;
    private final WorkMetrics metrics;
    private final OutcomeRecorder.RetryPolicy retryPolicy;
    private final FreezePoints freezePoints;
    private final LeaseKeeper.ConnectionOpener leaseConnection;
    /** This run's epoch: a fresh ID per start, recorded in {@code instance_epoch}. */
    private final String epoch = UUID.randomUUID().toString().replace("-", "").substring(0, EPOCH_LENGTH);

    /** The claims this instance is working on: their leases are renewed, never taken back. */
    private final ClaimsUnderWay underWay = new ClaimsUnderWay();
    private final AtomicInteger batchesInFlight = new AtomicInteger();
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition wake = lock.newCondition();
    private boolean signalled;
    private volatile boolean running;
    private volatile boolean paused;
    private volatile boolean waitingForSpace;

    private LeaseKeeper leases;

    private ExecutorService workers;
    private ExecutorService flushers;
    private volatile PromotionQueue promotions;
    private ScheduledExecutorService housekeeping;
    private Thread dispatcherThread;

    /**
     * @param leaseConnection opens the connection of the lease thread, used for nothing else
     * @param freezePoints where tests hold threads; {@link FreezePoints#NONE} in service
     */
    public WorkDispatcher(WorkDao dao, StagingArea area, ArchiveBackend backend, WorkConfiguration config,
                          SpaceGuard space, String owner, ClientMessages messages, MetricRegistry metricRegistry,
                          Clock clock, LeaseKeeper.ConnectionOpener leaseConnection, FreezePoints freezePoints) {
        this.dao = dao;
        this.messages = messages;
        this.leaseConnection = leaseConnection;
        this.freezePoints = freezePoints;
        this.space = space;
        this.area = area;
        this.backend = backend;
        this.config = config;
        this.owner = owner;
        this.clock = clock;
        this.metrics = new WorkMetrics(metricRegistry);
        this.retryPolicy = new OutcomeRecorder.RetryPolicy(config.getMaxAttempts(),
                new Backoff(config.getInitialBackoff().toJavaDuration(), config.getMaxBackoff().toJavaDuration()));
    }

    /**
     * Prepares the staging area before the ports open: records this run's epoch, takes back this
     * instance's unfinished claims and sweeps the temporary files of runs known to be over.
     * Temporary files of live runs, and files whose names merely look like temporary files (no
     * epoch this service recorded), are never touched.
     */
    public void prepare() throws IOException, InterruptedException {
        Instant now = clock.instant();
        dao.startEpoch(epoch, owner, now, now.plus(config.getLeaseDuration().toJavaDuration()));
        dao.endEpochs(owner, epoch, false, now);
        int takenBack = takeBackAbandonedClaims();
        freezePoints.reached(FreezePoints.Point.SWEEPING);
        // Asked after the walk, so files of claims other instances make meanwhile stay.
        int swept = area.sweepTemporaryFiles(() -> {
            Set<String> ended = dao.endedEpochs(clock.instant());
            Set<String> active = Set.copyOf(dao.activeLeaseTokens());
            return token -> active.contains(token) || !ended.contains(token.substring(0, EPOCH_LENGTH));
        });
        LOG.info("work dispatcher '{}' (epoch {}) prepared: took back {} unfinished claims, removed {} leftover"
                + " temporary files", owner, epoch, takenBack, swept);
    }

    @Override
    public void start() throws Exception {
        running = true;
        AtomicInteger threadNumber = new AtomicInteger();
        workers = Executors.newFixedThreadPool(config.getWorkers(),
                runnable -> new Thread(runnable, "stagehand-worker-" + threadNumber.incrementAndGet()));
        AtomicInteger flusherNumber = new AtomicInteger();
        ThreadPoolExecutor flusherPool = new ThreadPoolExecutor(config.getFlushThreads(), config.getFlushThreads(),
                30, TimeUnit.SECONDS, new LinkedBlockingQueue<>(),
                runnable -> new Thread(runnable, "stagehand-flush-" + flusherNumber.incrementAndGet()));
        flusherPool.allowCoreThreadTimeOut(true);
        flushers = flusherPool;
        promotions = new PromotionQueue(dao, area, flushers, metrics, clock,
                config.getTransactionIdleTimeout().toJavaDuration().dividedBy(2), freezePoints);
        promotions.start();
        long period = Math.max(config.getPollInterval().toMilliseconds(), config.getLeaseDuration().toMilliseconds() / 3);
        leases = new LeaseKeeper(leaseConnection, epoch, config.getLeaseDuration().toJavaDuration(), Duration.ofMillis(period),
                clock, freezePoints, underWay);
        leases.start();
        housekeeping = Executors.newSingleThreadScheduledExecutor(runnable -> new Thread(runnable, "stagehand-housekeeping"));
        housekeeping.scheduleWithFixedDelay(this::housekeep, period, period, TimeUnit.MILLISECONDS);
        dispatcherThread = new Thread(this::dispatchLoop, "stagehand-dispatcher");
        dispatcherThread.start();
    }

    /**
     * Stops claiming, interrupts the batches under way and leaves their claims as a crash would:
     * the next start takes them back.
     */
    @Override
    public void stop() throws Exception {
        running = false;
        signal();
        if (housekeeping != null) {
            // Wait for a round under way: it must not take back the claims of batches stopped below.
            housekeeping.shutdownNow();
            housekeeping.awaitTermination(10, TimeUnit.SECONDS);
        }
        if (leases != null) {
            leases.stop();
        }
        if (dispatcherThread != null) {
            dispatcherThread.join(TimeUnit.SECONDS.toMillis(10));
        }
        if (workers != null) {
            workers.shutdownNow();
            if (!workers.awaitTermination(30, TimeUnit.SECONDS)) {
                LOG.warn("staging workers did not stop within 30 s");
            }
        }
        if (promotions != null) {
            promotions.stop();
        }
        if (flushers != null) {
            flushers.shutdownNow();
        }
        try {
            dao.endEpochs(owner, epoch, true, clock.instant());
        } catch (RuntimeException e) {
            LOG.warn("cannot record the end of epoch {} (it ends when its lease runs out): {}", epoch, e.toString());
        }
    }

    /** Wakes the dispatcher: new work may be due. */
    public void signal() {
        lock.lock();
        try {
            signalled = true;
            wake.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** Stops claiming new work; batches under way finish. Requests are still accepted and queued. */
    public void pause() {
        paused = true;
        LOG.info("work paused: no new work is claimed until resumed");
    }

    /** Claims work again after {@link #pause()}. */
    public void resume() {
        paused = false;
        LOG.info("work resumed");
        signal();
    }

    public boolean isPaused() {
        return paused;
    }

    /** How many verified files wait here to be flushed and moved into place. */
    public int filesAwaitingPromotion() {
        PromotionQueue queue = promotions;
        return queue == null ? 0 : queue.backlog();
    }

    /** How many batches run on this instance now. */
    public int batchesInFlight() {
        return batchesInFlight.get();
    }

    /**
     * Cancels, in the batches under way here, the files no request waits for any more. Called after
     * a request is cancelled here, and periodically for cancellations made on other instances.
     */
    public void cancelUnwantedWork() {
        List<StagingBatch> batches = List.copyOf(underWay.batches());
        if (batches.isEmpty()) {
            return;
        }
        try {
            Set<String> unwanted = Set.copyOf(dao.unwantedClaims(batches.stream().map(StagingBatch::id).toList()));
            if (unwanted.isEmpty()) {
                return;
            }
            for (StagingBatch batch : batches) {
                batch.cancel(batch.items().stream().filter(item -> unwanted.contains(item.fileId())).toList());
            }
            LOG.info("cancelled {} files under way that no request wants any more", unwanted.size());
        } catch (RuntimeException e) {
            LOG.error("cannot check for cancelled work (will try again): {}", e.toString());
        }
    }

    private void dispatchLoop() {
        while (running) {
            try {
                while (running && !paused && batchesInFlight.get() < config.getWorkers()
                        && promotions.backlog() < PromotionQueue.MAX_BACKLOG && claimAndSubmitBatch()) {
                    // keep claiming while there are free workers and due work
                }
            } catch (RuntimeException e) {
                LOG.error("cannot claim work (will try again): {}", e.toString());
            }
            awaitSignal(config.getPollInterval().toJavaDuration());
        }
    }

    private void awaitSignal(Duration timeout) {
        lock.lock();
        try {
            long nanos = timeout.toNanos();
            while (!signalled && running && nanos > 0) {
                nanos = wake.awaitNanos(nanos);
            }
            signalled = false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            running = false;
        } finally {
            lock.unlock();
        }
    }

    /** Claims one batch and hands it to a worker; false when nothing was due. */
    private boolean claimAndSubmitBatch() {
        String token = epoch + UUID.randomUUID().toString().replace("-", "").substring(EPOCH_LENGTH);
        underWay.open(token);
        List<ClaimedFile> claimed;
        try {
            WorkDao.Claim claim = claim(token);
            if (claim.bytesNeeded() > space.capacityBytes()) {
                // It would wait forever, and every due file behind it with it.
                failLargerThanCapacity(claim);
                underWay.close(token);
                return true;
            }
            if (claim.bytesNeeded() > 0 && space.makeRoom(claim.bytesNeeded())) {
                claim = claim(token);
            }
            waitingForSpace = claim.bytesNeeded() > 0;
            claimed = claim.files();
        } catch (RuntimeException e) {
            underWay.close(token);
            throw e;
        }
        if (claimed.isEmpty()) {
            underWay.close(token);
            return false;
        }
        batchesInFlight.incrementAndGet();
        workers.execute(() -> {
            CompletableFuture<Void> settled = CompletableFuture.completedFuture(null);
            try {
                settled = runBatch(token, claimed);
            } finally {
                batchesInFlight.decrementAndGet();
                // The worker is free once the backend is done, but the claims stay live until their
                // verified files are recorded: a claim that no one holds is taken back.
                settled.whenComplete((ignored, failure) -> {
                    underWay.close(token);
                    signal();
                });
            }
        });
        return true;
    }

    private void failLargerThanCapacity(WorkDao.Claim claim) {
        String message = "larger than the staging area's capacity (" + claim.bytesNeeded() + " bytes; lifecycle.capacity is "
                + space.capacityBytes() + " bytes)";
        if (dao.failPending(claim.fileNeedingSpace(), message, clock.instant())) {
            metrics.fileFailed("staging-area");
            LOG.warn("staging of {} failed: {}", claim.fileNeedingSpace(), message);
        }
    }

    private WorkDao.Claim claim(String token) {
        Instant now = clock.instant();
        return dao.claim(owner, token, now, now.plus(config.getLeaseDuration().toJavaDuration()),
                config.getMaxBatchSize(), space.freeBytes());
    }

    /** Whether due work waits because the staging area is at capacity. */
    public boolean isWaitingForSpace() {
        return waitingForSpace;
    }

    /**
     * Prepares a batch's files, hands them to the backend and returns once the backend is done;
     * the future completes when every verified file is recorded.
     */
    private CompletableFuture<Void> runBatch(String token, List<ClaimedFile> claimed) {
        Map<String, ClaimedFile> claims = new LinkedHashMap<>();
        claimed.forEach(claim -> claims.put(claim.entry().fileId(), claim));
        OutcomeRecorder recorder = new OutcomeRecorder(dao, area, promotions, claims, retryPolicy, metrics, messages, clock);
        underWay.recordedBy(token, recorder);
        List<StagingItem> items = new ArrayList<>();
        for (ClaimedFile claim : claimed) {
            StagingItem item;
            try {
                Path temporary = area.prepareTemporaryFile(claim.entry().stagingPath(), token);
                item = new StagingItem(claim.entry().fileId(), claim.entry().archiveLocation(),
                        claim.entry().stagingPath().value(), temporary, claim.entry().bytes(),
                        claim.entry().checksum(), claim.attempt());
            } catch (IOException | RuntimeException e) {
                try {
                    recorder.failBeforeStaging(claim, "cannot prepare its place in the staging area: " + e.getMessage());
                } catch (RuntimeException recordFailure) {
                    LOG.error("cannot record the failure of {}: {}", claim.entry().fileId(), recordFailure.toString());
                }
                continue;
            }
            if (claim.attempt() > retryPolicy.maxAttempts()) {
                recorder.retry(item, claim, "its last attempt ended without an outcome (the service stopped or crashed)",
                        Optional.empty());
            } else if (area.holdsVerifiedCopy(claim.entry().stagingPath(), claim.entry().bytes(), claim.entry().checksum())) {
                recorder.recordInPlace(item, claim);
            } else {
                items.add(item);
            }
        }
        if (!items.isEmpty() && !stage(new StagingBatch(token, items), recorder)) {
            return CompletableFuture.completedFuture(null);
        }
        return recorder.promotionsDone().thenRun(() -> {
            if (!running) {
                return;
            }
            for (StagingItem item : items) {
                if (!recorder.wasReported(item.fileId())) {
                    try {
                        recorder.retry(item, claims.get(item.fileId()), "the backend returned without an outcome for it",
                                Optional.empty());
                    } catch (RuntimeException e) {
                        LOG.error("cannot record the outcome of {}: {}", item.fileId(), e.toString());
                    }
                }
            }
        });
    }

    /** Hands a batch to the backend; false when the service is stopping and the batch was left as it stood. */
    private boolean stage(StagingBatch batch, OutcomeRecorder recorder) {
        underWay.staging(batch);
        Timer.Context timing = metrics.batchStarted();
        try {
            backend.stage(batch, recorder);
        } catch (InterruptedException e) {
            // Shutting down: the claims stay and are taken back at the next start.
            Thread.currentThread().interrupt();
            return false;
        } catch (RuntimeException e) {
            LOG.error("backend failed on {}: {}", batch, e.toString(), e);
        } finally {
            underWay.stagedOut(batch);
            metrics.batchEnded(timing);
        }
        return !Thread.currentThread().isInterrupted() && running;
    }

    private void housekeep() {
        try {
            if (takeBackAbandonedClaims() > 0) {
                signal();
            }
            cancelUnwantedWork();
        } catch (RuntimeException e) {
            LOG.error("cannot take back abandoned claims (will try again): {}", e.toString());
        }
    }

    /**
     * Puts back in the queue the claims whose lease expired, and this instance's own claims that no
     * worker holds (left by its previous run, or by a batch whose outcome could not be recorded),
     * then deletes their temporary files: only once the claim is no longer anyone's, so a claim
     * renewed at the last moment keeps its file.
     */
    private int takeBackAbandonedClaims() {
        Instant now = clock.instant();
        List<ExpiredLease> takenBack = dao.takeBack(now, owner, underWay::isLive);
        for (ExpiredLease lease : takenBack) {
            if (lease.stagingPath() == null) {
                continue;
            }
            try {
                area.discard(area.temporaryFile(new RelativePath(lease.stagingPath()), lease.leaseToken()));
            } catch (IllegalArgumentException e) {
                LOG.warn("claim on {} names an unusable staging path: {}", lease.fileId(), e.getMessage());
            }
        }
        if (!takenBack.isEmpty()) {
            LOG.info("took back {} abandoned claims", takenBack.size());
        }
        return takenBack.size();
    }
}
