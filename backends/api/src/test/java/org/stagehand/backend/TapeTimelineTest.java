package org.stagehand.backend;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class TapeTimelineTest {

    private static final Instant NOW = Instant.parse("2026-12-01T12:00:00Z");
    /** A 60 s mount, a second per 100 positions, 100 bytes a second. */
    private static final TapeTimeline.DriveRates RATES = new TapeTimeline.DriveRates(60, 0.01, 0.01);

    private static TapeTimeline.File onTape(String path, String volume, long position, long size) {
        return new TapeTimeline.File(path, position, size);
    }

    private static long secondsFromNow(Map<String, Instant> estimates, String path) {
        return estimates.get(path).getEpochSecond() - NOW.getEpochSecond();
    }

    @Test
    void aQueuedRecallCostsAMountThenALocateAndAReadPerFileFromTheTapesBeginning() {
        TapeTimeline.Visit queued = new TapeTimeline.Visit(Optional.of("VA0001"),
                List.of(onTape("a", "VA0001", 1_000, 2_000), onTape("b", "VA0001", 3_000, 500)), false, false, 0, 0);

        Map<String, Instant> estimates = TapeTimeline.estimate(NOW, 1, RATES, List.of(queued));

        assertThat(secondsFromNow(estimates, "a")).isEqualTo(60 + 10 + 20);
        assertThat(secondsFromNow(estimates, "b")).isEqualTo(90 + 20 + 5);
    }

    @Test
    void aRunningSessionGoesOnFromItsHeadWithoutAMountAndItsCurrentFileIsPartlyDone() {
        TapeTimeline.Visit running = new TapeTimeline.Visit(Optional.of("VA0001"),
                List.of(onTape("c", "VA0001", 5_000, 3_000), onTape("d", "VA0001", 6_000, 1_000)), true, true, 2_000, 25);

        Map<String, Instant> estimates = TapeTimeline.estimate(NOW, 1, RATES, List.of(running));

        assertThat(secondsFromNow(estimates, "c")).as("30 s locate + 30 s read, 25 s of it done").isEqualTo(35);
        assertThat(secondsFromNow(estimates, "d")).isEqualTo(35 + 10 + 10);
    }

    @Test
    void queuedRecallsWaitForTheFirstFreeSessionAndForTheirVolumesRunningSession() {
        TapeTimeline.Visit runningA = new TapeTimeline.Visit(Optional.of("VA0001"),
                List.of(onTape("a1", "VA0001", 0, 10_000)), true, true, 0, 0);
        TapeTimeline.Visit runningB = new TapeTimeline.Visit(Optional.of("VB0002"),
                List.of(onTape("b1", "VB0002", 0, 1_000)), true, true, 0, 0);
        TapeTimeline.Visit nextA = new TapeTimeline.Visit(Optional.of("VA0001"),
                List.of(onTape("a2", "VA0001", 0, 1_000)), false, false, 0, 0);
        TapeTimeline.Visit nextC = new TapeTimeline.Visit(Optional.of("VC0003"),
                List.of(onTape("c1", "VC0003", 0, 1_000)), false, false, 0, 0);

        Map<String, Instant> estimates = TapeTimeline.estimate(NOW, 2, RATES, List.of(runningA, runningB, nextA, nextC));

        assertThat(secondsFromNow(estimates, "a1")).isEqualTo(100);
        assertThat(secondsFromNow(estimates, "b1")).isEqualTo(10);
        assertThat(secondsFromNow(estimates, "a2")).as("volume A is busy until 100 s: A's own slot")
                .isEqualTo(100 + 60 + 10);
        assertThat(secondsFromNow(estimates, "c1")).as("B's slot, which A's wait for its volume left free")
                .isEqualTo(10 + 60 + 10);
    }

    @Test
    void diskCacheFilesNeedNoMountAndNoLocate() {
        TapeTimeline.Visit disk = new TapeTimeline.Visit(Optional.empty(),
                List.of(new TapeTimeline.File("x", 0, 1_000)), false, false, 0, 0);

        assertThat(secondsFromNow(TapeTimeline.estimate(NOW, 1, RATES, List.of(disk)), "x")).isEqualTo(10);
    }

    @Test
    void volumesKnownOnlyByTheirEndHoldTheirSlotAndTheirVolumeUntilThen() {
        TapeTimeline.Visit nextA = TapeTimeline.Visit.queued(Optional.of("VA0001"), List.of(onTape("a2", "VA0001", 0, 1_000)));
        TapeTimeline.Visit nextC = TapeTimeline.Visit.queued(Optional.of("VC0003"), List.of(onTape("c1", "VC0003", 0, 1_000)));

        Map<String, Instant> estimates = TapeTimeline.estimate(NOW, 2, RATES, Map.of("VA0001", 300.0, "VB0002", 20.0),
                List.of(nextA, nextC));

        assertThat(secondsFromNow(estimates, "a2")).as("after VA0001's own session").isEqualTo(300 + 60 + 10);
        assertThat(secondsFromNow(estimates, "c1")).as("on the slot VB0002 frees at 20 s").isEqualTo(20 + 60 + 10);
    }
}
