package org.stagehand.backend.jdp;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * Each file's own wait within one batch: its deadline ({@code maxRestoreWait} after its first
 * restore request), the restores the upstream accepted for it, and, for a file whose download
 * answered 409, when to restore it again and what the upstream said.
 */
final class FileWaits {

    private final Duration maxRestoreWait;
    private final Map<String, Long> deadlines = new LinkedHashMap<>();
    private final Map<String, Integer> restores = new LinkedHashMap<>();
    private final Map<String, Long> restoreLater = new LinkedHashMap<>();
    private final Map<String, String> stillOnTape = new LinkedHashMap<>();

    FileWaits(Duration maxRestoreWait) {
        this.maxRestoreWait = maxRestoreWait;
    }

    /** Starts the clock of files about to be restored for the first time; later restores keep it. */
    void restoring(Collection<String> fileIds, long now) {
        fileIds.forEach(fileId -> deadlines.putIfAbsent(fileId, now + maxRestoreWait.toNanos()));
    }

    void accepted(Collection<String> fileIds) {
        fileIds.forEach(fileId -> restores.merge(fileId, 1, Integer::sum));
    }

    /** Restore requests the upstream accepted for the file. */
    int restores(String fileId) {
        return restores.getOrDefault(fileId, 0);
    }

    boolean overdue(String fileId, long now) {
        Long deadline = deadlines.get(fileId);
        return deadline != null && now - deadline >= 0;
    }

    /** The file is still on tape: restore it again at {@code due}. */
    void restoreLater(String fileId, String message, long due) {
        stillOnTape.put(fileId, message);
        restoreLater.put(fileId, due);
    }

    boolean anyRestoreLater() {
        return !restoreLater.isEmpty();
    }

    /** Takes the files whose time to be restored again has come. */
    List<String> takeDue(long now) {
        return take(due -> due.getValue() - now <= 0);
    }

    /** Takes the files waiting to be restored again whose deadline passed; the map holds the upstream's last word. */
    Map<String, String> takeOverdue(long now) {
        Map<String, String> overdue = new LinkedHashMap<>();
        take(due -> overdue(due.getKey(), now)).forEach(fileId -> overdue.put(fileId, stillOnTape.get(fileId)));
        return overdue;
    }

    /** Forgets files no longer wanted (reported or cancelled). */
    void dropUnless(Predicate<String> open) {
        restoreLater.keySet().removeIf(open.negate());
    }

    /** The earliest of {@code end}, the deadlines of {@code fileIds} and the delayed restores. */
    long wakeUp(long end, Collection<String> fileIds) {
        long wake = end;
        for (String fileId : fileIds) {
            Long deadline = deadlines.get(fileId);
            wake = deadline != null && deadline - wake < 0 ? deadline : wake;
        }
        for (long due : restoreLater.values()) {
            wake = due - wake < 0 ? due : wake;
        }
        return wake;
    }

    private List<String> take(Predicate<Map.Entry<String, Long>> which) {
        List<String> taken = new ArrayList<>();
        restoreLater.entrySet().removeIf(entry -> which.test(entry) && taken.add(entry.getKey()));
        return taken;
    }
}
