package org.stagehand.work;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
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
 * <p>Nothing is recorded ready before its file is durable at its place, and nothing is moved into
 * place unless its claim is still this instance's, checked under the row locks of the transaction
 * that records it. A crash at any point leaves either a temporary file, swept at the next start, or
 * a complete copy in place that the next claim of the file finds verified.
 */
final class PromotionQueue {

    private static final Logger LOG = LoggerFactory.getLogger(PromotionQueue.class);

    /** Keeps a group's statements within a few hundred bound parameters. */
    private static final int MAX_GROUP = 500;
    /** No more work is claimed while this many files wait: copying must not outrun the disk for long. */
    static final int MAX_BACKLOG = 2 * MAX_GROUP;

    /** A verified file waiting to be moved into place and recorded, for the recorder of its batch. */
    record VerifiedCopy(OutcomeRecorder recorder, StagingItem item, ClaimedFile claim, StagingArea.Promotion promotion,
                   long bytes, CompletableFuture<Void> done) {
    }

    private final BlockingQueue<VerifiedCopy> queue = new LinkedBlockingQueue<>();
    /** Groups in place, waiting to be recorded: the next group is flushed while one is recorded. */
    private final BlockingQueue<List<VerifiedCopy>> inPlace = new LinkedBlockingQueue<>();
    private final WorkDao dao;
    private final StagingArea area;
    private final Executor flushers;
    private final WorkMetrics metrics;
    private final Clock clock;
    private final List<Thread> threads = new ArrayList<>();
    private final Duration moveWindow;
    private final FreezePoints freezePoints;

    /**
     * @param moveWindow how long after its claims were checked a group may still be moved into
     *     place: half the server's limit on a session idle in a transaction
     */
    PromotionQueue(WorkDao dao, StagingArea area, Executor flushers, WorkMetrics metrics, Clock clock,
                   Duration moveWindow, FreezePoints freezePoints) {
        this.dao = dao;
        this.moveWindow = moveWindow;
        this.freezePoints = freezePoints;
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
        List<VerifiedCopy> abandoned = new ArrayList<>();
        queue.drainTo(abandoned);
        inPlace.forEach(abandoned::addAll);
        inPlace.clear();
        abandoned.forEach(copy -> copy.done().cancel(false));
    }

    /** How many files wait for their group. */
    int backlog() {
        return queue.size();
    }

    /** Queues a verified file; the future completes once it is recorded, or its failure handled. */
    CompletableFuture<Void> submit(OutcomeRecorder recorder, StagingItem item, ClaimedFile claim,
                                   StagingArea.Promotion promotion, long bytes) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        queue.add(new VerifiedCopy(recorder, item, claim, promotion, bytes, done));
        return done;
    }

    private void promoteGroups() {
        while (!Thread.currentThread().isInterrupted()) {
            List<VerifiedCopy> group = new ArrayList<>();
            List<VerifiedCopy> flushed = new ArrayList<>();
            try {
                group.add(queue.take());
                queue.drainTo(group, MAX_GROUP - 1);
                flushed.addAll(flush(group));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (RuntimeException e) {
                LOG.error("cannot flush {} verified files: {}", group.size(), e.toString(), e);
            } finally {
                if (!flushed.isEmpty()) {
                    inPlace.add(flushed);
                }
                Set<VerifiedCopy> handedOn = Collections.newSetFromMap(new IdentityHashMap<>());
                handedOn.addAll(flushed);
                // The batches waiting on the others go on; a file left unrecorded is found in place on its next claim.
                group.stream().filter(copy -> !handedOn.contains(copy)).forEach(copy -> copy.done().complete(null));
            }
        }
    }

    /** Flushes a group to disk; returns those flushed, having handled the failures. */
    private List<VerifiedCopy> flush(List<VerifiedCopy> group) throws InterruptedException {
        Map<StagingArea.Promotion, IOException> failures =
                area.flush(group.stream().map(VerifiedCopy::promotion).toList(), flushers);
        List<VerifiedCopy> flushed = new ArrayList<>();
        for (VerifiedCopy copy : group) {
            IOException failure = failures.get(copy.promotion());
            if (failure != null) {
                copy.recorder().promotionFailed(copy.item(), copy.claim(), failure);
            } else {
                flushed.add(copy);
            }
        }
        return flushed;
    }

    private void recordGroups() {
        while (!Thread.currentThread().isInterrupted()) {
            List<VerifiedCopy> group = new ArrayList<>();
            try {
                group.addAll(inPlace.take());
                // Groups that were flushed while the last one was recorded go in one transaction.
                List<List<VerifiedCopy>> more = new ArrayList<>();
                inPlace.drainTo(more);
                more.forEach(group::addAll);
                record(group);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } finally {
                group.forEach(copy -> copy.done().complete(null));
            }
        }
    }

    /**
     * Moves a flushed group into place and records it ready, in one transaction that first checks
     * each claim is still this instance's (see {@link WorkDao#placeAndSettleReady}). A file whose claim was
     * taken over is never moved: its temporary file is deleted.
     */
    private void record(List<VerifiedCopy> group) {
        Map<String, VerifiedCopy> byFile = new LinkedHashMap<>();
        Map<String, String> tokenByFile = new LinkedHashMap<>();
        for (VerifiedCopy copy : group) {
            copy.recorder().settling(copy.item().fileId());
            byFile.put(copy.item().fileId(), copy);
            tokenByFile.put(copy.item().fileId(), copy.claim().leaseToken());
        }
        Set<String> held = ConcurrentHashMap.newKeySet();
        Map<String, IOException> failures = new ConcurrentHashMap<>();
        Set<String> recorded = Set.of();
        boolean checked = false;
        try {
            recorded = dao.placeAndSettleReady(tokenByFile, clock.instant(), heldFiles -> {
                held.addAll(heldFiles);
                return moveIntoPlace(heldFiles, byFile, failures);
            });
            checked = true;
        } catch (RuntimeException e) {
            // Typically the database is unreachable. Copies already moved are durable in place and
            // found verified on their next claim; the claims are taken back later.
            LOG.error("cannot record {} staged files ready: {}", tokenByFile.size(), e.toString());
        }
        for (VerifiedCopy copy : group) {
            String fileId = copy.item().fileId();
            IOException failure = failures.get(fileId);
            if (recorded.contains(fileId)) {
                continue;
            }
            if (failure != null) {
                copy.recorder().promotionFailed(copy.item(), copy.claim(), failure);
            } else if (checked && !held.contains(fileId)) {
                LOG.warn("claim on {} was taken over while it was staged; its copy is not moved into place", fileId);
            }
            if (!copy.promotion().isInPlace()) {
                area.discard(copy.promotion().temporary());
            }
        }
    }

    /**
     * Moves the held files of a group into place, inside the recording transaction, and only for
     * as long as that transaction's row locks are sure to stand: a session frozen past half the
     * server's idle limit may have been ended, its locks released and its claims taken over.
     */
    private Set<String> moveIntoPlace(Set<String> heldFiles, Map<String, VerifiedCopy> byFile,
                                      Map<String, IOException> failures) {
        long checkedAt = System.nanoTime();
        List<VerifiedCopy> copies = heldFiles.stream().map(byFile::get).toList();
        Map<StagingArea.Promotion, IOException> moveFailures;
        try {
            freezePoints.reached(FreezePoints.Point.MOVING_INTO_PLACE);
            moveFailures = area.moveIntoPlace(copies.stream().map(VerifiedCopy::promotion).toList(), flushers,
                    () -> System.nanoTime() - checkedAt < moveWindow.toNanos());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while moving files into place", e);
        }
        Set<String> placed = new LinkedHashSet<>();
        for (VerifiedCopy copy : copies) {
            IOException failure = moveFailures.get(copy.promotion());
            if (failure != null) {
                failures.put(copy.item().fileId(), failure);
                continue;
            }
            if (!copy.promotion().isInPlace()) {
                metrics.fileStaged(copy.bytes());
            }
            placed.add(copy.item().fileId());
        }
        return placed;
    }
}
