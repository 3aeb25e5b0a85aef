package org.stagehand.requests;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.stagehand.backend.EstimatesReadiness;
import org.stagehand.backend.TapeTimeline;

class ReadyEstimatesTest {

    private static final Instant NOW = Instant.parse("2026-12-01T12:00:00Z");

    /** A backend that knows some files' estimates and, maybe, its rates. */
    private record KnowingBackend(Map<String, Instant> knows, Optional<TapeTimeline.DriveRates> rates)
            implements EstimatesReadiness {

        @Override
        public Map<String, Instant> estimatedReadyAt(Collection<String> archiveLocations) {
            Map<String, Instant> answer = new HashMap<>();
            archiveLocations.stream().filter(knows::containsKey).forEach(location -> answer.put(location, knows.get(location)));
            return answer;
        }

        @Override
        public Optional<TapeTimeline.DriveRates> measuredRates() {
            return rates;
        }
    }

    private static final Optional<TapeTimeline.DriveRates> RATES = Optional.of(new TapeTimeline.DriveRates(60, 0.01, 0.01));

    /** Volume VA in progress (its file "a" expected in 100 s), volume VB queued with "b" at position 1,000. */
    private static final PlanAhead PLAN = new PlanAhead(1, Map.of("VA", List.of("a")),
            List.of(TapeTimeline.Visit.queued(Optional.of("VB"), List.of(new TapeTimeline.File("b", 1_000, 1_000)))));

    @Test
    void theLatestOfTheBackendsEstimatesWhenItKnowsEveryWaitingFile() {
        KnowingBackend backend = new KnowingBackend(Map.of("a", NOW.plusSeconds(100), "c", NOW.plusSeconds(40)), RATES);

        assertThat(ReadyEstimates.latest(List.of("a", "c"), backend, Optional::empty, NOW)).contains(NOW.plusSeconds(100));
    }

    @Test
    void noEstimateWhenAWaitingFileIsNeitherWithTheBackendNorInThePlan() {
        KnowingBackend backend = new KnowingBackend(Map.of("a", NOW.plusSeconds(100)), RATES);

        assertThat(ReadyEstimates.latest(List.of("a", "z"), backend, Optional::empty, NOW)).isEmpty();
        assertThat(ReadyEstimates.latest(List.of("a", "z"), backend, () -> Optional.of(PLAN), NOW)).isEmpty();
    }

    @Test
    void aFileOfAQueuedVolumeIsReadAfterTheVolumeInProgressFreesTheOnlySession() {
        KnowingBackend backend = new KnowingBackend(Map.of("a", NOW.plusSeconds(100)), RATES);

        assertThat(ReadyEstimates.latest(List.of("b"), backend, () -> Optional.of(PLAN), NOW))
                .as("100 s until VA is done, then a 60 s mount, a 10 s locate and a 10 s read")
                .contains(NOW.plusSeconds(180));
    }

    @Test
    void noEstimateForQueuedVolumesBeforeTheBackendHasMeasuredItsRates() {
        KnowingBackend backend = new KnowingBackend(Map.of("a", NOW.plusSeconds(100)), Optional.empty());

        assertThat(ReadyEstimates.latest(List.of("b"), backend, () -> Optional.of(PLAN), NOW)).isEmpty();
    }
}
