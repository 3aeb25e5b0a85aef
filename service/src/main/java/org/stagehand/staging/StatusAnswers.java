package org.stagehand.staging;

import com.codahale.metrics.MetricRegistry;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.Collectors;
import org.jdbi.v3.core.Jdbi;
import org.stagehand.catalog.CatalogEntry;
import org.stagehand.staging.StagingStatus.ByteCounts;
import org.stagehand.staging.StagingStatus.FileCounts;

/**
 * A request's status: from the live {@link StatusCache} when it has it, else from the database;
 * while the database cannot be reached, the last answer this instance knew ({@link LastKnownAnswers}),
 * marked with {@code as_of}.
 */
final class StatusAnswers {

    private final Jdbi jdbi;
    private final boolean postgres;
    private final StatusCache cache;
    private final LastKnownAnswers<StagingStatus> lastKnown;

    StatusAnswers(Jdbi jdbi, boolean postgres, StatusCache cache, int lastKnownEntries, Clock clock,
                  MetricRegistry metrics) {
        this.jdbi = jdbi;
        this.postgres = postgres;
        this.cache = cache;
        this.lastKnown = LastKnownAnswers.create("status", lastKnownEntries, this::readAndKeep, clock, metrics);
        cache.subscribe(lastKnown);
    }

    LastKnownAnswers<StagingStatus> lastKnown() {
        return lastKnown;
    }

    /**
     * @return empty when there is no such request
     * @throws LastKnownAnswers.DatabaseUnreachable when the database cannot be reached and the answer is not known
     */
    Optional<StagingStatus> status(UUID requestId) {
        Optional<StagingStatus> kept = cache.get(requestId);
        if (kept.isPresent()) {
            return kept;
        }
        return lastKnown.answer(requestId)
                .map(answer -> answer.fromMemory() ? answer.value().asOf(answer.readAt()) : answer.value());
    }

    /**
     * Remembers the answer of a request just committed: what its transaction wrote, so it runs ahead
     * of nothing.
     *
     * @param stateByFile each file's request state as stored, {@code READY} or {@code WAITING}
     */
    void rememberNew(UUID requestId, List<String> ids, Map<String, CatalogEntry> entries,
                     Map<String, String> stateByFile, Instant committedAt) {
        long ready = 0;
        long bytesTotal = 0;
        long bytesReady = 0;
        for (String id : ids) {
            long bytes = entries.get(id).bytes().orElse(0);
            bytesTotal += bytes;
            if ("READY".equals(stateByFile.get(id))) {
                ready++;
                bytesReady += bytes;
            }
        }
        long waiting = ids.size() - ready;
        String at = committedAt.toString();
        lastKnown.remember(requestId, new StagingStatus(requestId, waiting > 0 ? "staging" : "ready",
                new FileCounts(ids.size(), ready, waiting, 0, 0, 0), new ByteCounts(bytesTotal, bytesReady),
                at, at, waiting == 0 && ready > 0 ? at : null, List.of()));
    }

    /** Reads the answer from the database and keeps it in the live cache, unless a change raced the read. */
    private Optional<StagingStatus> readAndKeep(UUID requestId) {
        long generation = cache.generation();
        Optional<StagingStatus> read = read(requestId);
        read.ifPresent(answer -> cache.fill(requestId, answer, generation));
        return read;
    }

    private Optional<StagingStatus> read(UUID requestId) {
        return jdbi.withHandle(handle -> {
            StagingRequestDao dao = new StagingRequestDao(handle, postgres);
            List<StagingRequestDao.StatusRow> rows = dao.statusRows(requestId);
            if (rows.isEmpty()) {
                return Optional.empty();
            }
            Instant createdAt = rows.get(0).createdAt();
            Instant cancelledAt = rows.get(0).cancelledAt();
            Map<String, RequestFileSummary> byState = rows.stream().filter(row -> row.summary() != null)
                    .collect(Collectors.toMap(row -> row.summary().state(), StagingRequestDao.StatusRow::summary));
            long waitingForSpace = rows.stream().mapToLong(StagingRequestDao.StatusRow::waitingForSpace).sum();
            long copying = rows.stream().mapToLong(StagingRequestDao.StatusRow::copying).sum();
            long waiting = files(byState, "WAITING");
            long ready = files(byState, "READY");
            long failed = files(byState, "FAILED");
            long cancelled = files(byState, "CANCELLED");
            String status = cancelledAt != null ? "cancelled"
                    : waiting > 0 ? "staging" : failed > 0 ? "failed" : "ready";
            Instant lastSettled = byState.values().stream().map(RequestFileSummary::lastCompletedAt)
                    .filter(at -> at != null).max(Instant::compareTo).orElse(null);
            long bytesTotal = byState.values().stream().mapToLong(RequestFileSummary::bytes).sum();
            long bytesReady = Optional.ofNullable(byState.get("READY")).map(RequestFileSummary::bytes).orElse(0L);
            return Optional.of(new StagingStatus(requestId, status,
                    new FileCounts(waiting + ready + failed + cancelled, ready, waiting, failed, cancelled, waitingForSpace,
                            copying),
                    new ByteCounts(bytesTotal, bytesReady),
                    createdAt.toString(),
                    (lastSettled == null ? createdAt : lastSettled).toString(),
                    waiting == 0 && lastSettled != null ? lastSettled.toString() : null,
                    failed == 0 ? List.of()
                            : dao.failedFiles(requestId, StagingStatus.MAX_ERRORS)));
        });
    }

    private static long files(Map<String, RequestFileSummary> byState, String state) {
        RequestFileSummary summary = byState.get(state);
        return summary == null ? 0 : summary.files();
    }
}
