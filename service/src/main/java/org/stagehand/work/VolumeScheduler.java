package org.stagehand.work;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.stagehand.backend.LocatesOnTape;

/**
 * Plans the queue by tape volume, for a backend that can say where files lie: has it asked where
 * newly queued files lie ({@link QueueLocator}, off the claim thread), and claims the due files of the volumes the
 * {@link MountPolicy} chooses, each volume as one batch, while this instance has drives free. A
 * volume is claimed only when no instance works on it. Files queued for a volume this instance has
 * mounted join its batch while the backend works on it ({@link #joinMountedVolumes}); files queued
 * for a volume another instance works on wait for its next pass.
 */
final class VolumeScheduler {

    private static final Logger LOG = LoggerFactory.getLogger(VolumeScheduler.class);

    /** Hands a volume's claimed files to a worker; {@code backendDone} runs when the backend is done with them. */
    @FunctionalInterface
    interface Submitter {
        void submit(String token, List<ClaimedFile> files, Runnable backendDone);
    }

    /** The running batches of the mounted volumes, by lease token. */
    interface Joiner {
        /** The files the batch under {@code token} has held, or empty when it runs no more or takes no more files. */
        Optional<Set<String>> heldBy(String token);

        /** Adds files claimed under the token to its running batch; false when it takes no more. */
        boolean add(String token, List<ClaimedFile> files);
    }

    private final WorkDao dao;
    private final LocatesOnTape locator;
    private final WorkClaimer claimer;
    private final MountPolicy policy;
    private final int maxFilesPerMount;
    private final Duration locateWait;
    private final Clock clock;
    /** This instance, as its claims name it. */
    private final String owner;
    private final QueueLocator queueLocator;
    /** Volumes whose batch the backend works on here (one drive each), with the batch's lease token. */
    private final Map<String, String> mounted = new ConcurrentHashMap<>();
    /** Volumes whose pass ended here, that may still be in a free drive. */
    private final IdleDrives idleDrives = new IdleDrives();

    /** @param located called when newly queued files were located: they may be due */
    VolumeScheduler(WorkDao dao, LocatesOnTape locator, WorkClaimer claimer, TapeConfiguration config, String owner,
                    Clock clock, Runnable located) {
        this.dao = dao;
        this.locator = locator;
        this.claimer = claimer;
        this.policy = MountPolicy.of(config);
        this.maxFilesPerMount = config.getMaxFilesPerMount();
        this.locateWait = config.getLocateWait().toJavaDuration();
        this.clock = clock;
        this.owner = owner;
        this.queueLocator = new QueueLocator(dao, locator, clock, located);
    }

    int maxSessions() {
        return locator.maxSessions();
    }

    /** How many volume batches the backend works on here now. */
    int volumesMounted() {
        return mounted.size();
    }

    /** Starts locating newly queued files, on a thread of its own. */
    void start() {
        queueLocator.start();
    }

    /**
     * Files may have been queued: has them located, and waits for that at most until locating has
     * been under way for {@code work.tape.locateWait}, so that files queued together share a pass.
     */
    void locateQueued() {
        queueLocator.locateSoon();
        try {
            queueLocator.awaitLocated(locateWait);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    void stop() throws InterruptedException {
        queueLocator.stop();
    }

    /**
     * Claims the volumes the policy would mount now on this instance's free drives, and hands each
     * to {@code submitter} as one batch.
     *
     * @param tokens makes a fresh lease token, opened (live) for the claim
     * @param abandon closes a token whose claim took nothing
     * @return how many volumes were claimed
     */
    int claimDueVolumes(Supplier<String> tokens, java.util.function.Consumer<String> abandon, Submitter submitter) {
        int freeDrives = locator.maxSessions() - mounted.size();
        if (freeDrives <= 0) {
            return 0;
        }
        Instant now = clock.instant();
        // This instance's own claims of a volume whose pass ended may still wait for promotion: not busy
        Set<String> busy = new HashSet<>(dao.volumesInProgressElsewhere(owner));
        busy.addAll(mounted.keySet());
        int claimed = 0;
        Set<String> inDrive = idleDrives.inFreeDrives(freeDrives);
        for (MountPolicy.VolumeQueue queue : policy.toMount(dao.dueByVolume(now), busy, inDrive, freeDrives, now)) {
            String volume = queue.volume();
            String token = tokens.get();
            WorkClaimer.Claim claim;
            try {
                claim = claimer.claim(token, (transaction, at) -> transaction.lockVolume(volume).stream()
                        .anyMatch(file -> file.state() == FileState.ACTIVE && !file.leaseOwner().equals(Optional.of(owner)))
                        ? List.of() // another instance claimed it meanwhile
                        : transaction.dueOnVolume(volume, at, maxFilesPerMount));
            } catch (RuntimeException e) {
                abandon.accept(token);
                throw e;
            }
            if (claim.files().isEmpty()) {
                abandon.accept(token);
                continue;
            }
            mounted.put(volume, token);
            idleDrives.claimed(volume);
            claimed++;
            LOG.info("volume {}: {} file(s), {} bytes, oldest due since {}: claimed for a {}", volume,
                    claim.files().size(), queue.bytes(), queue.oldestDueSince(),
                    inDrive.contains(volume) ? "pass in the drive it may still be in" : "mount");
            submitter.submit(token, claim.files(), () -> {
                if (mounted.remove(volume, token)) {
                    idleDrives.released(volume);
                }
            });
        }
        return claimed;
    }

    /**
     * Claims the files newly due on each volume this instance has mounted, under that mount's
     * lease token, and adds them to its running batch, where the backend reads them in the same
     * mount. Nothing joins while a volume nobody works on has waited past the starvation bound
     * ({@code maxWait}) and no drive is free here: the mounted volumes' batches then end with what
     * they have, and a drive comes free for it.
     *
     * @return how many files joined
     */
    int joinMountedVolumes(Joiner joiner) {
        if (mounted.isEmpty()) {
            return 0;
        }
        Instant now = clock.instant();
        List<MountPolicy.VolumeQueue> due = dao.dueByVolume(now);
        Map<String, String> joinable = new LinkedHashMap<>();
        due.stream().filter(queue -> mounted.containsKey(queue.volume()))
                .forEach(queue -> joinable.put(queue.volume(), mounted.get(queue.volume())));
        if (joinable.isEmpty()) {
            return 0;
        }
        if (mounted.size() >= locator.maxSessions()) {
            Set<String> busy = new HashSet<>(dao.volumesInProgressElsewhere(owner));
            busy.addAll(mounted.keySet());
            if (due.stream().anyMatch(queue -> !busy.contains(queue.volume()) && policy.isStarving(queue, now))) {
                return 0;
            }
        }
        int joined = 0;
        for (Map.Entry<String, String> mount : joinable.entrySet()) {
            String volume = mount.getKey();
            String token = mount.getValue();
            Optional<Set<String>> held = joiner.heldBy(token);
            if (held.isEmpty()) {
                continue;
            }
            Set<String> taken = new HashSet<>();
            WorkClaimer.Claim claim = claimer.claim(token, (transaction, at) -> {
                // files of this instance's earlier pass that still wait for promotion do not count
                boolean othersClaim = transaction.lockVolume(volume).stream().anyMatch(file ->
                        file.state() == FileState.ACTIVE && !file.leaseOwner().equals(Optional.of(owner)));
                Set<String> ours = new HashSet<>();
                transaction.claimedBy(token).forEach(file -> ours.add(file.entry().fileId()));
                int room = maxFilesPerMount - ours.size();
                // a file the batch held and gave back (to retry it) waits for the volume's next pass
                List<String> joining = othersClaim || room <= 0 ? List.of() : transaction.dueOnVolume(volume, at,
                        room + held.get().size()).stream().filter(fileId -> !held.get().contains(fileId)).limit(room).toList();
                taken.addAll(joining);
                return joining;
            });
            List<ClaimedFile> more = claim.files().stream().filter(file -> taken.contains(file.entry().fileId())).toList();
            if (!more.isEmpty() && joiner.add(token, more)) {
                joined += more.size();
                LOG.info("volume {}: {} file(s) join its mount", volume, more.size());
            }
        }
        return joined;
    }

    /** The plan as the database holds it now, for every instance. */
    TapePlan snapshot() {
        Instant now = clock.instant();
        Map<String, List<VolumeQueries.FileOnTape>> byVolume = new LinkedHashMap<>();
        for (VolumeQueries.FileOnTape file : dao.filesOnTape(now)) {
            byVolume.computeIfAbsent(file.volume(), volume -> new ArrayList<>()).add(file);
        }
        List<TapePlan.VolumeInProgress> inProgress = new ArrayList<>();
        Map<String, MountPolicy.VolumeQueue> queues = new LinkedHashMap<>();
        for (Map.Entry<String, List<VolumeQueries.FileOnTape>> volume : byVolume.entrySet()) {
            List<TapePlan.PlannedFile> waiting = volume.getValue().stream().filter(file -> !file.claimed())
                    .map(VolumeQueries.FileOnTape::file).toList();
            Map<String, List<VolumeQueries.FileOnTape>> claimedByOwner = new LinkedHashMap<>();
            volume.getValue().stream().filter(VolumeQueries.FileOnTape::claimed).forEach(file ->
                    claimedByOwner.computeIfAbsent(file.file().leaseOwner().orElse(""), owner -> new ArrayList<>()).add(file));
            if (!claimedByOwner.isEmpty()) {
                claimedByOwner.forEach((owner, files) -> inProgress.add(new TapePlan.VolumeInProgress(volume.getKey(), owner,
                        files.stream().map(VolumeQueries.FileOnTape::file).toList(), bytes(files),
                        files.stream().map(VolumeQueries.FileOnTape::dueSince).min(Comparator.naturalOrder()).orElse(now),
                        waiting)));
                continue;
            }
            List<VolumeQueries.FileOnTape> files = volume.getValue();
            queues.put(volume.getKey(), new MountPolicy.VolumeQueue(volume.getKey(), files.size(), bytes(files),
                    files.stream().map(VolumeQueries.FileOnTape::dueSince).min(Comparator.naturalOrder()).orElse(now), 0));
        }
        List<MountPolicy.VolumeQueue> order = policy.mountOrder(queues.values(),
                idleDrives.inFreeDrives(locator.maxSessions() - mounted.size()), now);
        List<MountPolicy.VolumeQueue> notDue = queues.values().stream().filter(queue -> !order.contains(queue))
                .sorted(Comparator.comparingLong(MountPolicy.VolumeQueue::bytes).reversed()).toList();
        List<TapePlan.QueuedVolume> queued = new ArrayList<>();
        for (int i = 0; i < order.size(); i++) {
            queued.add(queued(order.get(i), OptionalInt.of(i + 1), byVolume, now));
        }
        notDue.forEach(queue -> queued.add(queued(queue, OptionalInt.empty(), byVolume, now)));
        return new TapePlan(now, locator.maxSessions(), queued, inProgress);
    }

    private TapePlan.QueuedVolume queued(MountPolicy.VolumeQueue queue, OptionalInt mountOrder,
                                         Map<String, List<VolumeQueries.FileOnTape>> byVolume, Instant now) {
        return new TapePlan.QueuedVolume(queue.volume(), mountOrder,
                byVolume.get(queue.volume()).stream().map(VolumeQueries.FileOnTape::file).toList(), queue.bytes(),
                queue.oldestDueSince(), policy.isStarving(queue, now));
    }

    private static long bytes(List<VolumeQueries.FileOnTape> files) {
        return files.stream().mapToLong(file -> file.file().bytes()).sum();
    }

    /** The backend's tape capability, when it has one and volume planning is on. */
    static Optional<LocatesOnTape> locatorOf(Object backend, TapeConfiguration config) {
        return backend instanceof LocatesOnTape locator && config.getScheduling() == TapeConfiguration.Scheduling.VOLUMES
                ? Optional.of(locator) : Optional.empty();
    }
}
