package org.stagehand.requests;

import static org.assertj.core.api.Assertions.assertThat;

import com.codahale.metrics.MetricRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.stagehand.requests.StagingStatus.ByteCounts;
import org.stagehand.requests.StagingStatus.FileCounts;

class StatusCacheTest {

    private final MetricRegistry metrics = new MetricRegistry();
    private final StatusCache cache = StatusCache.create(100, 100_000, Duration.ofMinutes(1), metrics);
    private final UUID request = UUID.randomUUID();
    private final StagingStatus staging = answer(request, RequestStatus.WAITING);

    @Test
    void keepsNothingUntilLive() {
        cache.fill(request, staging, cache.generation());

        assertThat(cache.get(request)).isEmpty();
        cache.goLive();
        assertThat(cache.get(request)).as("filled while dark").isEmpty();
    }

    @Test
    void servesAKeptAnswerWhileLiveAndCountsHitsAndMisses() {
        cache.goLive();
        assertThat(cache.get(request)).isEmpty();

        cache.fill(request, staging, cache.generation());

        assertThat(cache.get(request)).contains(staging);
        assertThat(metrics.meter("stagehand.status-cache.hits").getCount()).isEqualTo(1);
        assertThat(metrics.meter("stagehand.status-cache.misses").getCount()).isEqualTo(1);
    }

    @Test
    void anAnswerReadBeforeAnInvalidationIsNotKept() {
        cache.goLive();
        long before = cache.generation();
        // The answer was being read when a notification for another request came: the cache cannot
        // tell what the read saw, so it keeps nothing.
        cache.invalidate(List.of(UUID.randomUUID()));

        cache.fill(request, staging, before);

        assertThat(cache.get(request)).isEmpty();
    }

    @Test
    void invalidationDropsTheNamedRequestsOnly() {
        UUID other = UUID.randomUUID();
        StagingStatus otherAnswer = answer(other, RequestStatus.READY);
        cache.goLive();
        cache.fill(request, staging, cache.generation());
        cache.fill(other, otherAnswer, cache.generation());

        cache.invalidate(List.of(request));

        assertThat(cache.get(request)).isEmpty();
        assertThat(cache.get(other)).contains(otherAnswer);
    }

    @Test
    void goingDarkDropsEverythingAndLiveAgainStartsEmpty() {
        cache.goLive();
        cache.fill(request, staging, cache.generation());

        cache.goDark();
        assertThat(cache.get(request)).isEmpty();
        assertThat(cache.isLive()).isFalse();
        cache.goLive();

        assertThat(cache.get(request)).isEmpty();
        assertThat(metrics.getGauges().get("stagehand.status-cache.live").getValue()).isEqualTo(1);
    }

    @Test
    void anAnswerReadBeforeGoingLiveIsNotKept() {
        long before = cache.generation();
        cache.goLive();

        cache.fill(request, staging, before);

        assertThat(cache.get(request)).isEmpty();
    }

    @Test
    void anInvalidationDropsARequestsAnswersOfEveryKindAndNoOtherRequests() {
        LiveAnswers<String> perPath = cache.answers("per-path");
        UUID other = UUID.randomUUID();
        cache.goLive();
        cache.fill(request, staging, cache.generation());
        perPath.fill(request, "per-path answer", cache.generation());
        perPath.fill(other, "other answer", cache.generation());

        cache.invalidate(List.of(request));

        assertThat(cache.get(request)).isEmpty();
        assertThat(perPath.get(request)).isEmpty();
        assertThat(perPath.get(other)).contains("other answer");
        assertThat(metrics.meter("stagehand.per-path.hits").getCount()).isEqualTo(1);
        assertThat(metrics.meter("stagehand.per-path.misses").getCount()).isEqualTo(1);
    }

    @Test
    void everyKindIsServedOnlyWhileLiveAndKeepsNoReadRacedByAnInvalidation() {
        LiveAnswers<String> perPath = cache.answers("per-path");
        assertThat(perPath.readAndKeep(request, id -> Optional.of("read while dark"))).contains("read while dark");
        cache.goLive();
        assertThat(perPath.get(request)).as("read while dark").isEmpty();

        perPath.readAndKeep(request, id -> {
            cache.invalidate(List.of(UUID.randomUUID())); // a notification while the answer is read
            return Optional.of("raced");
        });
        assertThat(perPath.get(request)).isEmpty();

        perPath.readAndKeep(request, id -> Optional.of("kept"));
        assertThat(perPath.get(request)).contains("kept");
        cache.goDark();
        assertThat(perPath.get(request)).isEmpty();
        cache.goLive();
        assertThat(perPath.get(request)).as("live again starts empty").isEmpty();
    }

    @Test
    void aKindOfAnswerListingFilesIsBoundedByTheFilesItsAnswersList() {
        StatusCache small = StatusCache.create(100, 2500, Duration.ofMinutes(1), new MetricRegistry());
        LiveAnswers<String> perFile = small.answersListingFiles("per-file", String::length);
        small.goLive();
        List<UUID> requests = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            requests.add(UUID.randomUUID());
            perFile.fill(requests.get(i), "f".repeat(1000), small.generation());
        }
        perFile.cleanUp();

        long kept = requests.stream().filter(id -> perFile.get(id).isPresent()).count();
        assertThat(kept).as("answers of 1,000 files kept under a bound of 2,500 files").isBetween(1L, 2L);
    }

    private static StagingStatus answer(UUID id, RequestStatus status) {
        return new StagingStatus(id, status, new FileCounts(1, 0, 1, 0, 0, 0), new ByteCounts(10, 0),
                "2026-11-26T00:00:00Z", "2026-11-26T00:00:00Z", null, List.of());
    }
}
