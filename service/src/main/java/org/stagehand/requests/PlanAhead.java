package org.stagehand.requests;

import java.util.List;
import java.util.Map;
import org.stagehand.backend.TapeTimeline;

/**
 * The tape work the service has not handed to the backend yet, as its tape scheduler plans it,
 * for estimates: files are known by their archive locations.
 *
 * @param sessions volumes one instance may have mounted at once
 * @param inProgress the archive locations of each volume being worked on now, by volume
 * @param queued the volumes still to mount, in the order they will be (a volume's next pass first)
 */
public record PlanAhead(int sessions, Map<String, List<String>> inProgress, List<TapeTimeline.Visit> queued) {

    public PlanAhead {
        inProgress = Map.copyOf(inProgress);
        queued = List.copyOf(queued);
    }
}
