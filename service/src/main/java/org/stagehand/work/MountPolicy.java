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
 * arriving meanwhile share the mount.
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

    /** The due volumes in the order they should be mounted. */
    List<VolumeQueue> mountOrder(Collection<VolumeQueue> queues, Instant now) {
        Comparator<VolumeQueue> order = Comparator.comparing((VolumeQueue queue) -> !isStarving(queue, now))
                .thenComparing(queue -> isStarving(queue, now) ? queue.oldestDueSince() : Instant.MIN)
                .thenComparing(Comparator.comparingInt(VolumeQueue::priority).reversed())
                .thenComparing(VolumeQueue::oldestDueSince)
                .thenComparing(Comparator.comparingLong(VolumeQueue::bytes).reversed())
                .thenComparing(VolumeQueue::volume);
        return queues.stream().filter(queue -> isDue(queue, now)).sorted(order).toList();
    }

    /**
     * The volumes to mount now on {@code freeDrives} drives: the first due ones in mount order
     * that nobody works on yet.
     *
     * @param busy volumes in progress (on any instance): their new files wait for the next pass
     */
    List<VolumeQueue> toMount(Collection<VolumeQueue> queues, Set<String> busy, int freeDrives, Instant now) {
        if (freeDrives <= 0) {
            return List.of();
        }
        return mountOrder(queues, now).stream().filter(queue -> !busy.contains(queue.volume())).limit(freeDrives).toList();
    }
}
