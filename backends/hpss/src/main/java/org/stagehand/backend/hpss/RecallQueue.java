package org.stagehand.backend.hpss;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;
import org.stagehand.backend.TapeTimeline;

/**
 * The volume recalls waiting for an {@code hsi} session, and the sessions in use: at most
 * {@code maxSessions} at once, never two on one volume, disk cache first, then in the order
 * planned; a file for a volume whose session still takes files joins it. Guarded
 * by the planner's lock: every method is called holding it.
 */
final class RecallQueue {

    /** The order in which queued recalls start: disk cache first, then as they were planned. */
    private static final Comparator<VolumeRecall> START_ORDER = Comparator
            .comparing((VolumeRecall recall) -> recall.volume().isPresent()).thenComparingLong(VolumeRecall::sequence);

    private final int maxSessions;
    private final List<VolumeRecall> queued = new ArrayList<>();
    /** The recalls whose session runs (for the readiness estimate). */
    private final Set<VolumeRecall> running = new HashSet<>();
    private final Set<String> busyVolumes = new HashSet<>();
    private int activeSessions;
    private long recallSequence;

    RecallQueue(int maxSessions) {
        this.maxSessions = maxSessions;
    }

    /** Puts a located file into the not-yet-started recall of its volume, or a new one. */
    void enqueue(PlannedFile file) {
        Optional<String> volume = file.location.volume();
        VolumeRecall recall = queued.stream().filter(candidate -> candidate.volume().equals(volume)).findFirst().orElse(null);
        if (recall == null) {
            recall = new VolumeRecall(volume, recallSequence++);
            queued.add(recall);
        }
        recall.files.add(file);
        file.recall = recall;
        file.state = PlannedFile.State.QUEUED;
    }

    /**
     * Takes the queued recalls that may start now, each with its session, its files in tape order
     * and each file's target (the first item still wanting it).
     *
     * @param dropIfUnwanted forgets a file nobody wants any more; true when it did
     */
    List<VolumeRecall> startable(Predicate<PlannedFile> dropIfUnwanted) {
        queued.sort(START_ORDER);
        List<VolumeRecall> starting = new ArrayList<>();
        var candidates = queued.iterator();
        while (activeSessions < maxSessions && candidates.hasNext()) {
            VolumeRecall recall = candidates.next();
            if (recall.volume().isPresent() && busyVolumes.contains(recall.volume().get())) {
                continue;
            }
            candidates.remove();
            recall.files.removeIf(dropIfUnwanted);
            if (recall.files.isEmpty()) {
                continue;
            }
            recall.files.sort(Comparator.comparing(file -> file.location, ArchiveFile.TAPE_ORDER));
            for (PlannedFile file : recall.files) {
                inFlight(file);
                recall.feed.add(file);
            }
            running.add(recall);
            recall.volume().ifPresent(busyVolumes::add);
            activeSessions++;
            starting.add(recall);
        }
        return starting;
    }

    /**
     * Puts a located file into the running session of its tape volume, when there is one that
     * still takes files and no other recall waits for a session (a session that kept taking files
     * would keep its drive from a volume waiting for one).
     *
     * @return whether the file joined a running session
     */
    boolean joinRunning(PlannedFile file) {
        Optional<String> volume = file.location.volume();
        if (volume.isEmpty() || !busyVolumes.contains(volume.get())
                || !sessionFree() && queued.stream().anyMatch(other -> !other.volume().equals(volume))) {
            return false;
        }
        VolumeRecall recall = running.stream().filter(candidate -> candidate.volume().equals(volume)).findFirst().orElse(null);
        if (recall == null || !recall.feed.add(file)) {
            return false;
        }
        recall.files.add(file);
        file.recall = recall;
        inFlight(file);
        return true;
    }

    /** The file goes to a session: hsi writes the temporary file of the first item still wanting it. */
    private static void inFlight(PlannedFile file) {
        file.target = file.subscribers.stream().filter(WaitingItem::isWanted).findFirst().orElseThrow();
        file.state = PlannedFile.State.IN_FLIGHT;
    }

    /**
     * The tape visits ahead, for the readiness estimate: the running recalls, then the queued
     * ones in the order they will start, each with its queued files in tape order.
     */
    List<TapeTimeline.Visit> visits(long nowNanos) {
        List<TapeTimeline.Visit> visits = new ArrayList<>();
        running.forEach(recall -> visits.add(recall.runningVisit(nowNanos)));
        List<VolumeRecall> next = new ArrayList<>(queued);
        next.sort(START_ORDER);
        for (VolumeRecall recall : next) {
            List<TapeTimeline.File> inOrder = recall.files.stream()
                    .filter(file -> file.state == PlannedFile.State.QUEUED).map(file -> file.location)
                    .sorted(ArchiveFile.TAPE_ORDER).map(SessionProgress::timelineFile).toList();
            visits.add(TapeTimeline.Visit.queued(recall.volume(), inOrder));
        }
        return visits;
    }

    /** Frees the session of a recall that ended. */
    void ended(VolumeRecall recall) {
        running.remove(recall);
        recall.volume().ifPresent(busyVolumes::remove);
        activeSessions--;
    }

    boolean sessionFree() {
        return activeSessions < maxSessions;
    }
}
