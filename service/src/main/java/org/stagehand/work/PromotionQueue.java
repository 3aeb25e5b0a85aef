package org.stagehand.work;

import java.io.IOException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.LinkedBlockingQueue;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.stagehand.area.StagingArea;
import org.stagehand.backend.StagingItem;

/**
 * Moves verified copies into place and records them ready, a group at a time: while one group is
 * flushed to disk, renamed and committed, the files verified meanwhile queue up and go together
 * next. A file system commits concurrent flushes together and the database commits a group in one
 * transaction, so under load a group of small files costs about what one file does; a file that
 * arrives alone goes at once.
 *
 * <p>Nothing is recorded ready before its file is durable at its place. A crash at any point leaves
 * either a temporary file, swept at the next start, or a complete copy in place that the next claim
 * of the file finds verified.
 */
final class PromotionQueue {

    private static final Logger LOG = LoggerFactory.getLogger(PromotionQueue.class);

    /** Keeps a group's statements within a few hundred bound parameters. */
    private static final int MAX_GROUP = 500;

    /** A verified file waiting to be moved into place and recorded, for the recorder of its batch. */
    record Pending(OutcomeRecorder recorder, StagingItem item, ClaimedFile claim, StagingArea.Promotion promotion,
                   long bytes, CompletableFuture<Void> done) {
    }

    private final BlockingQueue<Pending> queue = new LinkedBlockingQueue<>();
    private final WorkDao dao;
    private final StagingArea area;
    private final Executor flushers;
    private final WorkMetrics metrics;
    private final Clock clock;
    private Thread thread;

    PromotionQueue(WorkDao dao, StagingArea area, Executor flushers, WorkMetrics metrics, Clock clock) {
        this.dao = dao;
        this.area = area;
        this.flushers = flushers;
        this.metrics = metrics;
        this.clock = clock;
    }

    void start() {
        thread = new Thread(this::run, "stagehand-promoter");
        thread.start();
    }

    /** Stops after the group under way; files still queued stay under their temporary names. */
    void stop() throws InterruptedException {
        if (thread != null) {
            thread.interrupt();
            thread.join();
        }
        List<Pending> abandoned = new ArrayList<>();
        queue.drainTo(abandoned);
        abandoned.forEach(pending -> pending.done().cancel(false));
    }

    /** Queues a verified file; the future completes once it is recorded, or its failure handled. */
    CompletableFuture<Void> submit(OutcomeRecorder recorder, StagingItem item, ClaimedFile claim,
                                   StagingArea.Promotion promotion, long bytes) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        queue.add(new Pending(recorder, item, claim, promotion, bytes, done));
        return done;
    }

    private void run() {
        List<Pending> group = new ArrayList<>();
        while (!Thread.currentThread().isInterrupted()) {
            try {
                group.add(queue.take());
                queue.drainTo(group, MAX_GROUP - 1);
                promote(group);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (RuntimeException e) {
                LOG.error("cannot move {} verified files into place: {}", group.size(), e.toString(), e);
            } finally {
                // The batches waiting on these go on; files not recorded are found in place on the next claim.
                group.forEach(pending -> pending.done().complete(null));
                group.clear();
            }
        }
    }

    private void promote(List<Pending> group) throws InterruptedException {
        Map<StagingArea.Promotion, Pending> byPromotion = new LinkedHashMap<>();
        group.forEach(pending -> byPromotion.put(pending.promotion(), pending));
        Map<StagingArea.Promotion, IOException> failures = area.promote(List.copyOf(byPromotion.keySet()), flushers);

        Map<String, String> tokenByFile = new LinkedHashMap<>();
        for (Pending pending : group) {
            IOException failure = failures.get(pending.promotion());
            if (failure != null) {
                pending.recorder().promotionFailed(pending.item(), pending.claim(), failure);
            } else {
                if (!pending.promotion().isInPlace()) {
                    metrics.fileStaged(pending.bytes());
                }
                tokenByFile.put(pending.item().fileId(), pending.claim().leaseToken());
            }
        }
        if (tokenByFile.isEmpty()) {
            return;
        }
        try {
            Set<String> recorded = dao.recordReady(tokenByFile, clock.instant());
            if (recorded.size() < tokenByFile.size()) {
                tokenByFile.keySet().stream().filter(fileId -> !recorded.contains(fileId)).forEach(fileId -> LOG.warn(
                        "claim on {} was taken over while it was staged; the verified copy stays in place", fileId));
            }
        } catch (RuntimeException e) {
            // Typically the database is unreachable. The claims are taken back later, and the copies,
            // durable in place, are found verified on their next claim.
            LOG.error("cannot record {} staged files ready: {}", tokenByFile.size(), e.toString());
        }
    }
}
