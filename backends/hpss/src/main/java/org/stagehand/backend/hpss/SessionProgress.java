package org.stagehand.backend.hpss;

import java.util.List;
import java.util.Optional;
import org.stagehand.backend.TapeTimeline;

/**
 * How far one recall session has got, for the estimates: when it started or last finished a
 * file, how many it finished and where the head is. Each finished file is measured into the
 * backend's {@link RecallRates}: from the session's start for its first file (mount included),
 * from the file before for the others. Written by the session's thread, read by the planner.
 */
final class SessionProgress {

    private final Optional<String> volume;
    private final RecallRates rates;
    private volatile long lastFinishedNanos;
    private volatile int finishedFiles;
    private volatile long headPosition;
    private volatile boolean previousFetched = true;

    SessionProgress(Optional<String> volume, RecallRates rates) {
        this.volume = volume;
        this.rates = rates;
        this.lastFinishedNanos = System.nanoTime();
    }

    /** The session's hsi has started. */
    void started(long nanos) {
        lastFinishedNanos = nanos;
    }

    /** The session finished a file, fetched or not. */
    void finished(ArchiveFile location, boolean fetched, long nanos) {
        if (fetched && volume.isPresent() && location != null) {
            double seconds = (nanos - lastFinishedNanos) / 1e9;
            if (finishedFiles == 0) {
                rates.firstFile(seconds, location);
            } else if (previousFetched) { // after a failed file the interval would span two
                rates.nextFile(seconds, headPosition, location);
            }
        }
        previousFetched = fetched;
        if (location != null) {
            headPosition = location.position();
        }
        lastFinishedNanos = nanos;
        finishedFiles++;
    }

    /** The running session as the timeline sees it, with the files it has still to read. */
    TapeTimeline.Visit visit(List<ArchiveFile> left, long nowNanos) {
        return new TapeTimeline.Visit(volume, left.stream().map(SessionProgress::timelineFile).toList(), true,
                finishedFiles > 0, headPosition, Math.max(0, nowNanos - lastFinishedNanos) / 1e9);
    }

    /** A located file as the timeline reads it, known by its HPSS path. */
    static TapeTimeline.File timelineFile(ArchiveFile file) {
        return new TapeTimeline.File(file.path(), file.position(), file.size());
    }
}
