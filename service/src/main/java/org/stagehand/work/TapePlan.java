package org.stagehand.work;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * A read-only snapshot of the tape plan, as the database holds it for every instance sharing it:
 * the volumes with queued files, in the order the mount policy would mount them, and the volumes
 * being worked on, by instance. Read for status estimates and the operator console; nothing is
 * decided from it.
 *
 * @param takenAt when the snapshot was read
 * @param maxSessions volumes one instance may have mounted at once (the backend's {@code maxSessions})
 * @param queued volumes with due files and none in progress: first the due ones in mount order,
 *     then those not yet due (fewest bytes last)
 * @param inProgress volumes claimed by an instance (mounted, or about to be)
 */
public record TapePlan(Instant takenAt, int maxSessions, List<QueuedVolume> queued, List<VolumeInProgress> inProgress) {

    public TapePlan {
        queued = List.copyOf(queued);
        inProgress = List.copyOf(inProgress);
    }

    /**
     * A volume waiting for a mount.
     *
     * @param volume its label
     * @param mountOrder its place in the mount queue (1: mounted next); empty while the volume is
     *     not due (neither enough bytes nor an old enough file)
     * @param files its due files, in read order (position, offset)
     * @param bytes their size in all
     * @param oldestDueSince since when its longest-waiting file has been due
     * @param starving whether that file has waited past {@code work.tape.maxWait}, which puts the
     *     volume ahead of every other
     */
    public record QueuedVolume(String volume, OptionalInt mountOrder, List<PlannedFile> files, long bytes,
                               Instant oldestDueSince, boolean starving) {
        public QueuedVolume {
            files = List.copyOf(files);
        }
    }

    /**
     * A volume an instance works on.
     *
     * @param volume its label
     * @param instance the {@code work.instanceName} of the instance holding it
     * @param files its claimed files not yet recorded, in read order
     * @param bytes their size in all
     * @param claimedAt when the instance claimed them
     * @param waiting files of the volume queued meanwhile, for its next pass (in read order)
     */
    public record VolumeInProgress(String volume, String instance, List<PlannedFile> files, long bytes, Instant claimedAt,
                                   List<PlannedFile> waiting) {
        public VolumeInProgress {
            files = List.copyOf(files);
            waiting = List.copyOf(waiting);
        }
    }

    /**
     * A file in the plan.
     *
     * @param fileId its catalog ID
     * @param archiveLocation where the archive holds it
     * @param bytes its size (0 when the catalog does not say)
     * @param position its place on the volume, as the backend gave it
     * @param offset the finer place at that position
     * @param leaseOwner the instance holding it, when claimed
     */
    public record PlannedFile(String fileId, String archiveLocation, long bytes, long position, long offset,
                              Optional<String> leaseOwner) {
    }
}
