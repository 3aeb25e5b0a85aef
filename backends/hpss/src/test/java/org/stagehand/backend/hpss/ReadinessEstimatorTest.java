package org.stagehand.backend.hpss;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ReadinessEstimatorTest {

    private static final Instant NOW = Instant.parse("2026-12-01T12:00:00Z");
    /** A 60 s mount, a second per 100 positions, 100 bytes a second. */
    private static final RecallRates.Rates RATES = new RecallRates.Rates(60, 0.01, 0.01);

    private static ArchiveFile onTape(String path, String volume, long position, long size) {
        return new ArchiveFile(path, size, Optional.of(volume), position, 0);
    }

    private static long secondsFromNow(Map<String, Instant> estimates, String path) {
        return estimates.get(path).getEpochSecond() - NOW.getEpochSecond();
    }

    @Test
    void aQueuedRecallCostsAMountThenALocateAndAReadPerFileFromTheTapesBeginning() {
        ReadinessEstimator.Visit queued = new ReadinessEstimator.Visit(Optional.of("VA0001"),
                List.of(onTape("a", "VA0001", 1_000, 2_000), onTape("b", "VA0001", 3_000, 500)), false, false, 0, 0);

        Map<String, Instant> estimates = ReadinessEstimator.estimate(NOW, 1, RATES, List.of(queued));

        assertThat(secondsFromNow(estimates, "a")).isEqualTo(60 + 10 + 20);
        assertThat(secondsFromNow(estimates, "b")).isEqualTo(90 + 20 + 5);
    }

    @Test
    void aRunningSessionGoesOnFromItsHeadWithoutAMountAndItsCurrentFileIsPartlyDone() {
        ReadinessEstimator.Visit running = new ReadinessEstimator.Visit(Optional.of("VA0001"),
                List.of(onTape("c", "VA0001", 5_000, 3_000), onTape("d", "VA0001", 6_000, 1_000)), true, true, 2_000, 25);

        Map<String, Instant> estimates = ReadinessEstimator.estimate(NOW, 1, RATES, List.of(running));

        assertThat(secondsFromNow(estimates, "c")).as("30 s locate + 30 s read, 25 s of it done").isEqualTo(35);
        assertThat(secondsFromNow(estimates, "d")).isEqualTo(35 + 10 + 10);
    }

    @Test
    void queuedRecallsWaitForTheFirstFreeSessionAndForTheirVolumesRunningSession() {
        ReadinessEstimator.Visit runningA = new ReadinessEstimator.Visit(Optional.of("VA0001"),
                List.of(onTape("a1", "VA0001", 0, 10_000)), true, true, 0, 0);
        ReadinessEstimator.Visit runningB = new ReadinessEstimator.Visit(Optional.of("VB0002"),
                List.of(onTape("b1", "VB0002", 0, 1_000)), true, true, 0, 0);
        ReadinessEstimator.Visit nextA = new ReadinessEstimator.Visit(Optional.of("VA0001"),
                List.of(onTape("a2", "VA0001", 0, 1_000)), false, false, 0, 0);
        ReadinessEstimator.Visit nextC = new ReadinessEstimator.Visit(Optional.of("VC0003"),
                List.of(onTape("c1", "VC0003", 0, 1_000)), false, false, 0, 0);

        Map<String, Instant> estimates = ReadinessEstimator.estimate(NOW, 2, RATES, List.of(runningA, runningB, nextA, nextC));

        assertThat(secondsFromNow(estimates, "a1")).isEqualTo(100);
        assertThat(secondsFromNow(estimates, "b1")).isEqualTo(10);
        assertThat(secondsFromNow(estimates, "a2")).as("B's slot frees at 10 s, but volume A is busy until 100 s")
                .isEqualTo(100 + 60 + 10);
        assertThat(secondsFromNow(estimates, "c1")).as("the next free slot: A's, at 100 s").isEqualTo(100 + 60 + 10);
    }

    @Test
    void diskCacheFilesNeedNoMountAndNoLocate() {
        ReadinessEstimator.Visit disk = new ReadinessEstimator.Visit(Optional.empty(),
                List.of(new ArchiveFile("x", 1_000, Optional.empty(), 0, 0)), false, false, 0, 0);

        assertThat(secondsFromNow(ReadinessEstimator.estimate(NOW, 1, RATES, List.of(disk)), "x")).isEqualTo(10);
    }
}
