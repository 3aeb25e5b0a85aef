package org.stagehand.work;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

class MountPolicyTest {

    private static final Instant T0 = Instant.parse("2026-12-01T10:00:00Z");
    private static final long GB = 1_000_000_000L;
    private final MountPolicy policy = new MountPolicy(50 * GB, Duration.ofMinutes(2), Duration.ofMinutes(30));

    private static MountPolicy.VolumeQueue queue(String volume, long bytes, Instant oldest, int priority) {
        return new MountPolicy.VolumeQueue(volume, 1, bytes, oldest, priority);
    }

    @Test
    void aVolumeIsDueOnceItsBytesPassTheThresholdOrItsOldestFileIsOldEnough() {
        Instant now = T0.plusSeconds(60);
        assertThat(policy.isDue(queue("SMALL1", GB, T0, 0), now)).as("1 GB waiting 1 minute").isFalse();
        assertThat(policy.isDue(queue("LARGE1", 50 * GB, T0, 0), now)).as("50 GB waiting 1 minute").isTrue();
        assertThat(policy.isDue(queue("SMALL1", GB, T0, 0), T0.plusSeconds(120))).as("1 GB waiting 2 minutes").isTrue();
        assertThat(policy.mountOrder(List.of(queue("SMALL1", GB, T0, 0)), now)).isEmpty();
    }

    @Test
    void dueVolumesAreMountedByPriorityThenAgeThenBytes() {
        Instant now = T0.plusSeconds(600);
        List<MountPolicy.VolumeQueue> queues = List.of(
                queue("YOUNG1", 60 * GB, T0.plusSeconds(590), 0),
                queue("OLDER1", 1 * GB, T0.plusSeconds(100), 0),
                queue("OLDER2", 9 * GB, T0.plusSeconds(100), 0),
                queue("URGENT", 1 * GB, T0.plusSeconds(400), 5));
        assertThat(policy.mountOrder(queues, now)).extracting(MountPolicy.VolumeQueue::volume)
                .containsExactly("URGENT", "OLDER2", "OLDER1", "YOUNG1");
        assertThat(policy.toMount(queues, Set.of("URGENT"), Set.of(), 2, now)).extracting(MountPolicy.VolumeQueue::volume)
                .as("a volume in progress is left for its next pass").containsExactly("OLDER2", "OLDER1");
        assertThat(policy.toMount(queues, Set.of(), Set.of(), 0, now)).as("no drive free").isEmpty();
    }

    @Test
    void aVolumeStillInAFreeDriveIsReadAgainAsSoonAsItHasADueFileAheadOfVolumesOfItsPriorityThatNeedAMount() {
        Instant now = T0.plusSeconds(600);
        List<MountPolicy.VolumeQueue> queues = List.of(
                queue("OLDER1", 60 * GB, T0, 0),
                queue("INDRV1", GB, now.minusSeconds(5), 0),
                queue("URGENT", GB, T0.plusSeconds(400), 5));
        assertThat(policy.mountOrder(queues, now)).as("not due without its drive").extracting(MountPolicy.VolumeQueue::volume)
                .containsExactly("URGENT", "OLDER1");
        assertThat(policy.mountOrder(queues, Set.of("INDRV1"), now)).extracting(MountPolicy.VolumeQueue::volume)
                .containsExactly("URGENT", "INDRV1", "OLDER1");
        assertThat(policy.toMount(queues, Set.of(), Set.of("INDRV1"), 1, now.plus(Duration.ofMinutes(21))))
                .as("OLDER1 starving").extracting(MountPolicy.VolumeQueue::volume).containsExactly("OLDER1");
    }

    @Test
    void aVolumeWaitingPastTheStarvationBoundGoesAheadOfHigherPriorities() {
        Instant now = T0.plus(Duration.ofMinutes(31));
        List<MountPolicy.VolumeQueue> queues = List.of(
                queue("URGENT", 500 * GB, now.minusSeconds(200), 9),
                queue("STARVE", GB, T0, 0));
        assertThat(policy.isStarving(queues.get(1), now)).isTrue();
        assertThat(policy.toMount(queues, Set.of(), Set.of(), 1, now)).extracting(MountPolicy.VolumeQueue::volume)
                .containsExactly("STARVE");
    }

    /**
     * Fewer drives than volumes, requests arriving over time, the hot volumes' files at a higher
     * priority, and a drive keeping its tape after a pass, which the policy reads again first: at
     * every decision no drive stays free while a volume is due, and no file waits past the
     * starvation bound for a mount while a drive is free (so in all at most the bound plus the
     * mounts of the volumes that starve at the same time, one drive's share of them).
     */
    @Test
    void withFewerDrivesThanVolumesNoDriveIdlesWhileAVolumeIsDueAndNoFileWaitsPastTheBound() {
        int drives = 2;
        Duration maxWait = Duration.ofMinutes(10);
        Duration mountLength = Duration.ofMinutes(4);
        MountPolicy starving = new MountPolicy(50 * GB, Duration.ofMinutes(1), maxWait);
        Random random = new Random(15);
        String[] volumes = {"VA0001", "VA0002", "VA0003", "VA0004", "VA0005", "VA0006"};
        Map<String, List<Instant>> queued = new HashMap<>(); // due times of each volume's waiting files
        Map<String, Instant> mountedUntil = new HashMap<>();
        IdleDrives idle = new IdleDrives();
        Duration longestWait = Duration.ZERO;
        int mounts = 0;
        int passesInDrive = 0;
        for (Instant now = T0; now.isBefore(T0.plus(Duration.ofHours(8))); now = now.plusSeconds(15)) {
            // three hot, high-priority volumes get files all the time, enough to keep both drives
            // busy; the cold ones get one now and then and would wait for ever on priority alone
            for (int hot = 0; hot < 3; hot++) {
                queued.computeIfAbsent(volumes[hot], key -> new ArrayList<>()).add(now);
            }
            if (random.nextInt(10) == 0) {
                queued.computeIfAbsent(volumes[3 + random.nextInt(3)], key -> new ArrayList<>()).add(now);
            }
            Instant at = now;
            mountedUntil.entrySet().removeIf(mount -> {
                if (!mount.getValue().isAfter(at)) {
                    idle.released(mount.getKey());
                    return true;
                }
                return false;
            });
            List<MountPolicy.VolumeQueue> queues = new ArrayList<>();
            queued.forEach((volume, files) -> {
                if (!files.isEmpty()) {
                    queues.add(new MountPolicy.VolumeQueue(volume, files.size(), files.size() * GB,
                            files.stream().min(Instant::compareTo).orElseThrow(), volume.compareTo(volumes[3]) < 0 ? 9 : 0));
                }
            });
            Set<String> busy = new HashSet<>(mountedUntil.keySet());
            Set<String> inDrive = idle.inFreeDrives(drives - mountedUntil.size());
            List<MountPolicy.VolumeQueue> chosen = starving.toMount(queues, busy, inDrive, drives - mountedUntil.size(), now);
            for (MountPolicy.VolumeQueue queue : chosen) {
                idle.claimed(queue.volume());
                passesInDrive += inDrive.contains(queue.volume()) ? 1 : 0;
                for (Instant due : queued.get(queue.volume())) {
                    Duration waited = Duration.between(due, now);
                    longestWait = waited.compareTo(longestWait) > 0 ? waited : longestWait;
                }
                queued.get(queue.volume()).clear();
                mountedUntil.put(queue.volume(), now.plus(mountLength));
                mounts++;
            }
            int freeAfter = drives - mountedUntil.size();
            long dueAndIdle = queues.stream().filter(queue -> !mountedUntil.containsKey(queue.volume())
                    && (starving.isDue(queue, at) || inDrive.contains(queue.volume()))).count();
            assertThat(freeAfter == 0 || dueAndIdle == 0)
                    .as("at %s: %d drives free while %d volumes are due", now, freeAfter, dueAndIdle).isTrue();
            boolean starvingLeft = queues.stream().anyMatch(queue -> !mountedUntil.containsKey(queue.volume())
                    && Duration.between(queue.oldestDueSince(), at).compareTo(maxWait) >= 0);
            assertThat(freeAfter > 0 && starvingLeft).as("at %s: a starving volume left with a drive free", now).isFalse();
        }
        Instant end = T0.plus(Duration.ofHours(8));
        for (List<Instant> files : queued.values()) {
            for (Instant due : files) {
                Duration waited = Duration.between(due, end);
                longestWait = waited.compareTo(longestWait) > 0 ? waited : longestWait;
            }
        }
        assertThat(mounts).as("mounts in the run").isGreaterThan(50);
        assertThat(passesInDrive).as("passes of a volume still in its drive").isGreaterThan(10);
        assertThat(longestWait).as("the longest wait for a mount")
                .isLessThanOrEqualTo(maxWait.plus(mountLength.multipliedBy((volumes.length + drives - 1) / drives))
                        .plusSeconds(15))
                .as("the hot volumes' priority did not starve the others for hours").isLessThan(Duration.ofMinutes(30));
    }
}
