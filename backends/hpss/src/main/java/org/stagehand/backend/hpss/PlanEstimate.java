package org.stagehand.backend.hpss;

import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.LongFunction;
import org.stagehand.backend.TapeTimeline;

/**
 * The readiness estimate of the planner's files (the backend's {@code estimatedReadyAt}): the
 * tape visits ahead played forward at the rates measured so far. One estimate of the whole plan
 * serves every status poll for a second.
 */
final class PlanEstimate {

    /** How long one estimate of the whole plan serves every status poll. */
    private static final long REUSE_NANOS = 1_000_000_000L;

    private final int maxSessions;
    private final LongFunction<List<TapeTimeline.Visit>> visitsAhead;
    private final RecallRates rates = new RecallRates();
    private Map<String, Instant> last = Map.of();
    private long lastNanos;

    /** {@code visitsAhead} takes the planner's lock to read the visits at a System.nanoTime(). */
    PlanEstimate(int maxSessions, LongFunction<List<TapeTimeline.Visit>> visitsAhead) {
        this.maxSessions = maxSessions;
        this.visitsAhead = visitsAhead;
    }

    /** The rates the recall sessions measure, which the estimate uses. */
    RecallRates rates() {
        return rates;
    }

    /**
     * When the files at these HPSS paths are expected to be fetched: those queued or being
     * recalled, once rates have been measured; the others have no estimate.
     */
    Map<String, Instant> readyAt(Collection<String> remotePaths) {
        Optional<TapeTimeline.DriveRates> measured = rates.current();
        if (measured.isEmpty()) {
            return Map.of();
        }
        Map<String, Instant> plan = wholePlan(measured.get());
        Map<String, Instant> wanted = new HashMap<>();
        for (String path : remotePaths) {
            Instant at = plan.get(path);
            if (at != null) {
                wanted.put(path, at);
            }
        }
        return wanted;
    }

    private synchronized Map<String, Instant> wholePlan(TapeTimeline.DriveRates measured) {
        long now = System.nanoTime();
        if (now - lastNanos > REUSE_NANOS || lastNanos == 0) {
            last = TapeTimeline.estimate(Instant.now(), maxSessions, measured, visitsAhead.apply(now));
            lastNanos = now;
        }
        return last;
    }
}
