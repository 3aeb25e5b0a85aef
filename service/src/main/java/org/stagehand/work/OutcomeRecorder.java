package org.stagehand.work;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;
import org.stagehand.area.StagingArea;
import org.stagehand.backend.OutcomeListener;
import org.stagehand.backend.StagingItem;
import org.stagehand.backend.StagingOutcome;

/**
 * Turns a backend's per-file outcomes into staging-area and database changes: a fetched file is
 * verified, made durable and renamed into place before it is recorded ready; anything else leaves
 * no file behind.
 */
final class OutcomeRecorder implements OutcomeListener {

    private static final Logger LOG = LoggerFactory.getLogger(OutcomeRecorder.class);

    private final WorkDao dao;
    private final StagingArea area;
    private final Map<String, ClaimedFile> claims;
    private final Map<String, Boolean> reported = new ConcurrentHashMap<>();
    private final RetryPolicy retryPolicy;
    private final WorkMetrics metrics;
    private final Clock clock;

    /** When to retry a transient failure, and when to give up. */
    record RetryPolicy(int maxAttempts, Backoff backoff) {
    }

    OutcomeRecorder(WorkDao dao, StagingArea area, Map<String, ClaimedFile> claims, RetryPolicy retryPolicy,
                    WorkMetrics metrics, Clock clock) {
        this.dao = dao;
        this.area = area;
        this.claims = claims;
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
            if (outcome instanceof StagingOutcome.Fetched fetched) {
                promote(item, claim, fetched);
            } else if (outcome instanceof StagingOutcome.Failed failed) {
                fail(item, claim, failed.message(), "archive");
            } else if (outcome instanceof StagingOutcome.Retry retry) {
                retry(item, claim, retry.message(), retry.notBefore());
            } else {
                // Cancelled: the file goes back to the queue if a request still wants it.
                area.discard(item.temporaryFile());
                dao.releaseCancelled(item.fileId(), claim.leaseToken(), clock.instant());
            }
        } catch (RuntimeException e) {
            // Typically the database is unreachable. The claim then expires and is taken back; a copy
            // already renamed into place is found verified and recorded on the next claim.
            LOG.error("cannot record the outcome of {}: {}", item.fileId(), e.toString());
        }
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
        try {
            Optional<String> mismatch = area.verify(temporary, item.expectedBytes(), item.expectedChecksum(),
                    fetched.observedChecksum());
            if (mismatch.isPresent()) {
                fail(item, claim, mismatch.get() + " (archive location " + item.archiveLocation() + ")", "verification");
                return;
            }
            long bytes = Files.size(temporary);
            area.promote(temporary, claim.entry().stagingPath());
            metrics.fileStaged(bytes);
        } catch (IOException | RuntimeException e) {
            retry(item, claim, "cannot verify or move the copy into place: " + e, Optional.empty());
            return;
        }
        if (!dao.recordReady(item.fileId(), claim.leaseToken(), clock.instant())) {
            LOG.warn("claim on {} was taken over while it was staged; the verified copy stays in place", item.fileId());
        }
    }

    private void fail(StagingItem item, ClaimedFile claim, String message, String reason) {
        area.discard(item.temporaryFile());
        metrics.fileFailed(reason);
        LOG.warn("staging of {} failed: {}", item.fileId(), message);
        dao.recordFailed(item.fileId(), claim.leaseToken(), truncate(message), clock.instant());
    }

    /** Records a permanent failure found before the backend was asked. */
    void failBeforeStaging(ClaimedFile claim, String message) {
        metrics.fileFailed("staging-area");
        LOG.warn("staging of {} failed: {}", claim.entry().fileId(), message);
        dao.recordFailed(claim.entry().fileId(), claim.leaseToken(), truncate(message), clock.instant());
    }

    void retry(StagingItem item, ClaimedFile claim, String message, Optional<Duration> notBefore) {
        area.discard(item.temporaryFile());
        if (claim.attempt() >= retryPolicy.maxAttempts()) {
            fail(item, claim, "gave up after " + claim.attempt() + " attempts: " + message, "retries");
            return;
        }
        metrics.fileRetried();
        Duration wait = retryPolicy.backoff().after(claim.attempt());
        if (notBefore.isPresent() && notBefore.get().compareTo(wait) > 0) {
            wait = notBefore.get();
        }
        Instant now = clock.instant();
        LOG.info("staging of {} will be retried in {} (attempt {}): {}", item.fileId(), wait, claim.attempt(), message);
        dao.reschedule(item.fileId(), claim.leaseToken(), now.plus(wait), truncate(message), now);
    }

    private static String truncate(String message) {
        return message.length() <= 4000 ? message : message.substring(0, 3997) + "...";
    }
}
