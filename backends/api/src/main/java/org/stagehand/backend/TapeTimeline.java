package org.stagehand.backend;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * When each file of a tape plan will be read, at measured {@link DriveRates}: the running
 * sessions go on from where they are, then the queued volumes start in order, each on the session
 * slot that frees first (and never before the running session of the same volume ends), each
 * costing a mount, then a locate and a read per file from the tape's beginning. Used by a tape
 * backend for the recalls it holds and by the service for the volumes it has not handed over yet,
 * so that both estimate alike.
 */
public final class TapeTimeline {

    private TapeTimeline() {
    }

    /**
     * How fast a site's tapes are read, as a backend measured it.
     *
     * @param mountSeconds a mount (with any wait for a drive): the time to a session's first file
     *     beyond its locate and read
     * @param secondsPerPosition moving the head by one unit of the archive's position
     * @param secondsPerByte reading
     */
    public record DriveRates(double mountSeconds, double secondsPerPosition, double secondsPerByte) {

        /** Locating from {@code fromPosition} to a file at {@code position} and reading its {@code bytes}. */
        public double fileSeconds(long fromPosition, long position, long bytes) {
            return Math.abs(position - fromPosition) * secondsPerPosition + bytes * secondsPerByte;
        }
    }

    /** A file to read: a key the caller knows it by, its position on the volume and its size. */
    public record File(String key, long position, long bytes) {
    }

    /**
     * One session of the plan.
     *
     * @param volume its tape; empty for an archive's disk cache (no mount, no locate)
     * @param files the files it has still to read, in the order it reads them
     * @param running whether the session is running now
     * @param firstFileDone whether a running session has read a file (so its mount is behind it)
     * @param headPosition the position of the last file it read (0 before the first)
     * @param secondsOnCurrentFile how long a running session has been at its current file (since
     *     its start for the first)
     */
    public record Visit(Optional<String> volume, List<File> files, boolean running, boolean firstFileDone,
                        long headPosition, double secondsOnCurrentFile) {

        /** A volume not started yet. */
        public static Visit queued(Optional<String> volume, List<File> files) {
            return new Visit(volume, files, false, false, 0, 0);
        }
    }

    /**
     * The estimate of every file of the plan, by key.
     *
     * @param visits the running sessions first, then the queued volumes in the order they will start
     * @param sessions how many sessions may run at once
     */
    public static Map<String, Instant> estimate(Instant now, int sessions, DriveRates rates, List<Visit> visits) {
        return estimate(now, sessions, rates, Map.of(), visits);
    }

    /**
     * As above, with volumes whose sessions are known only by when they will end (another party
     * estimates them): each holds a slot, and its volume, for that many seconds from now.
     */
    public static Map<String, Instant> estimate(Instant now, int sessions, DriveRates rates,
                                                Map<String, Double> busyVolumeSeconds, List<Visit> visits) {
        Map<String, Instant> readyAt = new HashMap<>();
        List<Double> slots = new ArrayList<>(busyVolumeSeconds.values());
        Map<String, Double> volumeFreeAt = new HashMap<>(busyVolumeSeconds);
        for (Visit visit : visits) {
            double start = 0;
            if (!visit.running()) {
                while (slots.size() < sessions) {
                    slots.add(0.0);
                }
                double volumeFree = visit.volume().map(v -> volumeFreeAt.getOrDefault(v, 0.0)).orElse(0.0);
                int slot = slotFor(slots, volumeFree);
                start = Math.max(slots.remove(slot), volumeFree);
            }
            double clock = start;
            long head = visit.running() ? visit.headPosition() : 0;
            boolean mounted = visit.running() && visit.firstFileDone() || visit.volume().isEmpty();
            boolean current = visit.running();
            for (File file : visit.files()) {
                double seconds = (mounted ? 0 : rates.mountSeconds()) + (visit.volume().isEmpty()
                        ? file.bytes() * rates.secondsPerByte() : rates.fileSeconds(head, file.position(), file.bytes()));
                if (current) {
                    seconds = Math.max(0, seconds - visit.secondsOnCurrentFile());
                    current = false;
                }
                mounted = true;
                clock += seconds;
                head = file.position();
                readyAt.put(file.key(), now.plus(Duration.ofMillis(Math.round(clock * 1000))));
            }
            if (!visit.running() || slots.size() < sessions) {
                slots.add(clock);
            }
            double end = clock;
            visit.volume().ifPresent(v -> volumeFreeAt.merge(v, end, Math::max));
        }
        return readyAt;
    }

    /**
     * The slot a visit takes: the one that frees first, unless its volume is busy until later; then
     * the latest slot free by then (the volume's own, when it holds one), so that the wait for the
     * volume does not keep an earlier slot from another visit.
     */
    private static int slotFor(List<Double> slots, double volumeFree) {
        int earliest = 0;
        int latestBefore = -1;
        for (int i = 0; i < slots.size(); i++) {
            if (slots.get(i) < slots.get(earliest)) {
                earliest = i;
            }
            if (slots.get(i) <= volumeFree && (latestBefore < 0 || slots.get(i) > slots.get(latestBefore))) {
                latestBefore = i;
            }
        }
        return slots.get(earliest) < volumeFree && latestBefore >= 0 ? latestBefore : earliest;
    }
}
