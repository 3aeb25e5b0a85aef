package org.stagehand.work;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Claims due work that fits in the staging area: the due files in queue order, as many as fit in
 * the free space, evicting unpinned copies when the first one does not fit, and failing a file
 * that could never fit (it would hold up every due file behind it).
 */
final class WorkClaimer {

    private static final Logger LOG = LoggerFactory.getLogger(WorkClaimer.class);

    /**
     * What one claim took.
     *
     * @param files the files claimed under the claim's token, empty when nothing was due or
     *     nothing fits
     * @param claimAgain whether to claim again at once: files were claimed, or a file too large
     *     for the staging area was failed and the files behind it may fit
     */
    record Claim(List<ClaimedFile> files, boolean claimAgain) {
    }

    /** Which due files a claim takes, locked for its transaction. */
    @FunctionalInterface
    interface DueFiles {
        /** Locks and returns the files to claim, in the order they should be staged. */
        List<String> lock(WorkDao transaction, Instant now);
    }

    /** Nothing fitted: the first due file and its size. */
    private record Unfitted(String fileId, long bytes) {
    }

    private final WorkDao dao;
    private final SpaceGuard space;
    private final String owner;
    private final Duration leaseDuration;
    private final Clock clock;
    private final WorkMetrics metrics;

    WorkClaimer(WorkDao dao, SpaceGuard space, String owner, Duration leaseDuration, Clock clock, WorkMetrics metrics) {
        this.dao = dao;
        this.space = space;
        this.owner = owner;
        this.leaseDuration = leaseDuration;
        this.clock = clock;
        this.metrics = metrics;
    }

    /** Claims the {@code due} files that fit under {@code token}. */
    Claim claim(String token, DueFiles due) {
        Attempt attempt = attempt(token, due);
        if (attempt.unfitted() != null && attempt.unfitted().bytes() > space.capacityBytes()) {
            failLargerThanCapacity(attempt.unfitted());
            return new Claim(List.of(), true);
        }
        if (attempt.unfitted() != null && space.makeRoom(attempt.unfitted().bytes())) {
            attempt = attempt(token, due);
        }
        return new Claim(attempt.files(), !attempt.files().isEmpty());
    }

    private record Attempt(List<ClaimedFile> files, Unfitted unfitted) {
    }

    /**
     * One transaction: locks the due files, leases those whose sizes together fit in the free space
     * and marks the others as waiting for space.
     */
    private Attempt attempt(String token, DueFiles dueFiles) {
        long freeBytes = space.freeBytes();
        Instant now = clock.instant();
        return dao.inTransaction(transaction -> {
            List<String> due = dueFiles.lock(transaction, now);
            if (due.isEmpty()) {
                return new Attempt(List.of(), null);
            }
            List<String> fitting = due;
            if (freeBytes != Long.MAX_VALUE) {
                Map<String, Long> sizes = transaction.sizes(due);
                fitting = fitting(due, sizes, freeBytes);
                if (fitting.size() < due.size()) {
                    transaction.markWaitingForSpace(due.subList(fitting.size(), due.size()), true);
                }
                if (fitting.isEmpty()) {
                    return new Attempt(List.of(), new Unfitted(due.get(0), sizes.getOrDefault(due.get(0), 0L)));
                }
            }
            transaction.lease(fitting, owner, token, now.plus(leaseDuration), now);
            return new Attempt(inOrder(transaction.claimedBy(token), fitting), null);
        });
    }

    /** The claimed files in the order they were locked (a volume's: tape order), which is the order to stage them in. */
    private static List<ClaimedFile> inOrder(List<ClaimedFile> claimed, List<String> order) {
        Map<String, Integer> place = new HashMap<>();
        for (int i = 0; i < order.size(); i++) {
            place.put(order.get(i), i);
        }
        List<ClaimedFile> sorted = new ArrayList<>(claimed);
        sorted.sort(Comparator.comparingInt(file -> place.getOrDefault(file.entry().fileId(), Integer.MAX_VALUE)));
        return sorted;
    }

    /** The longest head of {@code due} whose sizes together fit in {@code freeBytes}. */
    static List<String> fitting(List<String> due, Map<String, Long> sizes, long freeBytes) {
        List<String> fitting = new ArrayList<>();
        long total = 0;
        for (String fileId : due) {
            long size = sizes.getOrDefault(fileId, 0L);
            if (total + size > freeBytes) {
                break;
            }
            total += size;
            fitting.add(fileId);
        }
        return fitting;
    }

    private void failLargerThanCapacity(Unfitted file) {
        String message = "larger than the staging area's capacity (" + file.bytes() + " bytes; lifecycle.capacity is "
                + space.capacityBytes() + " bytes)";
        if (dao.failPending(file.fileId(), message, clock.instant())) {
            metrics.fileFailed("staging-area");
            LOG.warn("staging of {} failed: {}", file.fileId(), message);
        }
    }
}
