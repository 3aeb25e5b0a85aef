package org.stagehand.backend.hpss;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * When each file of the recall plan will be fetched: the running sessions go on from where they
 * are, then the queued recalls start in the planner's order, each on the session slot that frees
 * first (and never before the running session of the same volume ends), each costing a mount,
 * then a locate and a read per file from the tape's beginning, at the measured {@link RecallRates}.
 */
final class ReadinessEstimator {

    private ReadinessEstimator() {
    }

    /**
     * One recall session of the plan.
     *
     * @param volume its tape, empty for HPSS's disk cache (no mount, no locate)
     * @param files the files it has still to fetch, in the order it reads them
     * @param running whether its hsi session is running
     * @param firstFileDone whether a running session has finished a file (so its mount is behind it)
     * @param headPosition the position of the last file it finished (0 before the first)
     * @param secondsSinceLastFile how long it has been working on its current file (since its start
     *     for the first)
     */
    record Visit(Optional<String> volume, List<ArchiveFile> files, boolean running, boolean firstFileDone,
                 long headPosition, double secondsSinceLastFile) {
    }

    /**
     * The estimate of every file of the plan, by HPSS path.
     *
     * @param visits the running sessions first, then the queued recalls in the order they will start
     * @param sessions how many sessions may run at once
     */
    static Map<String, Instant> estimate(Instant now, int sessions, RecallRates.Rates rates, List<Visit> visits) {
        Map<String, Instant> readyAt = new HashMap<>();
        List<Double> slots = new ArrayList<>();
        Map<String, Double> volumeFreeAt = new HashMap<>();
        for (Visit visit : visits) {
            double start;
            if (visit.running()) {
                start = 0;
            } else {
                while (slots.size() < sessions) {
                    slots.add(0.0);
                }
                int slot = earliest(slots);
                start = Math.max(slots.remove(slot), visit.volume().map(v -> volumeFreeAt.getOrDefault(v, 0.0)).orElse(0.0));
            }
            double clock = start;
            long head = visit.running() ? visit.headPosition() : 0;
            boolean mounted = visit.running() && visit.firstFileDone() || visit.volume().isEmpty();
            boolean current = visit.running();
            for (ArchiveFile file : visit.files()) {
                double seconds = (mounted ? 0 : rates.mountSeconds())
                        + (visit.volume().isEmpty() ? file.size() * rates.secondsPerByte() : rates.fileSeconds(head, file));
                if (current) {
                    seconds = Math.max(0, seconds - visit.secondsSinceLastFile());
                    current = false;
                }
                mounted = true;
                clock += seconds;
                head = file.position();
                readyAt.put(file.path(), now.plus(Duration.ofMillis(Math.round(clock * 1000))));
            }
            if (visit.running()) {
                if (slots.size() < sessions) {
                    slots.add(clock);
                }
            } else {
                slots.add(clock);
            }
            double end = clock;
            visit.volume().ifPresent(v -> volumeFreeAt.merge(v, end, Math::max));
        }
        return readyAt;
    }

    private static int earliest(List<Double> slots) {
        int best = 0;
        for (int i = 1; i < slots.size(); i++) {
            if (slots.get(i) < slots.get(best)) {
                best = i;
            }
        }
        return best;
    }
}
