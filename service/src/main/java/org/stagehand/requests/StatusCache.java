package org.stagehand.requests;

import com.codahale.metrics.Gauge;
import com.codahale.metrics.MetricRegistry;
import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.ToIntFunction;

/**
 * Status answers kept in memory, so that a client polling a request costs no database query: the
 * DTS status, and further kinds of answer of the same requests ({@link #answers}), e.g. the Tape REST
 * door's per-path view, all under one live flag and one generation counter.
 *
 * <p>An answer is served only while the cache is <em>live</em>: while this instance is told, by
 * {@link StatusChangeListener}, of every change any instance commits to a request. Going live or dark
 * drops every answer, since changes may have been missed in between. An answer read from the
 * database is kept only if nothing was invalidated while it was being read: every invalidation moves
 * a generation counter, and {@link #fill} drops the answer again when the counter moved, so an answer
 * read before a change cannot outlive the change's notification.
 *
 * <p>What a client may see: a change committed on another instance reaches this one's answers when
 * its notification arrives (normally within milliseconds of the commit); a cached answer is never
 * older than {@code maxAge}, whatever happens to notifications.
 */
public final class StatusCache {

    /**
     * Told of every change this cache hears of (from notifications, or from this instance's own
     * cancel and retry), e.g. to read the changed answers again: {@link LastKnownAnswers}.
     */
    public interface ChangeSubscriber {
        /** These requests' answers may have changed. */
        void changed(Collection<UUID> requestIds);

        /**
         * These requests are new: committed since this instance last heard of them, and changed by
         * nothing else yet (a change is told by {@link #changed}). An answer of one read or stored
         * here since its commit is current.
         */
        default void created(Collection<UUID> requestIds) {
            changed(requestIds);
        }

        /** Any answer may have changed, or changes may have been missed (the listener was down). */
        void allChanged();
    }

    private final int maxEntries;
    private final int maxFiles;
    private final Duration maxAge;
    private final MetricRegistry metrics;
    private final AtomicLong generation = new AtomicLong();
    /** Every kind of answer kept: all are dropped by the same invalidations. */
    private final List<LiveAnswers<?>> kinds = new CopyOnWriteArrayList<>();
    private final LiveAnswers<StagingStatus> statuses;
    private final List<ChangeSubscriber> subscribers = new CopyOnWriteArrayList<>();
    private volatile boolean live;

    private StatusCache(int maxEntries, int maxFiles, Duration maxAge, MetricRegistry metrics) {
        this.maxEntries = maxEntries;
        this.maxFiles = maxFiles;
        this.maxAge = maxAge;
        this.metrics = metrics;
        this.statuses = answers("status-cache");
        metrics.register("stagehand.status-cache.live", (Gauge<Integer>) () -> live ? 1 : 0);
    }

    /**
     * A cache of at most {@code maxEntries} answers of each kind, or, for a kind whose answers list
     * files, of answers listing at most {@code maxFiles} files together; each kept at most
     * {@code maxAge}; dark until {@link #goLive}. Its DTS status answers count
     * {@code stagehand.status-cache.hits} and {@code .misses}.
     */
    public static StatusCache create(int maxEntries, int maxFiles, Duration maxAge, MetricRegistry metrics) {
        return new StatusCache(maxEntries, maxFiles, maxAge, metrics);
    }

    /**
     * A further kind of answer kept by this cache, one entry each (like the status answers), with
     * the same bound and age as the status answers, live and dropped with them. Call it at wiring.
     *
     * @param name its name in metrics: meters {@code stagehand.<name>.hits} and {@code .misses}
     */
    public <T> LiveAnswers<T> answers(String name) {
        return kind(name, Caffeine.newBuilder().maximumSize(maxEntries).expireAfterWrite(maxAge).build());
    }

    /**
     * A further kind of answer that lists a request's files (a door's per-file view), bounded by the
     * files its answers list together ({@code maxFiles}); otherwise as {@link #answers(String)}.
     *
     * @param filesOf how many files an answer lists (it counts as at least one)
     */
    public <T> LiveAnswers<T> answersListingFiles(String name, ToIntFunction<T> filesOf) {
        return kind(name, Caffeine.newBuilder().maximumWeight(maxFiles)
                .<UUID, T>weigher((id, answer) -> Math.max(1, filesOf.applyAsInt(answer)))
                .expireAfterWrite(maxAge).build());
    }

    private <T> LiveAnswers<T> kind(String name, Cache<UUID, T> kept) {
        LiveAnswers<T> kind = new LiveAnswers<>(this, kept, metrics.meter("stagehand." + name + ".hits"),
                metrics.meter("stagehand." + name + ".misses"));
        kinds.add(kind);
        return kind;
    }

    /** The kept status answer, if the cache is live and has one. */
    Optional<StagingStatus> get(UUID requestId) {
        return statuses.get(requestId);
    }

    /** Reads a status answer from the database and keeps it, unless a change raced the read. */
    Optional<StagingStatus> readAndKeep(UUID requestId, LastKnownAnswers.Reader<StagingStatus> reader) {
        return statuses.readAndKeep(requestId, reader);
    }

    /** To be read before reading an answer from the database, and handed to a fill. */
    long generation() {
        return generation.get();
    }

    /** Keeps a status answer read from the database after {@link #generation()} returned {@code before}. */
    void fill(UUID requestId, StagingStatus answer, long before) {
        statuses.fill(requestId, answer, before);
    }

    /** Tells {@code subscriber} of every change from now on. */
    public void subscribe(ChangeSubscriber subscriber) {
        subscribers.add(subscriber);
    }

    /** Drops the answers of these requests. */
    public void invalidate(Collection<UUID> requestIds) {
        generation.incrementAndGet();
        kinds.forEach(kind -> kind.drop(requestIds));
        subscribers.forEach(subscriber -> subscriber.changed(requestIds));
    }

    /**
     * Tells the subscribers of new requests; no answer is dropped (none is kept for a request
     * before it exists).
     */
    void created(Collection<UUID> requestIds) {
        subscribers.forEach(subscriber -> subscriber.created(requestIds));
    }

    /** Drops every answer. */
    public void invalidateAll() {
        generation.incrementAndGet();
        kinds.forEach(LiveAnswers::dropAll);
        subscribers.forEach(ChangeSubscriber::allChanged);
    }

    /** Starts serving answers: every change from now on will be notified. */
    public void goLive() {
        invalidateAll();
        live = true;
    }

    /** Stops serving answers: changes may go unnoticed from now on. */
    public void goDark() {
        live = false;
        invalidateAll();
    }

    public boolean isLive() {
        return live;
    }
}
