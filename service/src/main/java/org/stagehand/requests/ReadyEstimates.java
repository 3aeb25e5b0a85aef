package org.stagehand.requests;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jdbi.v3.core.Jdbi;
import org.stagehand.backend.EstimatesReadiness;

/**
 * A request's {@code estimated_ready_at}: the latest of the backend's estimates for the request's
 * waiting files, when the backend has one for every one of them. There is none for a backend
 * without the {@link EstimatesReadiness} capability, for a file the backend has not been handed
 * yet (still queued in the database) or cannot place yet, for an answer served from memory while
 * the database is away, and for requests with more than {@link #MOST_WAITING} files waiting. It is
 * worked out at each poll and never kept with the answer, because it moves as the plan does.
 */
public final class ReadyEstimates {

    /** Beyond this many waiting files a poll would read too much to estimate. */
    static final int MOST_WAITING = 10_000;

    private final Jdbi jdbi;
    private final boolean postgres;
    private final Optional<EstimatesReadiness> backend;

    public ReadyEstimates(Jdbi jdbi, boolean postgres, Optional<EstimatesReadiness> backend) {
        this.jdbi = jdbi;
        this.postgres = postgres;
        this.backend = backend;
    }

    /** The answer with its estimate when there is one; else the answer as it is. */
    public StagingStatus addTo(StagingStatus status) {
        if (backend.isEmpty() || !"staging".equals(status.status()) || status.asOf() != null
                || status.files().staging() == 0 || status.files().staging() > MOST_WAITING) {
            return status;
        }
        List<String> waiting = jdbi.withHandle(handle ->
                new StagingRequestDao(handle, postgres).waitingLocations(status.requestId(), MOST_WAITING));
        if (waiting.isEmpty()) {
            return status;
        }
        Map<String, Instant> estimates = backend.get().estimatedReadyAt(waiting);
        Instant latest = null;
        for (String location : waiting) {
            Instant at = estimates.get(location);
            if (at == null) {
                return status;
            }
            latest = latest == null || at.isAfter(latest) ? at : latest;
        }
        return status.estimatedReadyAt(latest);
    }
}
