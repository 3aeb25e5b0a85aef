package org.stagehand.backend;

import java.time.Instant;
import java.util.Collection;
import java.util.Map;

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
}
