package org.stagehand.requests;

import com.codahale.metrics.Meter;
import com.github.benmanes.caffeine.cache.Cache;
import java.util.Collection;
import java.util.Optional;
import java.util.UUID;

/**
 * One kind of answer (the DTS status, a door's per-path view) kept in memory by a {@link StatusCache}:
 * served only while that cache is live, dropped by its invalidations, and kept after a read only if
 * its generation did not move during the read. Every kind shares the cache's one live flag and one
 * generation counter, so a notification drops a request's answers of every kind at once.
 *
 * @param <T> the answer, as one door shows it
 */
public final class LiveAnswers<T> {

    private final StatusCache owner;
    private final Cache<UUID, T> answers;
    private final Meter hits;
    private final Meter misses;

    LiveAnswers(StatusCache owner, Cache<UUID, T> answers, Meter hits, Meter misses) {
        this.owner = owner;
        this.answers = answers;
        this.hits = hits;
        this.misses = misses;
    }

    /** The kept answer, if the cache is live and has one. */
    public Optional<T> get(UUID requestId) {
        if (!owner.isLive()) {
            return Optional.empty();
        }
        T answer = answers.getIfPresent(requestId);
        (answer == null ? misses : hits).mark();
        return Optional.ofNullable(answer);
    }

    /**
     * Reads an answer from the database with {@code reader} and keeps it, unless a change was
     * notified while it was read (then the next reading reads again).
     */
    public Optional<T> readAndKeep(UUID requestId, LastKnownAnswers.Reader<T> reader) {
        long before = owner.generation();
        Optional<T> read = reader.read(requestId);
        read.ifPresent(answer -> fill(requestId, answer, before));
        return read;
    }

    /** Keeps an answer read from the database after the cache's generation was {@code before}. */
    void fill(UUID requestId, T answer, long before) {
        if (!owner.isLive()) {
            return;
        }
        answers.put(requestId, answer);
        // An invalidation that came after the read began may have run before the put, and missed it.
        if (owner.generation() != before || !owner.isLive()) {
            answers.asMap().remove(requestId, answer);
        }
    }

    void drop(Collection<UUID> requestIds) {
        answers.invalidateAll(requestIds);
    }

    /** Runs the evictions due now (Caffeine runs them soon after a write, on a pool of its own). */
    void cleanUp() {
        answers.cleanUp();
    }

    void dropAll() {
        answers.invalidateAll();
    }
}
