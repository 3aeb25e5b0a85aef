package org.stagehand.backend.jdp;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The fake archive's tape: when each file's restored copy is (or will be) on disk and when it
 * expires. Files restore on their own, as the JDP's do: a request is {@code ready} only when every
 * one of its files is.
 */
final class FakeRestores {

    /** When a file's copy is on disk; a later restore of an expired copy replaces it. */
    private record FileRestore(long readyAtNanos) {
    }

    private final Map<String, FileRestore> restores = new ConcurrentHashMap<>();
    private final Map<String, Duration> latencyByFile = new ConcurrentHashMap<>();
    volatile Duration latency = Duration.ZERO;
    volatile Duration lifetime;

    void latency(String fileId, Duration fileLatency) {
        latencyByFile.put(fileId, fileLatency);
    }

    /** Starts restoring {@code ids}; a file already on disk or on its way is not restored again, an expired copy is. */
    void restore(List<String> ids, long now) {
        for (String id : ids) {
            restores.compute(id, (key, old) -> old != null && !expired(old, now) ? old
                    : new FileRestore(now + latencyByFile.getOrDefault(id, latency).toNanos()));
        }
    }

    /** {@code expired} if a copy expired, {@code ready} when every file is on disk, else {@code new} or {@code pending}. */
    String stateOf(List<String> ids, long createdNanos, long now) {
        List<String> states = ids.stream().map(id -> fileStatus(id, now)).toList();
        if (states.contains("EXPIRED")) {
            return "expired";
        }
        if (states.stream().allMatch("RESTORED"::equals)) {
            return "ready";
        }
        return now - createdNanos < latency.toNanos() / 2 ? "new" : "pending";
    }

    /** The JDP's file states: RESTORED (on disk), PURGED (on tape only, or on its way back), EXPIRED. */
    String fileStatus(String fileId, long now) {
        FileRestore restore = restores.get(fileId);
        if (restore == null || now < restore.readyAtNanos()) {
            return "PURGED";
        }
        return expired(restore, now) ? "EXPIRED" : "RESTORED";
    }

    private boolean expired(FileRestore restore, long now) {
        Duration copyLifetime = lifetime;
        return copyLifetime != null && now - restore.readyAtNanos() >= copyLifetime.toNanos();
    }
}
