package org.stagehand.work;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.jdbi.v3.core.ConnectionFactory;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.sqlobject.SqlObjectPlugin;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Renews the leases of this instance's claims, on a thread and a database connection of its own:
 * a pool whose connections are busy, or a housekeeping round stuck behind a frozen peer, must not
 * keep the leases from being renewed. Each round also finds the claims that are no longer this
 * instance's (taken over while it was frozen or cut off) and hands them to {@link Claims#lost},
 * which stops their work at once; and when leases cannot be renewed before they run out, the
 * work under way is stopped before another instance may take it over.
 */
public final class LeaseKeeper {

    private static final Logger LOG = LoggerFactory.getLogger(LeaseKeeper.class);

    /** The claims under way here, as the dispatcher knows them. */
    interface Claims {
        /** The lease tokens of every claim under way. */
        Set<String> tokens();

        /**
         * The files of a claim that it has not yet settled: asked before a renewal (a file claimed
         * while it runs is not judged in that round) and after it (a file settled meanwhile is not
         * taken for lost).
         */
        Set<String> unsettled(String token);

        /** These files of the claim are no longer this instance's: stop their work. */
        void lost(String token, Set<String> fileIds);

        /** The leases may run out before they can be renewed: stop all work under way. */
        void lapsing(Instant leasedUntil);
    }

    /** Opens the lease thread's connection. */
    public interface ConnectionOpener {
        Connection open() throws SQLException;
    }

    private final DedicatedConnection connection;
    /** The lease statements, on the lease thread's own connection. */
    private final WorkDao dao;
    private final Duration leaseDuration;
    private final Duration period;
    private final Clock clock;
    private final FreezePoints freezePoints;
    private final Claims claims;
    private final String epoch;
    private ScheduledExecutorService thread;
    /** Until when every claim made here is known to be leased (later claims expire later). */
    private volatile Instant leasedUntil;

    /** @param epoch this run's epoch, kept alive with the leases */
    LeaseKeeper(ConnectionOpener opener, String epoch, Duration leaseDuration, Duration period,
                Clock clock, FreezePoints freezePoints, Claims claims) {
        this.epoch = epoch;
        this.connection = new DedicatedConnection(opener);
        this.dao = Jdbi.create(connection).installPlugin(new SqlObjectPlugin()).onDemand(WorkDao.class);
        this.leaseDuration = leaseDuration;
        this.period = period;
        this.clock = clock;
        this.freezePoints = freezePoints;
        this.claims = claims;
    }

    void start() {
        leasedUntil = clock.instant().plus(leaseDuration);
        thread = Executors.newSingleThreadScheduledExecutor(runnable -> new Thread(runnable, "stagehand-lease-renewal"));
        thread.scheduleWithFixedDelay(this::renewRound, period.toMillis(), period.toMillis(), TimeUnit.MILLISECONDS);
    }

    void stop() throws InterruptedException {
        if (thread != null) {
            thread.shutdownNow();
            thread.awaitTermination(10, TimeUnit.SECONDS);
        }
        connection.close();
    }

    /** One round: renews the leases, finds the claims lost, keeps the epoch alive (package-private for tests). */
    void renewRound() {
        try {
            freezePoints.reached(FreezePoints.Point.RENEWING_LEASES);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
        }
        Instant now = clock.instant();
        Instant expires = now.plus(leaseDuration);
        Set<String> tokens = Set.copyOf(claims.tokens());
        try {
            if (!tokens.isEmpty()) {
                // A file is judged only if its claim was known before the renewal: one claimed while it
                // runs (its token is live before its claim commits) is missing from its answer without
                // being lost, and is renewed in the next round.
                Map<String, Set<String>> claimedBefore = new HashMap<>();
                tokens.forEach(token -> claimedBefore.put(token, claims.unsettled(token)));
                Map<String, String> held = dao.renew(tokens, expires);
                findLost(claimedBefore, held);
            }
            if (dao.epochs().keepEpoch(epoch, expires) == 0) {
                LOG.error("this run's epoch {} was ended by another start of the same work.instanceName:"
                        + " two running instances must not share a name", epoch);
            }
            leasedUntil = expires;
        } catch (RuntimeException e) {
            LOG.error("cannot renew leases (will try again): {}", e.toString());
            connection.reset();
            if (!now.plus(period).isBefore(leasedUntil)) {
                claims.lapsing(leasedUntil);
            }
        }
    }

    /**
     * The files each claim had before the renewal, still unsettled after it (asked after the
     * database said which files are still held, so a file settled meanwhile is not taken for lost),
     * that the database no longer holds under the claim.
     */
    private void findLost(Map<String, Set<String>> claimedBefore, Map<String, String> held) {
        for (Map.Entry<String, Set<String>> claim : claimedBefore.entrySet()) {
            String token = claim.getKey();
            Set<String> lost = new LinkedHashSet<>(claim.getValue());
            lost.retainAll(claims.unsettled(token));
            lost.removeIf(fileId -> token.equals(held.get(fileId)));
            if (!lost.isEmpty()) {
                LOG.warn("lost the claims on {} files to another instance (their leases ran out), stopping their work: {}",
                        lost.size(), lost);
                claims.lost(token, lost);
            }
        }
    }

    /**
     * One connection, opened on first use and again after a failure. Jdbi's handles never close
     * it; {@link #reset()} does, so that the next round starts on a fresh one.
     */
    private static final class DedicatedConnection implements ConnectionFactory {
        private final ConnectionOpener opener;
        private Connection current;

        DedicatedConnection(ConnectionOpener opener) {
            this.opener = opener;
        }

        @Override
        public synchronized Connection openConnection() throws SQLException {
            if (current == null || current.isClosed()) {
                current = opener.open();
            }
            return current;
        }

        @Override
        public void closeConnection(Connection connection) {
            // kept for the next round
        }

        synchronized void reset() {
            close();
        }

        synchronized void close() {
            if (current != null) {
                try {
                    current.close();
                } catch (SQLException e) {
                    LOG.debug("cannot close the lease connection: {}", e.toString());
                }
                current = null;
            }
        }
    }
}
