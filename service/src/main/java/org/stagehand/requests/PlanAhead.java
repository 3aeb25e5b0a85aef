package org.stagehand.requests;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.stagehand.backend.TapeTimeline;
import org.stagehand.work.TapePlan;

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

    /**
     * The plan ahead in the tape scheduler's snapshot: each volume in progress (its waiting files
     * as its next pass, first in the queue), then the due volumes in mount order. Volumes not due
     * yet are left out, so their files have no estimate.
     */
    public static PlanAhead of(TapePlan plan) {
        Map<String, List<String>> inProgress = new LinkedHashMap<>();
        List<TapeTimeline.Visit> queued = new ArrayList<>();
        for (TapePlan.VolumeInProgress volume : plan.inProgress()) {
            boolean first = !inProgress.containsKey(volume.volume());
            inProgress.computeIfAbsent(volume.volume(), v -> new ArrayList<>())
                    .addAll(volume.files().stream().map(TapePlan.PlannedFile::archiveLocation).toList());
            if (first && !volume.waiting().isEmpty()) {
                queued.add(visit(volume.volume(), volume.waiting()));
            }
        }
        plan.queued().stream().filter(volume -> volume.mountOrder().isPresent())
                .sorted(Comparator.comparingInt(volume -> volume.mountOrder().getAsInt()))
                .forEach(volume -> queued.add(visit(volume.volume(), volume.files())));
        return new PlanAhead(plan.maxSessions(), inProgress, queued);
    }

    private static TapeTimeline.Visit visit(String volume, List<TapePlan.PlannedFile> files) {
        return TapeTimeline.Visit.queued(Optional.of(volume), files.stream()
                .map(file -> new TapeTimeline.File(file.archiveLocation(), file.position(), file.bytes())).toList());
    }
}
