package org.stagehand.requests;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;
import org.jdbi.v3.core.Jdbi;
import org.stagehand.backend.EstimatesReadiness;
import org.stagehand.backend.TapeTimeline;

/**
 * A request's {@code estimated_ready_at}: the latest of the estimates for the request's waiting
 * files, when there is one for every one of them. The backend estimates the files it holds; the
 * volumes the tape scheduler has not handed over yet ({@link PlanAhead}) are played forward after
 * the volumes in progress, at the rates the backend measured ({@link TapeTimeline}). There is none for a backend
 * without the {@link EstimatesReadiness} capability, for a file the backend has not been handed
 * yet (still queued in the database) or cannot place yet, for an answer served from memory while
 * the database is away, and for requests with more than {@link #MOST_WAITING} files waiting.
 * {@link RequestStatusReader} adds it to each status it reads, and never keeps it with the answer,
 * because it moves as the plan does.
 */
public final class ReadyEstimates {

    /** Beyond this many waiting files a poll would read too much to estimate. */
    static final int MOST_WAITING = 10_000;

    private final Jdbi jdbi;
    private final Optional<EstimatesReadiness> backend;
    private final Supplier<Optional<PlanAhead>> planAhead;
    private final Clock clock;
    private Optional<PlanAhead> lastPlan = Optional.empty();
    private Instant lastPlanAt;

    /**
     * @param planAhead the tape scheduler's plan of what it has not handed over (empty when it does
     *     not plan by volume); called at most once a poll
     */
    public ReadyEstimates(Jdbi jdbi, Optional<EstimatesReadiness> backend, Supplier<Optional<PlanAhead>> planAhead,
                          Clock clock) {
        this.jdbi = jdbi;
        this.backend = backend;
        this.planAhead = planAhead;
        this.clock = clock;
    }

    /** The answer with its estimate when there is one; else the answer as it is. */
    StagingStatus addTo(StagingStatus status) {
        if (backend.isEmpty() || status.status() != RequestStatus.WAITING || status.asOf() != null
                || status.files().staging() == 0 || status.files().staging() > MOST_WAITING) {
            return status;
        }
        List<String> waiting = jdbi.withHandle(handle ->
                new StagingRequestDao(handle).waitingLocations(status.requestId(), MOST_WAITING));
        if (waiting.isEmpty()) {
            return status;
        }
        Optional<Instant> latest = latest(waiting, backend.get(), this::recentPlan, clock.instant());
        if (latest.isEmpty()) {
            return status;
        }
        return status.estimatedReadyAt(latest.get());
    }

    /** The plan ahead, read again at most once a second: it costs a query of every queued file. */
    private synchronized Optional<PlanAhead> recentPlan() {
        Instant now = clock.instant();
        if (lastPlanAt == null || now.isAfter(lastPlanAt.plusSeconds(1)) || now.isBefore(lastPlanAt)) {
            lastPlan = planAhead.get();
            lastPlanAt = now;
        }
        return lastPlan;
    }

    /** The latest estimate of these files, when each has one: from the backend, then from the plan ahead. */
    static Optional<Instant> latest(List<String> waiting, EstimatesReadiness backend, Supplier<Optional<PlanAhead>> planAhead,
                                    Instant now) {
        Map<String, Instant> known = new HashMap<>(backend.estimatedReadyAt(waiting));
        Optional<TapeTimeline.DriveRates> rates = backend.measuredRates();
        Optional<PlanAhead> plan = known.keySet().containsAll(waiting) || rates.isEmpty() ? Optional.empty() : planAhead.get();
        if (plan.isPresent()) {
            Set<String> inProgress = new HashSet<>();
            plan.get().inProgress().values().forEach(inProgress::addAll);
            inProgress.removeAll(known.keySet());
            known.putAll(backend.estimatedReadyAt(inProgress));
            Map<String, Double> busy = new HashMap<>();
            plan.get().inProgress().forEach((volume, locations) -> locations.stream().map(known::get)
                    .filter(at -> at != null).max(Instant::compareTo)
                    .ifPresent(end -> busy.put(volume, Math.max(0, Duration.between(now, end).toMillis() / 1000.0))));
            TapeTimeline.estimate(now, plan.get().sessions(), rates.get(), busy, plan.get().queued())
                    .forEach(known::putIfAbsent);
        }
        Instant latest = null;
        for (String location : waiting) {
            Instant at = known.get(location);
            if (at == null) {
                return Optional.empty();
            }
            latest = latest == null || at.isAfter(latest) ? at : latest;
        }
        return Optional.ofNullable(latest);
    }
}
