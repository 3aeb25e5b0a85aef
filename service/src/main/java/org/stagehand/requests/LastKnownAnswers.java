package org.stagehand.requests;

import com.codahale.metrics.Gauge;
import com.codahale.metrics.Meter;
import com.codahale.metrics.MetricRegistry;
import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.dropwizard.lifecycle.Managed;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.ToIntFunction;
import org.jdbi.v3.core.JdbiException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.stagehand.db.DatabaseFailures;

/**
 * The last answer known for each request, so that a poll is answered while the database cannot be
 * reached: polling clients (FTS, the DTS) treat a failed poll as a failed request or retry it
 * blindly, while the request itself is safe in the database and the work simply waits.
 *
 * <p>An answer is remembered when it is read from the database, when the request is created here,
 * and when the database notifies a change of it (whichever instance made the change): the change
 * marks it, and a thread of its own reads it again within a second. A new request is notified too,
 * and read the same way only if no answer of it is kept by then: one created here was remembered
 * at its commit, and is not read again. A memory
 * is served only after a read failed because the database is out of reach, and for a second after
 * that without trying again (so that a poll does not wait on a dead database every time). It may lag
 * behind the database, never run ahead of it: it holds only what was read from the database or
 * committed to it. A read that started earlier never replaces one that started later.
 *
 * @param <T> the answer, as one door shows it
 */
public final class LastKnownAnswers<T> implements StatusCache.ChangeSubscriber, Managed {

    /** Reads a request's answer from the database; empty when there is no such request. */
    @FunctionalInterface
    public interface Reader<T> {
        Optional<T> read(UUID requestId);
    }

    /**
     * An answer, and where it came from.
     *
     * @param readAt when it was read from the database (or committed, for a new request)
     * @param fromMemory whether it comes from memory because the database cannot be reached
     */
    public record Answer<T>(T value, Instant readAt, boolean fromMemory) {
    }

    private record Kept<T>(T value, Instant readAt, long sequence) {
    }

    private static final Logger LOG = LoggerFactory.getLogger(LastKnownAnswers.class);
    /** After a read failed for want of the database, answers come from memory this long without trying. */
    private static final Duration OUTAGE_HOLD = Duration.ofSeconds(1);
    private static final Duration REFRESH_INTERVAL = Duration.ofSeconds(1);
    /** Requests read again per refresh round: bounds the refresher's load after a burst of changes. */
    private static final int REFRESH_BATCH = 1000;

    private final String name;
    private final Cache<UUID, Kept<T>> kept;
    private final Reader<T> reader;
    private final Clock clock;
    private final RefreshRounds changed;
    private final AtomicLong sequence = new AtomicLong();
    /**
     * Requests told of as new and not changed since: read in the next round only if no answer is
     * kept by then (one stored here at its commit, or read since, is current).
     */
    private final Set<UUID> createdOnly = ConcurrentHashMap.newKeySet();
    private final Meter fromMemory;
    private final Meter unknownInOutage;
    private volatile long outageUntilNanos;
    private volatile boolean outage;

    private LastKnownAnswers(String name, int bound, ToIntFunction<T> weight, Reader<T> reader, Clock clock,
                             MetricRegistry metrics) {
        this.name = name;
        // Evictions run on the caller's thread: the bound holds once remember() returns, not some time after.
        this.kept = Caffeine.newBuilder().maximumWeight(bound)
                .<UUID, Kept<T>>weigher((id, known) -> Math.max(1, weight.applyAsInt(known.value())))
                .executor(Runnable::run).build();
        this.reader = reader;
        this.clock = clock;
        this.changed = new RefreshRounds("stagehand-" + name + "-refresher", REFRESH_INTERVAL, REFRESH_BATCH,
                this::readAgain);
        this.fromMemory = metrics.meter("stagehand." + name + ".answered-from-memory");
        this.unknownInOutage = metrics.meter("stagehand." + name + ".unknown-during-outage");
        metrics.register("stagehand." + name + ".remembered", (Gauge<Long>) kept::estimatedSize);
        metrics.register("stagehand." + name + ".changes-to-read", (Gauge<Integer>) changed::pendingCount);
    }

    /**
     * A memory of at most {@code maxEntries} answers (0 keeps none), named {@code name} in metrics:
     * meters {@code stagehand.<name>.answered-from-memory} and {@code .unknown-during-outage}, gauges
     * {@code .remembered} and {@code .changes-to-read}.
     */
    public static <T> LastKnownAnswers<T> create(String name, int maxEntries, Reader<T> reader, Clock clock,
                                                 MetricRegistry metrics) {
        return new LastKnownAnswers<>(name, maxEntries, answer -> 1, reader, clock, metrics);
    }

    /**
     * A memory of answers that list a request's files (a door's per-file view), bounded by the
     * files they list together, at most {@code maxFiles} (0 keeps none): a bound by answers would let
     * a few thousand requests of a thousand files each fill the heap. The gauge
     * {@code stagehand.<name>.remembered-files} gives the files held; the rest is as {@link #create}.
     *
     * @param filesOf how many files an answer lists (it counts as at least one)
     */
    public static <T> LastKnownAnswers<T> listingFiles(String name, int maxFiles, ToIntFunction<T> filesOf,
                                                       Reader<T> reader, Clock clock, MetricRegistry metrics) {
        LastKnownAnswers<T> answers = new LastKnownAnswers<>(name, maxFiles, filesOf, reader, clock, metrics);
        metrics.register("stagehand." + name + ".remembered-files", (Gauge<Long>) answers::weight);
        return answers;
    }

    /**
     * The request's answer from the database; while the database cannot be reached, the last one
     * known.
     *
     * @return empty when there is no such request
     * @throws DatabaseUnreachable when the database cannot be reached and no answer is known
     * @throws JdbiException any other database failure
     */
    public Optional<Answer<T>> answer(UUID requestId) {
        if (System.nanoTime() - outageUntilNanos < 0) {
            Optional<Answer<T>> remembered = remembered(requestId);
            if (remembered.isPresent()) {
                return remembered;
            }
        }
        long started = sequence.incrementAndGet();
        Instant readAt = clock.instant();
        Optional<T> read;
        try {
            read = reader.read(requestId);
        } catch (JdbiException e) {
            if (!DatabaseFailures.isUnavailable(e)) {
                throw e;
            }
            outageBegins(e);
            return Optional.of(remembered(requestId).orElseThrow(() -> {
                unknownInOutage.mark();
                return new DatabaseUnreachable(requestId);
            }));
        }
        outageEnds();
        keep(requestId, read, readAt, started);
        return read.map(value -> new Answer<>(value, readAt, false));
    }

    /** Remembers an answer known without reading it, e.g. that of a request just committed. */
    public void remember(UUID requestId, T value) {
        keep(requestId, Optional.of(value), clock.instant(), sequence.incrementAndGet());
    }

    /** The remembered answer, if any, as served during an outage. */
    private Optional<Answer<T>> remembered(UUID requestId) {
        Kept<T> known = kept.getIfPresent(requestId);
        if (known == null) {
            return Optional.empty();
        }
        fromMemory.mark();
        return Optional.of(new Answer<>(known.value(), known.readAt(), true));
    }

    private void keep(UUID requestId, Optional<T> read, Instant readAt, long started) {
        kept.asMap().compute(requestId, (id, before) -> {
            if (before != null && before.sequence() > started) {
                return before; // a read that began later has already been kept
            }
            return read.map(value -> new Kept<>(value, readAt, started)).orElse(null);
        });
    }

    private void outageBegins(JdbiException e) {
        outageUntilNanos = System.nanoTime() + OUTAGE_HOLD.toNanos();
        if (!outage) {
            outage = true;
            LOG.warn("the database cannot be reached: {} answers come from memory until it is back ({})", name, e.toString());
        }
    }

    private void outageEnds() {
        if (outage) {
            outage = false;
            LOG.info("the database is back: {} answers are read from it again", name);
        }
    }

    @Override
    public void changed(Collection<UUID> requestIds) {
        createdOnly.removeAll(requestIds);
        changed.again(requestIds);
    }

    /** New requests: read in the next round, unless an answer is kept by then. */
    @Override
    public void created(Collection<UUID> requestIds) {
        createdOnly.addAll(requestIds);
        changed.again(requestIds);
    }

    @Override
    public void allChanged() {
        createdOnly.clear();
        changed.again(kept.asMap().keySet());
    }

    /** How many answers are remembered (approximately). */
    public long size() {
        return kept.estimatedSize();
    }

    /** What the remembered answers weigh together: one each, or the files each lists. */
    public long weight() {
        return kept.policy().eviction().map(eviction -> eviction.weightedSize().orElse(0)).orElse(0L);
    }

    @Override
    public void start() {
        changed.start();
    }

    @Override
    public void stop() throws InterruptedException {
        changed.stop();
    }

    /** Reads the changed requests again, up to a batch; stops at the first sign of an outage. */
    void refreshChanged() {
        changed.runRound();
    }

    private void readAgain(List<UUID> batch) {
        for (int i = 0; i < batch.size(); i++) {
            UUID id = batch.get(i);
            if (createdOnly.remove(id) && kept.getIfPresent(id) != null) {
                continue; // stored or read here since its commit: nothing newer to read
            }
            long started = sequence.incrementAndGet();
            Instant readAt = clock.instant();
            try {
                keep(id, reader.read(id), readAt, started);
            } catch (JdbiException | IllegalStateException e) {
                changed.again(batch.subList(i, batch.size())); // read again next round
                if (e instanceof JdbiException jdbi && DatabaseFailures.isUnavailable(jdbi)) {
                    outageBegins(jdbi);
                } else {
                    LOG.warn("reading a changed {} answer failed; it is read again later", name, e);
                }
                return;
            }
        }
    }

    /** The database cannot be reached and no answer is known for the request: a 503 where nothing better can be said. */
    public static final class DatabaseUnreachable extends org.stagehand.http.ApiException {
        private static final long serialVersionUID = 1L;

        DatabaseUnreachable(UUID requestId) {
            this("request " + requestId);
        }

        /** @param what what is asked about, e.g. {@code request <uuid>} */
        public DatabaseUnreachable(String what) {
            super(503, "the database cannot be reached and this instance knows no answer for " + what
                    + " yet; nothing is lost, ask again later");
        }
    }
}
