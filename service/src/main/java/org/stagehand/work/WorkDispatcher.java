package org.stagehand.work;

import io.dropwizard.lifecycle.Managed;
import java.io.IOException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Predicate;
import com.codahale.metrics.MetricRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.stagehand.area.StagingArea;
import org.stagehand.backend.ArchiveBackend;
import org.stagehand.backend.StagingBatch;
import org.stagehand.backend.support.Backoff;

/**
 * Runs the staging work: the claim loop, which claims due files under a lease ({@link WorkClaimer})
 * while workers are free and hands them to the {@link BatchRunner}; the {@link LeaseKeeper}, which
 * renews the leases of work under way; and housekeeping, which takes back claims abandoned by
 * stopped or dead instances.
 *
 * <p>All state lives in the database: stopping (or crashing) at any moment leaves claims that this
 * instance takes back when it starts again, and that other instances take over when they expire.
 */
public final class WorkDispatcher implements Managed {

    private static final Logger LOG = LoggerFactory.getLogger(WorkDispatcher.class);

    private final WorkDao dao;
    private final ClientMessages messages;
    private final StagingArea area;
    private final ArchiveBackend backend;
    private final WorkConfiguration config;
    private final String owner;
    private final Clock clock;
    private final WorkMetrics metrics;
    private final OutcomeRecorder.RetryPolicy retryPolicy;
    private final FreezePoints freezePoints;
    private final LeaseKeeper.ConnectionOpener leaseConnection;
    private final boolean postgres;
    /** This run's epoch: a fresh ID per start, recorded in {@code instance_epoch}. */
    private final String epoch;

    /** The claims this instance is working on: their leases are renewed, never taken back. */
    private final ClaimsUnderWay underWay = new ClaimsUnderWay();
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition wake = lock.newCondition();
    private boolean signalled;
    private volatile boolean running;
    private volatile boolean paused;

    private LeaseKeeper leases;

    private final WorkClaimer claimer;
    private final AbandonedClaims abandoned;
    /** Plans the queue by volume; null for a backend that cannot say where files lie. */
    private final VolumeScheduler volumes;
    private BatchRunner batches;
    private ExecutorService flushers;
    private volatile PromotionQueue promotions;
    private ScheduledExecutorService housekeeping;
    private Thread dispatcherThread;

    /**
     * @param leaseConnection opens the connection of the lease thread, used for nothing else
     * @param freezePoints where tests hold threads; {@link FreezePoints#NONE} in service
     * @param postgres whether the database is PostgreSQL (else H2), for the claim statements' dialect
     */
    public WorkDispatcher(WorkDao dao, StagingArea area, ArchiveBackend backend, WorkConfiguration config,
                          SpaceGuard space, String owner, ClientMessages messages, MetricRegistry metricRegistry,
                          Clock clock, LeaseKeeper.ConnectionOpener leaseConnection, FreezePoints freezePoints,
                          boolean postgres) {
        this.dao = dao;
        this.postgres = postgres;
        this.messages = messages;
        this.leaseConnection = leaseConnection;
        this.freezePoints = freezePoints;
        this.area = area;
        this.backend = backend;
        this.config = config;
        this.owner = owner;
        this.clock = clock;
        this.epoch = Epochs.of(clock.instant(), new SecureRandom());
        this.metrics = new WorkMetrics(metricRegistry);
        this.claimer = new WorkClaimer(dao, space, owner, config.getLeaseDuration().toJavaDuration(), clock, metrics);
        this.abandoned = new AbandonedClaims(dao, area, owner, clock, underWay);
        this.volumes = VolumeScheduler.locatorOf(backend, config.getTape())
                .map(locator -> new VolumeScheduler(dao, locator, claimer, config.getTape(), owner, clock, this::signal)).orElse(null);
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
        dao.epochs().startEpoch(epoch, owner, now, now.plus(config.getLeaseDuration().toJavaDuration()));
        dao.epochs().endEpochs(owner, epoch, false, now);
        // Each start adds a row; the rows of runs long over go, and still count as over below.
        int pruned = dao.epochs().pruneEpochs(now.minus(config.getEpochRetention().toJavaDuration()));
        int takenBack = abandoned.takeBack();
        freezePoints.reached(FreezePoints.Point.SWEEPING);
        // Asked after the walk, so files of claims other instances make meanwhile stay.
        int swept = area.sweepTemporaryFiles(() -> {
            Instant asked = clock.instant();
            Predicate<String> over = Epochs.over(dao.epochs().epochsAliveUntil(), asked,
                    asked.minus(config.getEpochRetention().toJavaDuration()));
            Set<String> active = Set.copyOf(dao.activeLeaseTokens());
            return token -> active.contains(token) || !over.test(token.substring(0, Epochs.LENGTH));
        });
        LOG.info("work dispatcher '{}' (epoch {}) prepared: took back {} unfinished claims, removed {} leftover"
                + " temporary files, forgot {} runs long over", owner, epoch, takenBack, swept, pruned);
    }

    @Override
    public void start() throws Exception {
        running = true;
        AtomicInteger flusherNumber = new AtomicInteger();
        ThreadPoolExecutor flusherPool = new ThreadPoolExecutor(config.getFlushThreads(), config.getFlushThreads(),
                30, TimeUnit.SECONDS, new LinkedBlockingQueue<>(),
                runnable -> new Thread(runnable, "stagehand-flush-" + flusherNumber.incrementAndGet()));
        flusherPool.allowCoreThreadTimeOut(true);
        flushers = flusherPool;
        promotions = new PromotionQueue(dao, area, flushers, metrics, clock,
                config.getTransactionIdleTimeout().toJavaDuration().dividedBy(2), freezePoints);
        promotions.start();
        batches = new BatchRunner(dao, area, backend, promotions, retryPolicy, metrics, messages, clock, underWay,
                config.getWorkers() + (volumes == null ? 0 : volumes.maxSessions()), () -> running, this::signal);
        long period = Math.max(config.getPollInterval().toMilliseconds(), config.getLeaseDuration().toMilliseconds() / 3);
        leases = new LeaseKeeper(leaseConnection, epoch, config.getLeaseDuration().toJavaDuration(), Duration.ofMillis(period),
                clock, freezePoints, underWay);
        leases.start();
        housekeeping = Executors.newSingleThreadScheduledExecutor(runnable -> new Thread(runnable, "stagehand-housekeeping"));
        housekeeping.scheduleWithFixedDelay(this::housekeep, period, period, TimeUnit.MILLISECONDS);
        if (volumes != null) {
            volumes.start();
        }
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
        if (volumes != null) {
            volumes.stop();
        }
        if (batches != null) {
            batches.stop();
        }
        if (promotions != null) {
            promotions.stop();
        }
        if (flushers != null) {
            flushers.shutdownNow();
        }
        try {
            dao.epochs().endEpochs(owner, epoch, true, clock.instant());
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
        BatchRunner runner = batches;
        return runner == null ? 0 : runner.batchesInFlight();
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
                if (volumes != null && running && !paused && promotions.backlog() < PromotionQueue.MAX_BACKLOG) {
                    planByVolume();
                }
                while (running && !paused && batchesInFlight() - volumesMounted() < config.getWorkers()
                        && promotions.backlog() < PromotionQueue.MAX_BACKLOG && claimAndSubmitBatch()) {
                    // keep claiming while there are free workers and due work
                }
            } catch (RuntimeException e) {
                LOG.error("cannot claim work (will try again): {}", e.toString());
            }
            awaitSignal(config.getPollInterval().toJavaDuration());
        }
    }

    /**
     * Has newly queued files located, adds those of volumes mounted here to their batches, then
     * claims the volumes due now while drives are free.
     */
    private void planByVolume() {
        volumes.locateQueued();
        volumes.joinMountedVolumes(batches);
        volumes.claimDueVolumes(this::openToken, underWay::close, (token, files, backendDone) ->
                batches.submit(token, files, () -> {
                    backendDone.run();
                    signal(); // a drive is free
                }));
    }

    private int volumesMounted() {
        return volumes == null ? 0 : volumes.volumesMounted();
    }

    /**
     * A read-only snapshot of the tape plan (every instance's), when the queue is planned by
     * volume: empty for a backend that cannot say where files lie, or with
     * {@code work.tape.scheduling: BATCHES}.
     */
    public Optional<TapePlan> tapePlan() {
        return Optional.ofNullable(volumes).map(VolumeScheduler::snapshot);
    }

    /** A fresh lease token, live from now on. */
    private String openToken() {
        String token = epoch + UUID.randomUUID().toString().replace("-", "").substring(Epochs.LENGTH);
        underWay.open(token);
        return token;
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

    /** Claims one batch and hands it to a worker; false when there is nothing to claim now. */
    private boolean claimAndSubmitBatch() {
        String token = openToken();
        WorkClaimer.Claim claim;
        try {
            claim = claimer.claim(token, volumes == null
                    ? (transaction, now) -> transaction.lockDue(now, config.getMaxBatchSize(), postgres)
                    : (transaction, now) -> transaction.lockDueOffTape(now, config.getMaxBatchSize(), postgres));
        } catch (RuntimeException e) {
            underWay.close(token);
            throw e;
        }
        if (claim.files().isEmpty()) {
            underWay.close(token);
            return claim.claimAgain();
        }
        batches.submit(token, claim.files(), () -> { });
        return true;
    }

    private void housekeep() {
        try {
            if (abandoned.takeBack() > 0) {
                signal();
            }
            cancelUnwantedWork();
        } catch (RuntimeException e) {
            LOG.error("cannot take back abandoned claims (will try again): {}", e.toString());
        }
    }
}
