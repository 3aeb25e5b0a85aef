package org.stagehand.work;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;
import org.stagehand.area.StagingArea;
import org.stagehand.backend.OutcomeListener;
import org.stagehand.backend.StagingItem;
import org.stagehand.backend.StagingOutcome;
import org.stagehand.backend.support.Backoff;

/**
 * Turns a backend's per-file outcomes into staging-area and database changes for one batch: a
 * fetched file is verified, then handed to the {@link PromotionQueue}, which makes it durable and
 * renames it into place before recording it ready; anything else leaves no file behind.
 */
final class OutcomeRecorder implements OutcomeListener {

    private static final Logger LOG = LoggerFactory.getLogger(OutcomeRecorder.class);

    private final WorkDao dao;
    private final StagingArea area;
    private final Map<String, ClaimedFile> claims;
    private final Map<String, Boolean> reported = new ConcurrentHashMap<>();
    /** Files whose claim nothing has yet started to settle (see {@link #settling}). */
    private final Set<String> unsettled = ConcurrentHashMap.newKeySet();
    /** Files whose claim another instance took over: whatever the backend still reports is dropped. */
    private final Set<String> lost = ConcurrentHashMap.newKeySet();
    private final Queue<CompletableFuture<Void>> promotions = new ConcurrentLinkedQueue<>();
    private final PromotionQueue queue;
    private final RetryPolicy retryPolicy;
    private final WorkMetrics metrics;
    private final ClientMessages messages;
    private final Clock clock;

    /** When to retry a transient failure, and when to give up. */
    record RetryPolicy(int maxAttempts, Backoff backoff) {
    }

    OutcomeRecorder(WorkDao dao, StagingArea area, PromotionQueue queue, Map<String, ClaimedFile> claims,
                    RetryPolicy retryPolicy, WorkMetrics metrics, ClientMessages messages, Clock clock) {
        this.dao = dao;
        this.messages = messages;
        this.queue = queue;
        this.area = area;
        this.claims = claims;
        this.unsettled.addAll(claims.keySet());
        this.retryPolicy = retryPolicy;
        this.metrics = metrics;
        this.clock = clock;
    }

    @Override
    public void report(StagingItem item, StagingOutcome outcome) {
        ClaimedFile claim = claims.get(item.fileId());
        if (claim == null) {
            LOG.warn("backend reported an outcome for {}, which is not in its batch", item.fileId());
            return;
        }
        if (reported.putIfAbsent(item.fileId(), Boolean.TRUE) != null) {
            LOG.warn("backend reported a second outcome for {}; ignored", item.fileId());
            return;
        }
        try (MDC.MDCCloseable logContext = MDC.putCloseable("file_id", item.fileId())) {
            if (lost.contains(item.fileId())) {
                // Another instance holds the file now: nothing of this copy may reach the staging area.
                area.discard(item.temporaryFile());
                settling(item.fileId());
                LOG.info("dropped the outcome of {}: its claim was taken over", item.fileId());
                return;
            }
            if (outcome instanceof StagingOutcome.Fetched fetched) {
                promote(item, claim, fetched);
            } else if (outcome instanceof StagingOutcome.Failed failed) {
                fail(item, claim, failed.message(), "archive");
            } else if (outcome instanceof StagingOutcome.Retry retry) {
                retry(item, claim, retry.message(), retry.notBefore());
            } else {
                // Cancelled: the file goes back to the queue if a request still wants it.
                area.discard(item.temporaryFile());
                settling(item.fileId());
                dao.releaseCancelled(item.fileId(), claim.leaseToken(), clock.instant());
            }
        } catch (RuntimeException e) {
            // Typically the database is unreachable. The claim then expires and is taken back; a copy
            // already renamed into place is found verified and recorded on the next claim.
            LOG.error("cannot record the outcome of {}: {}", item.fileId(), e.toString());
        }
    }

    /**
     * Called just before a file's claim is settled in the database (recorded, failed, requeued
     * or released): from then on, the claim's absence from the database is this instance's doing,
     * not a takeover.
     */
    void settling(String fileId) {
        unsettled.remove(fileId);
    }

    /** Files claimed under this batch's token while the backend works on it: they are the batch's from now on. */
    void claimedMore(List<ClaimedFile> more) {
        for (ClaimedFile claim : more) {
            claims.put(claim.entry().fileId(), claim);
            unsettled.add(claim.entry().fileId());
        }
    }

    /** The files of this batch whose claims are not yet being settled. */
    Set<String> unsettled() {
        return Set.copyOf(unsettled);
    }

    /** Marks files whose claims were taken over: their outcomes are dropped from now on. */
    void lost(Set<String> fileIds) {
        lost.addAll(fileIds);
    }

    /** Whether the backend reported an outcome for the item. */
    boolean wasReported(String fileId) {
        return reported.containsKey(fileId);
    }

    private void promote(StagingItem item, ClaimedFile claim, StagingOutcome.Fetched fetched) {
        Path temporary = item.temporaryFile();
        if (!Files.isRegularFile(temporary)) {
            retry(item, claim, "the backend reported the file fetched but wrote nothing", Optional.empty());
            return;
        }
        long bytes;
        try {
            Optional<String> mismatch = area.verify(temporary, item.expectedBytes(), item.expectedChecksum(),
                    fetched.observedChecksum());
            if (mismatch.isPresent()) {
                fail(item, claim, mismatch.get() + " (archive location " + item.archiveLocation() + ")", "verification");
                return;
            }
            bytes = Files.size(temporary);
        } catch (IOException | RuntimeException e) {
            retry(item, claim, "cannot verify the copy: " + e, Optional.empty());
            return;
        }
        promotions.add(queue.submit(this, item, claim,
                new StagingArea.Promotion(temporary, claim.entry().stagingPath()), bytes));
    }

    /** Records ready a file whose verified copy was found already at its place, once it is durable there. */
    void recordInPlace(StagingItem item, ClaimedFile claim) {
        promotions.add(queue.submit(this, item, claim, StagingArea.Promotion.inPlace(claim.entry().stagingPath()), 0));
    }

    /** Called by the promotion queue when a verified file could not be made durable at its place. */
    void promotionFailed(StagingItem item, ClaimedFile claim, IOException failure) {
        try (MDC.MDCCloseable logContext = MDC.putCloseable("file_id", item.fileId())) {
            if (StagingArea.isPathInTheWay(failure)) {
                fail(item, claim, "cannot move the copy into place: something is in the way at '"
                        + claim.entry().stagingPath() + "'", "staging-area");
                return;
            }
            retry(item, claim, "cannot move the copy into place: " + failure, Optional.empty());
        } catch (RuntimeException e) {
            LOG.error("cannot record the outcome of {}: {}", item.fileId(), e.toString());
        }
    }

    /**
     * Completes when every verified file of the batch is in place and recorded, or its failure
     * handled; completes exceptionally when the queue stopped first (the claims are then taken back
     * with the rest of this instance's work). Called once the backend is done with the batch.
     */
    CompletableFuture<Void> promotionsDone() {
        return CompletableFuture.allOf(promotions.toArray(CompletableFuture[]::new));
    }

    private void fail(StagingItem item, ClaimedFile claim, String message, String reason) {
        area.discard(item.temporaryFile());
        settling(item.fileId());
        recordFailed(claim, message, reason);
    }

    /** Records a permanent failure found before the backend was asked. */
    void failBeforeStaging(ClaimedFile claim, String message) {
        settling(claim.entry().fileId());
        recordFailed(claim, message, "staging-area");
    }

    /** Fails the file for good if its claim is still this instance's; counted and logged as a failure only then. */
    private void recordFailed(ClaimedFile claim, String message, String reason) {
        String fileId = claim.entry().fileId();
        if (dao.failClaimed(Map.of(fileId, claim.leaseToken()), messages.forClients(message), clock.instant()).isEmpty()) {
            // Taken over by another instance, or taken back after its lease ran out: nothing failed
            // here, whoever holds the file now decides what becomes of it.
            LOG.info("staging of {} is not failed by this instance: its claim was lost ({})", fileId, message);
            return;
        }
        metrics.fileFailed(reason);
        LOG.warn("staging of {} failed: {}", fileId, message);
    }

    void retry(StagingItem item, ClaimedFile claim, String message, Optional<Duration> notBefore) {
        area.discard(item.temporaryFile());
        if (claim.attempt() >= retryPolicy.maxAttempts()) {
            fail(item, claim, "gave up after " + claim.attempt() + " attempts: " + message, "retries");
            return;
        }
        Duration wait = retryPolicy.backoff().after(claim.attempt());
        if (notBefore.isPresent() && notBefore.get().compareTo(wait) > 0) {
            wait = notBefore.get();
        }
        Instant now = clock.instant();
        settling(item.fileId());
        if (dao.reschedule(item.fileId(), claim.leaseToken(), now.plus(wait), messages.forClients(message), now) == 0) {
            // Taken over by another instance, or taken back after its lease ran out: this claim's
            // retry is not scheduled, whoever holds the file now decides what becomes of it.
            LOG.info("staging of {} is not retried by this instance: its claim was lost ({})", item.fileId(), message);
            return;
        }
        metrics.fileRetried();
        LOG.info("staging of {} will be retried in {} (attempt {}): {}", item.fileId(), wait, claim.attempt(), message);
    }
}
