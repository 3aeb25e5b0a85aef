package org.stagehand.work;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;
import com.codahale.metrics.Timer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.stagehand.area.StagingArea;
import org.stagehand.backend.ArchiveBackend;
import org.stagehand.backend.StagingBatch;
import org.stagehand.backend.StagingItem;
import org.stagehand.backend.StagingOutcome;

/**
 * Runs claimed batches on a fixed pool of workers: prepares each file's temporary file, records
 * files already in place without the backend, hands the rest to the backend and retries what it
 * returned without an outcome. A claim stays live (renewed) until its verified files are recorded,
 * but its worker is free as soon as the backend is done.
 */
final class BatchRunner implements VolumeScheduler.Joiner {

    private static final Logger LOG = LoggerFactory.getLogger(BatchRunner.class);

    private final WorkDao dao;
    private final StagingArea area;
    private final ArchiveBackend backend;
    private final PromotionQueue promotions;
    private final OutcomeRecorder.RetryPolicy retryPolicy;
    private final WorkMetrics metrics;
    private final ClientMessages messages;
    private final Clock clock;
    private final ClaimsUnderWay underWay;
    /** Whether the service still runs: a batch stopped by a shutdown is left as it stood. */
    private final BooleanSupplier running;
    /** Told when a claim is settled: its worker and its place in the promotion backlog are free. */
    private final Runnable settled;
    private final ExecutorService workers;
    private final AtomicInteger batchesInFlight = new AtomicInteger();

    BatchRunner(WorkDao dao, StagingArea area, ArchiveBackend backend, PromotionQueue promotions,
                OutcomeRecorder.RetryPolicy retryPolicy, WorkMetrics metrics, ClientMessages messages, Clock clock,
                ClaimsUnderWay underWay, int workerCount, BooleanSupplier running, Runnable settled) {
        this.dao = dao;
        this.area = area;
        this.backend = backend;
        this.promotions = promotions;
        this.retryPolicy = retryPolicy;
        this.metrics = metrics;
        this.messages = messages;
        this.clock = clock;
        this.underWay = underWay;
        this.running = running;
        this.settled = settled;
        AtomicInteger threadNumber = new AtomicInteger();
        this.workers = Executors.newFixedThreadPool(workerCount,
                runnable -> new Thread(runnable, "stagehand-worker-" + threadNumber.incrementAndGet()));
    }

    /** How many batches run now. */
    int batchesInFlight() {
        return batchesInFlight.get();
    }

    /**
     * Hands the files claimed under {@code token} to a worker; the claim is closed once they are
     * settled.
     *
     * @param backendDone runs when the backend is done with the batch (its worker is free)
     */
    void submit(String token, List<ClaimedFile> claimed, Runnable backendDone) {
        batchesInFlight.incrementAndGet();
        workers.execute(() -> {
            CompletableFuture<Void> recorded = CompletableFuture.completedFuture(null);
            try {
                recorded = run(token, claimed);
            } finally {
                batchesInFlight.decrementAndGet();
                backendDone.run();
                // The worker is free once the backend is done, but the claims stay live until their
                // verified files are recorded: a claim that no one holds is taken back.
                recorded.whenComplete((ignored, failure) -> {
                    underWay.close(token);
                    settled.run();
                });
            }
        });
    }

    /** Interrupts the batches under way; their claims are left as a crash would leave them. */
    void stop() throws InterruptedException {
        workers.shutdownNow();
        if (!workers.awaitTermination(30, TimeUnit.SECONDS)) {
            LOG.warn("staging workers did not stop within 30 s");
        }
    }

    /**
     * Prepares a batch's files, hands them to the backend and returns once the backend is done;
     * the future completes when every verified file is recorded.
     */
    private CompletableFuture<Void> run(String token, List<ClaimedFile> claimed) {
        Map<String, ClaimedFile> claims = new ConcurrentHashMap<>();
        claimed.forEach(claim -> claims.put(claim.entry().fileId(), claim));
        OutcomeRecorder recorder = new OutcomeRecorder(dao, area, promotions, claims, retryPolicy, metrics, messages, clock);
        underWay.recordedBy(token, recorder);
        StagingBatch batch = new StagingBatch(token, prepare(token, claimed, recorder));
        if (!batch.items().isEmpty() && !stage(batch, recorder)) {
            return CompletableFuture.completedFuture(null);
        }
        return recorder.promotionsDone().thenRun(() -> {
            if (!running.getAsBoolean()) {
                return;
            }
            for (StagingItem item : batch.items()) {
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

    /**
     * The files of the batch under {@code token} that the backend works on now, or empty when it
     * is not running or its backend takes no more items (one that never does: nothing is claimed for it).
     */
    @Override
    public Optional<Set<String>> heldBy(String token) {
        return underWay.batches().stream().filter(running -> running.id().equals(token) && running.takesMoreItems()).findFirst()
                .map(batch -> batch.items().stream().map(StagingItem::fileId).collect(Collectors.toSet()));
    }

    /**
     * Adds files claimed under {@code token} to its batch while the backend works on it
     * ({@link StagingBatch#addItems}), their places prepared as for the batch's first files.
     *
     * @return false when there is no such batch or its backend takes no more items; the files'
     *     claims are then given back to the queue, no attempt counted
     */
    @Override
    public boolean add(String token, List<ClaimedFile> more) {
        StagingBatch batch = underWay.batches().stream().filter(running -> running.id().equals(token)).findFirst().orElse(null);
        OutcomeRecorder recorder = underWay.recorder(token);
        if (batch == null || recorder == null) {
            more.forEach(claim -> dao.releaseCancelled(claim.entry().fileId(), token, clock.instant()));
            return false;
        }
        recorder.claimedMore(more);
        List<StagingItem> items = prepare(token, more, recorder);
        if (!items.isEmpty() && !batch.addItems(items)) {
            items.forEach(item -> recorder.report(item, StagingOutcome.cancelled()));
            return false;
        }
        return true;
    }

    /**
     * Each claimed file's temporary file, ready for the backend; files already in place, past
     * their attempts or whose place cannot be prepared are recorded here and left out.
     */
    private List<StagingItem> prepare(String token, List<ClaimedFile> claimed, OutcomeRecorder recorder) {
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
        return items;
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
        return !Thread.currentThread().isInterrupted() && running.getAsBoolean();
    }
}
