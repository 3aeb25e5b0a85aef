package org.stagehand.work;

import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Set;

/**
 * Decides which tape volumes to mount next, in the spirit of CTA's mount policies: a volume
 * becomes due when its due files add up to {@code dueBytes} or its longest-waiting file has been
 * due for {@code dueAge}; due volumes are mounted by (priority, age, bytes), except that a volume
 * whose oldest file has waited {@code maxWait} goes first (the starvation bound: while a drive is
 * free, no file waits longer). Volumes not yet due wait even when drives are free, so that files
 * arriving meanwhile share the mount; but a volume still in a free drive is read again as soon as it
 * has a due file, since that costs no mount.
 */
final class MountPolicy {

    /**
     * A volume's queue, as the policy weighs it.
     *
     * @param volume its label
     * @param files how many due files it has
     * @param bytes their size in all
     * @param oldestDueSince since when its longest-waiting file has been due
     * @param priority higher first; 0 for all while no request carries a priority
     */
    record VolumeQueue(String volume, int files, long bytes, Instant oldestDueSince, int priority) {
    }

    private final long dueBytes;
    private final Duration dueAge;
    private final Duration maxWait;

    MountPolicy(long dueBytes, Duration dueAge, Duration maxWait) {
        this.dueBytes = dueBytes;
        this.dueAge = dueAge;
        this.maxWait = maxWait;
    }

    static MountPolicy of(TapeConfiguration config) {
        return new MountPolicy(config.getDueBytes().toBytes(), config.getDueAge().toJavaDuration(),
                config.getMaxWait().toJavaDuration());
    }

    boolean isDue(VolumeQueue queue, Instant now) {
        return queue.bytes() >= dueBytes || !queue.oldestDueSince().plus(dueAge).isAfter(now);
    }

    boolean isStarving(VolumeQueue queue, Instant now) {
        return !queue.oldestDueSince().plus(maxWait).isAfter(now);
    }

    /** The due volumes in the order they should be mounted, none of them still in a drive. */
    List<VolumeQueue> mountOrder(Collection<VolumeQueue> queues, Instant now) {
        return mountOrder(queues, Set.of(), now);
    }

    /**
     * The due volumes in the order they should be mounted. A volume still in a free drive
     * ({@code inDrive}) is due as soon as it has a due file, and goes ahead of the volumes of its
     * priority that need a mount: reading it again costs no mount, which is how a hot volume keeps
     * its drive while its files keep coming. A starving volume still goes first.
     */
    List<VolumeQueue> mountOrder(Collection<VolumeQueue> queues, Set<String> inDrive, Instant now) {
        Comparator<VolumeQueue> order = Comparator.comparing((VolumeQueue queue) -> !isStarving(queue, now))
                .thenComparing(queue -> isStarving(queue, now) ? queue.oldestDueSince() : Instant.MIN)
                .thenComparing(Comparator.comparingInt(VolumeQueue::priority).reversed())
                .thenComparing(queue -> !inDrive.contains(queue.volume()))
                .thenComparing(VolumeQueue::oldestDueSince)
                .thenComparing(Comparator.comparingLong(VolumeQueue::bytes).reversed())
                .thenComparing(VolumeQueue::volume);
        return queues.stream().filter(queue -> inDrive.contains(queue.volume()) || isDue(queue, now)).sorted(order).toList();
    }

    /**
     * The volumes to mount now on {@code freeDrives} drives: the first due ones in mount order
     * that nobody works on yet.
     *
     * @param busy volumes in progress (on any instance): their new files wait for the next pass
     * @param inDrive volumes that may still be in one of the free drives
     */
    List<VolumeQueue> toMount(Collection<VolumeQueue> queues, Set<String> busy, Set<String> inDrive, int freeDrives,
                              Instant now) {
        if (freeDrives <= 0) {
            return List.of();
        }
        return mountOrder(queues, inDrive, now).stream().filter(queue -> !busy.contains(queue.volume()))
                .limit(freeDrives).toList();
    }
}
