package org.stagehand.backend;

import java.time.Instant;
import java.util.Collection;
import java.util.Map;
import java.util.Optional;

/**
 * An optional capability of an {@link ArchiveBackend}: saying when files it has been handed will
 * be fetched. A tape backend knows its mount queue and the positions of the files on each tape,
 * and measures how long mounts, locates and reads take on its site; from those it can tell a
 * client how long to wait. The service shows the answer as a request's {@code estimated_ready_at}.
 */
public interface EstimatesReadiness {

    /**
     * When each of these files is expected to be fetched. Keep it quick: it runs while a client
     * polls a status. A location the backend has no basis for (not handed to it yet, not located
     * yet, no rates measured yet) is left out of the answer.
     *
     * @param archiveLocations archive locations, as {@link StagingItem#archiveLocation()} gives them
     * @return an estimate per location that has one
     */
    Map<String, Instant> estimatedReadyAt(Collection<String> archiveLocations);

    /**
     * The rates this backend measured on its site, with which the service estimates the files it
     * has not handed over yet (a tape plan's queued volumes, see {@link TapeTimeline}). The default
     * has none.
     *
     * @return empty until measured
     */
    default Optional<TapeTimeline.DriveRates> measuredRates() {
        return Optional.empty();
    }
}
