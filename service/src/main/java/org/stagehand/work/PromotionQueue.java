package org.stagehand.work;

import java.io.IOException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
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
    /** No more work is claimed while this many files wait: copying must not outrun the disk for long. */
    static final int MAX_BACKLOG = 2 * MAX_GROUP;

    /** A verified file waiting to be moved into place and recorded, for the recorder of its batch. */
    record Pending(OutcomeRecorder recorder, StagingItem item, ClaimedFile claim, StagingArea.Promotion promotion,
                   long bytes, CompletableFuture<Void> done) {
    }

    private final BlockingQueue<Pending> queue = new LinkedBlockingQueue<>();
    /** Groups in place, waiting to be recorded: the next group is flushed while one is recorded. */
    private final BlockingQueue<List<Pending>> inPlace = new LinkedBlockingQueue<>();
    private final WorkDao dao;
    private final StagingArea area;
    private final Executor flushers;
    private final WorkMetrics metrics;
    private final Clock clock;
    private final List<Thread> threads = new ArrayList<>();

    PromotionQueue(WorkDao dao, StagingArea area, Executor flushers, WorkMetrics metrics, Clock clock) {
        this.dao = dao;
        this.area = area;
        this.flushers = flushers;
        this.metrics = metrics;
        this.clock = clock;
    }

    void start() {
        threads.add(new Thread(this::promoteGroups, "stagehand-promoter"));
        threads.add(new Thread(this::recordGroups, "stagehand-ready-recorder"));
        threads.forEach(Thread::start);
    }

    /** Stops after the groups under way; files still queued stay under their temporary names. */
    void stop() throws InterruptedException {
        for (Thread thread : threads) {
            thread.interrupt();
            thread.join();
        }
        List<Pending> abandoned = new ArrayList<>();
        queue.drainTo(abandoned);
        inPlace.forEach(abandoned::addAll);
        inPlace.clear();
        abandoned.forEach(pending -> pending.done().cancel(false));
    }

    /** How many files wait for their group. */
    int backlog() {
        return queue.size();
    }

    /** Queues a verified file; the future completes once it is recorded, or its failure handled. */
    CompletableFuture<Void> submit(OutcomeRecorder recorder, StagingItem item, ClaimedFile claim,
                                   StagingArea.Promotion promotion, long bytes) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        queue.add(new Pending(recorder, item, claim, promotion, bytes, done));
        return done;
    }

    private void promoteGroups() {
        while (!Thread.currentThread().isInterrupted()) {
            List<Pending> group = new ArrayList<>();
            Set<Pending> promoted = Collections.newSetFromMap(new IdentityHashMap<>());
            try {
                group.add(queue.take());
                queue.drainTo(group, MAX_GROUP - 1);
                promoted.addAll(promote(group));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (RuntimeException e) {
                LOG.error("cannot move {} verified files into place: {}", group.size(), e.toString(), e);
            } finally {
                if (!promoted.isEmpty()) {
                    inPlace.add(group.stream().filter(promoted::contains).toList());
                }
                // The batches waiting on the others go on; a file left unrecorded is found in place on its next claim.
                group.stream().filter(pending -> !promoted.contains(pending)).forEach(pending -> pending.done().complete(null));
            }
        }
    }

    /** Moves a group into place; returns those now durable there, having handled the failures. */
    private List<Pending> promote(List<Pending> group) throws InterruptedException {
        Map<StagingArea.Promotion, IOException> failures =
                area.promote(group.stream().map(Pending::promotion).toList(), flushers);
        List<Pending> promoted = new ArrayList<>();
        for (Pending pending : group) {
            IOException failure = failures.get(pending.promotion());
            if (failure != null) {
                pending.recorder().promotionFailed(pending.item(), pending.claim(), failure);
            } else {
                if (!pending.promotion().isInPlace()) {
                    metrics.fileStaged(pending.bytes());
                }
                promoted.add(pending);
            }
        }
        return promoted;
    }

    private void recordGroups() {
        while (!Thread.currentThread().isInterrupted()) {
            List<Pending> group = new ArrayList<>();
            try {
                group.addAll(inPlace.take());
                // Groups that were flushed while the last one was recorded go in one transaction.
                List<List<Pending>> more = new ArrayList<>();
                inPlace.drainTo(more);
                more.forEach(group::addAll);
                record(group);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } finally {
                group.forEach(pending -> pending.done().complete(null));
            }
        }
    }

    private void record(List<Pending> group) {
        Map<String, String> tokenByFile = new LinkedHashMap<>();
        group.forEach(pending -> tokenByFile.put(pending.item().fileId(), pending.claim().leaseToken()));
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
