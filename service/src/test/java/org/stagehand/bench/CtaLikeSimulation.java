package org.stagehand.bench;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.stagehand.bench.TapeWorkload.TapeFile;
import org.stagehand.bench.TapeWorkload.TapeRequest;

/**
 * A CTA-like mount policy on the benchmark's library, as a discrete-event simulation: files queue
 * per tape; a tape is due when its queued bytes reach {@code minBytes} or its oldest file has
 * waited {@code minAgeSeconds}; a free drive keeps reading its own tape while that tape has
 * queued files (next file ahead of the head, else back to the first), and otherwise mounts the
 * due tape whose oldest file is oldest (all requests have the same priority here). A drive with
 * nothing due keeps its tape mounted.
 */
final class CtaLikeSimulation {

    private final TapeWorkload workload;
    private final int driveCount;
    private final double minBytes;
    private final double minAgeSeconds;

    CtaLikeSimulation(TapeWorkload workload, int driveCount, double minBytes, double minAgeSeconds) {
        this.workload = workload;
        this.driveCount = driveCount;
        this.minBytes = minBytes;
        this.minAgeSeconds = minAgeSeconds;
    }

    private record Queued(TapeFile file, double since) {
    }

    private static final class Drive {
        String tape;
        long head;
        double busyUntil;
        TapeFile reading;
    }

    TapeOutcome run() {
        Map<String, List<Queued>> queues = new LinkedHashMap<>();
        Map<String, TapeRequest> requestOf = new HashMap<>();
        Map<TapeRequest, Integer> filesLeft = new HashMap<>();
        for (TapeRequest request : workload.requests()) {
            filesLeft.put(request, request.files().size());
            request.files().forEach(file -> requestOf.put(file.id(), request));
        }
        List<Drive> drives = new ArrayList<>();
        for (int i = 0; i < driveCount; i++) {
            drives.add(new Drive());
        }
        double[] completions = new double[workload.requests().size()];
        double driveSeconds = 0;
        int mounts = 0;
        double makespan = 0;
        int arrived = 0;
        int done = 0;
        double now = 0;
        while (done < workload.requests().size()) {
            // Next event: an arrival, a drive finishing, or a queue coming of age while a drive is free.
            double next = arrived < workload.requests().size() ? workload.requests().get(arrived).arrival() : Double.MAX_VALUE;
            boolean anyFree = false;
            for (Drive drive : drives) {
                if (drive.reading != null) {
                    next = Math.min(next, drive.busyUntil);
                } else {
                    anyFree = true;
                }
            }
            if (anyFree) {
                for (List<Queued> queue : queues.values()) {
                    if (!queue.isEmpty() && queue.get(0).since() + minAgeSeconds > now) {
                        next = Math.min(next, queue.get(0).since() + minAgeSeconds);
                    }
                }
            }
            now = Math.max(now, next);
            while (arrived < workload.requests().size() && workload.requests().get(arrived).arrival() <= now) {
                TapeRequest request = workload.requests().get(arrived++);
                for (TapeFile file : request.files()) {
                    queues.computeIfAbsent(file.volume(), v -> new ArrayList<>()).add(new Queued(file, request.arrival()));
                }
            }
            for (Drive drive : drives) {
                if (drive.reading != null && drive.busyUntil <= now) {
                    TapeRequest request = requestOf.get(drive.reading.id());
                    drive.reading = null;
                    if (filesLeft.merge(request, -1, Integer::sum) == 0) {
                        completions[request.number()] = drive.busyUntil - request.arrival();
                        makespan = Math.max(makespan, drive.busyUntil);
                        done++;
                    }
                }
            }
            for (Drive drive : drives) {
                if (drive.reading != null) {
                    continue;
                }
                double cost = 0;
                List<Queued> own = drive.tape == null ? null : queues.get(drive.tape);
                if (own == null || own.isEmpty()) {
                    String tape = dueTape(queues, drives, now);
                    if (tape == null) {
                        continue;
                    }
                    if (drive.tape != null) {
                        cost += workload.model().unmount(drive.tape);
                    }
                    cost += workload.model().mount(tape);
                    mounts++;
                    drive.tape = tape;
                    drive.head = 0;
                    own = queues.get(tape);
                }
                TapeFile file = nextAhead(own, drive.head);
                cost += DriveModel.locate(drive.head, file.offset()) + workload.model().read(file.volume(), file.bytes());
                drive.head = file.end();
                drive.reading = file;
                drive.busyUntil = now + cost;
                driveSeconds += cost;
            }
        }
        return new TapeOutcome("CTA-like mount policy (" + (long) (minBytes / 1e9) + " GB or " + (long) minAgeSeconds
                + " s)", driveSeconds, mounts, makespan, completions);
    }

    /** The due tape, not in any drive, whose oldest file has waited longest; null if none is due. */
    private String dueTape(Map<String, List<Queued>> queues, List<Drive> drives, double now) {
        String best = null;
        double oldest = Double.MAX_VALUE;
        for (Map.Entry<String, List<Queued>> entry : queues.entrySet()) {
            List<Queued> queue = entry.getValue();
            if (queue.isEmpty() || drives.stream().anyMatch(drive -> entry.getKey().equals(drive.tape))) {
                continue;
            }
            double bytes = queue.stream().mapToDouble(queued -> queued.file().bytes()).sum();
            boolean due = bytes >= minBytes || now - queue.get(0).since() >= minAgeSeconds;
            if (due && queue.get(0).since() < oldest) {
                oldest = queue.get(0).since();
                best = entry.getKey();
            }
        }
        return best;
    }

    /** Takes the queued file nearest ahead of the head, or the first on the tape when none is ahead. */
    private static TapeFile nextAhead(List<Queued> queue, long head) {
        int chosen = -1;
        int first = 0;
        for (int i = 0; i < queue.size(); i++) {
            long offset = queue.get(i).file().offset();
            if (offset >= head && (chosen < 0 || offset < queue.get(chosen).file().offset())) {
                chosen = i;
            }
            if (offset < queue.get(first).file().offset()) {
                first = i;
            }
        }
        return queue.remove(chosen >= 0 ? chosen : first).file();
    }
}
