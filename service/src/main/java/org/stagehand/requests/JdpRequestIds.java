package org.stagehand.requests;

import com.codahale.metrics.Gauge;
import com.codahale.metrics.MetricRegistry;
import com.fasterxml.jackson.databind.JsonNode;
import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.dropwizard.lifecycle.Managed;
import java.security.SecureRandom;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.jdbi.v3.core.JdbiException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.stagehand.db.DatabaseFailures;

/**
 * The integer request IDs of the JDP-compatible door: each a random number in 1..2^53 (exact in a
 * JSON double, and not guessable: the JDP's status call carries no credential, so sequential IDs
 * would let anyone walk through the requests), unique across instances by the primary key of
 * {@code jdp_request}, stored in the request's own transaction, and mapped to the request's UUID.
 *
 * <p>The mapping never changes, so once known it is answered from memory. This instance knows the IDs
 * it gave or looked up, and on PostgreSQL those of every new request the database notified, so that
 * a poll for any of them is answered while the database cannot be reached.
 */
public final class JdpRequestIds implements StatusCache.ChangeSubscriber, Managed {

    /** The largest ID: 2^53, the last integer a JSON double holds exactly. */
    public static final long MAX_ID = 1L << 53;

    /**
     * A stored request.
     *
     * @param jdpRequestId its integer ID
     * @param requestId its UUID, as the DTS contract and the operator's tasks name it
     */
    public record Accepted(long jdpRequestId, UUID requestId) {
    }

    private static final Logger LOG = LoggerFactory.getLogger(JdpRequestIds.class);
    private static final int ATTEMPTS = 3;
    private static final int REFRESH_BATCH = 5000;

    private final RequestIntake intake;
    private final RequestStatusReader reader;
    private final SecureRandom random = new SecureRandom();
    private final Cache<Long, UUID> known;
    private final RefreshRounds toLookUp =
            new RefreshRounds("stagehand-jdp-ids", Duration.ofSeconds(1), REFRESH_BATCH, this::lookUp);

    private JdpRequestIds(RequestIntake intake, RequestStatusReader reader, int maxEntries) {
        this.intake = intake;
        this.reader = reader;
        this.known = Caffeine.newBuilder().maximumSize(maxEntries).build();
    }

    /**
     * The IDs of the requests stored through {@code intake}, remembering at most {@code maxEntries};
     * told of new requests by {@code reader}'s notifications. Gauges {@code stagehand.jdp-ids.known}
     * and {@code .to-look-up}.
     */
    public static JdpRequestIds create(RequestIntake intake, RequestStatusReader reader, int maxEntries,
                                       MetricRegistry metrics) {
        JdpRequestIds ids = new JdpRequestIds(intake, reader, maxEntries);
        reader.statusCache().subscribe(ids);
        metrics.register("stagehand.jdp-ids.known", (Gauge<Long>) ids.known::estimatedSize);
        metrics.register("stagehand.jdp-ids.to-look-up", (Gauge<Integer>) ids.toLookUp::pendingCount);
        return ids;
    }

    /**
     * Stores a request as {@link RequestIntake#submit} does, with a fresh integer ID and the ORCID of
     * whoever asked.
     */
    public Accepted submit(JsonNode body, String requesterOrcid) {
        for (int attempt = 1; ; attempt++) {
            long id = 1 + (random.nextLong() >>> 11); // 1..2^53
            try {
                UUID requestId = intake.submit(body, new RequestOrigin(requesterOrcid, id));
                known.put(id, requestId);
                return new Accepted(id, requestId);
            } catch (JdbiException e) {
                // The request is written alone, so a clash of its ID failed nothing else; draw again.
                if (attempt == ATTEMPTS || !isUniqueViolation(e)) {
                    throw e;
                }
                LOG.info("JDP request ID {} is taken; drawing another", id);
            }
        }
    }

    /**
     * The request an integer ID names: from memory when known, else from the database.
     *
     * @return empty when no request has the ID
     * @throws LastKnownAnswers.DatabaseUnreachable when the database cannot be reached and the ID is not known here
     */
    public Optional<UUID> requestOf(long jdpRequestId) {
        UUID kept = known.getIfPresent(jdpRequestId);
        if (kept != null) {
            return Optional.of(kept);
        }
        try {
            Optional<UUID> read = reader.requestOfJdpId(jdpRequestId);
            read.ifPresent(requestId -> known.put(jdpRequestId, requestId));
            return read;
        } catch (JdbiException e) {
            if (!DatabaseFailures.isUnavailable(e)) {
                throw e;
            }
            throw new LastKnownAnswers.DatabaseUnreachable("JDP request " + jdpRequestId);
        }
    }

    @Override
    public void changed(Collection<UUID> requestIds) {
        toLookUp.again(requestIds);
    }

    @Override
    public void allChanged() {
        // An ID, once given, never changes: there is nothing to read again.
    }

    @Override
    public void start() {
        toLookUp.start();
    }

    @Override
    public void stop() throws InterruptedException {
        toLookUp.stop();
    }

    /** Looks up the integer IDs of the requests notified since the last round, in one query. */
    void learnNotified() {
        toLookUp.runRound();
    }

    private void lookUp(List<UUID> batch) {
        try {
            known.putAll(reader.jdpIdsOf(batch));
        } catch (JdbiException | IllegalStateException e) {
            toLookUp.again(batch); // next round
        }
    }

    private static boolean isUniqueViolation(Throwable exception) {
        for (Throwable cause = exception; cause != null; cause = cause.getCause()) {
            if (cause instanceof SQLException sql && "23505".equals(sql.getSQLState())) {
                return true;
            }
        }
        return false;
    }
}
