package org.stagehand.work;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Collection;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import org.jdbi.v3.core.mapper.RowMapper;
import org.jdbi.v3.core.statement.StatementContext;
import org.jdbi.v3.sqlobject.config.KeyColumn;
import org.jdbi.v3.sqlobject.config.ValueColumn;
import org.jdbi.v3.sqlobject.CreateSqlObject;
import org.jdbi.v3.sqlobject.config.RegisterRowMapper;
import org.jdbi.v3.sqlobject.customizer.Bind;
import org.jdbi.v3.sqlobject.customizer.BindList;
import org.jdbi.v3.sqlobject.statement.SqlQuery;
import org.jdbi.v3.sqlobject.statement.SqlUpdate;
import org.jdbi.v3.sqlobject.transaction.Transaction;
import org.jdbi.v3.sqlobject.transaction.Transactional;
import org.stagehand.catalog.CatalogEntryMapper;
import org.stagehand.db.DefineStates;

/**
 * The {@code staged_file} work queue: claims under leases, and the recording of outcomes, which
 * also settles the file for every request waiting on it. What to claim is decided in the work
 * code ({@link WorkClaimer}), inside {@link #inTransaction}. The one writer of {@code staged_file},
 * with its request side {@link RequestedWork}; the lease thread uses it on its own connection.
 */
@DefineStates({FileState.class, RequestFileState.class})
@RegisterRowMapper(WorkDao.ClaimedFileMapper.class)
public interface WorkDao extends Transactional<WorkDao>, VolumeQueries {

    /**
     * Locks due work in queue order, up to {@code limit} files, skipping rows another transaction
     * is claiming at this moment; only the rows returned are locked.
     *
     * @param postgres whether the database is PostgreSQL (else H2)
     */
    default List<String> lockDue(Instant now, int limit, boolean postgres) {
        return postgres ? lockDueSkippingLocked(now, limit) : lockDueOnH2(now, limit);
    }

    @SqlQuery("""
            SELECT file_id FROM staged_file WHERE state = <FileState.PENDING> AND not_before <= :now
            ORDER BY not_before, file_id LIMIT :limit FOR UPDATE SKIP LOCKED""")
    List<String> lockDueSkippingLocked(@Bind("now") Instant now, @Bind("limit") int limit);

    /**
     * H2 locks every row a {@code FOR UPDATE} with an {@code ORDER BY} matches, before it sorts and
     * applies the limit: the due rows are chosen first, without locks, and only they are locked. A
     * second claimer at the same moment gets those of the first {@code limit} it finds unlocked,
     * not the next ones (H2 runs one instance).
     */
    @SqlQuery("""
            SELECT file_id FROM staged_file
            WHERE file_id IN (SELECT file_id FROM staged_file WHERE state = <FileState.PENDING> AND not_before <= :now
                              ORDER BY not_before, file_id LIMIT :limit)
                AND state = <FileState.PENDING> AND not_before <= :now
            ORDER BY not_before, file_id FOR UPDATE SKIP LOCKED""")
    List<String> lockDueOnH2(@Bind("now") Instant now, @Bind("limit") int limit);

    @SqlQuery("""
            SELECT file_id, coalesce(bytes, 0) FROM catalog_entry WHERE file_id IN (<ids>)""")
    @KeyColumn("file_id")
    @ValueColumn("coalesce")
    Map<String, Long> sizes(@BindList("ids") Collection<String> fileIds);

    @SqlUpdate("""
            UPDATE staged_file SET waiting_for_space = :waiting WHERE file_id IN (<ids>)""")
    int markWaitingForSpace(@BindList("ids") Collection<String> fileIds, @Bind("waiting") boolean waiting);

    @SqlUpdate("""
            UPDATE staged_file SET state = <FileState.ACTIVE>, attempts = attempts + 1, lease_owner = :owner,
                lease_token = :token, lease_expires_at = :expires, updated_at = :now, waiting_for_space = false
            WHERE file_id IN (<ids>) AND state = <FileState.PENDING>""")
    int lease(@BindList("ids") Collection<String> fileIds, @Bind("owner") String owner, @Bind("token") String token,
              @Bind("expires") Instant expires, @Bind("now") Instant now);

    @SqlQuery("""
            SELECT s.file_id, s.attempts, s.lease_token, c.staging_path, c.archive_location, c.bytes, c.checksum
            FROM staged_file s JOIN catalog_entry c ON c.file_id = s.file_id
            WHERE s.lease_token = :token ORDER BY s.not_before, s.file_id""")
    List<ClaimedFile> claimedBy(@Bind("token") String token);

    @SqlQuery("""
            SELECT file_id FROM staged_file WHERE file_id = :fileId AND state = <FileState.PENDING> FOR UPDATE""")
    List<String> lockPending(@Bind("fileId") String fileId);

    /**
     * Records a permanent failure of a queued, unclaimed file, for the file and every request
     * waiting on it; false when the file is no longer queued.
     */
    @Transaction
    default boolean failPending(String fileId, String error, Instant now) {
        if (lockPending(fileId).isEmpty()) {
            return false;
        }
        settle(List.of(fileId), FileState.FAILED, error, now);
        return true;
    }

    /** The lease tokens of those of these files that are claimed, locking their rows. */
    @SqlQuery("""
            SELECT file_id, lease_token FROM staged_file WHERE file_id IN (<ids>) AND lease_token IS NOT NULL
            ORDER BY file_id FOR UPDATE""")
    @KeyColumn("file_id")
    @ValueColumn("lease_token")
    Map<String, String> lockClaims(@BindList("ids") Collection<String> fileIds);

    /** Sets the work rows of these files to a final state, their claims ended. */
    @SqlUpdate("""
            UPDATE staged_file SET state = :state, last_error = :error, lease_owner = NULL, lease_token = NULL,
                lease_expires_at = NULL, updated_at = :now
            WHERE file_id IN (<ids>)""")
    int setFinalState(@BindList("ids") Collection<String> fileIds, @Bind("state") FileState state,
                      @Bind("error") String error, @Bind("now") Instant now);

    /**
     * Records a permanent failure of claimed files, for each file and every request waiting on it,
     * in one transaction, but only of those still held under the given claim tokens: a file
     * another instance took over is left to it.
     *
     * @param tokenByFile the claim token under which each file was staged
     * @return the files recorded failed
     */
    @Transaction
    default Set<String> failClaimed(Map<String, String> tokenByFile, String error, Instant now) {
        Set<String> held = lockHeld(tokenByFile);
        if (!held.isEmpty()) {
            settle(held, FileState.FAILED, error, now);
        }
        return held;
    }

    /** Locks the rows of these claims and returns the files still held under their tokens. */
    default Set<String> lockHeld(Map<String, String> tokenByFile) {
        Map<String, String> current = lockClaims(tokenByFile.keySet());
        return tokenByFile.entrySet().stream()
                .filter(claim -> claim.getValue().equals(current.get(claim.getKey())))
                .map(Map.Entry::getKey)
                .collect(Collectors.toCollection(LinkedHashSet::new));
    }

    /**
     * Sets files to a final state, and every request row waiting on them to the state that follows
     * ({@link RequestFileState#of}); the caller holds their row locks.
     */
    default void settle(Collection<String> fileIds, FileState state, String error, Instant now) {
        setFinalState(fileIds, state, error, now);
        new RequestFileDao(getHandle()).settleWaiting(fileIds, RequestFileState.of(state), error, now);
    }

    /**
     * Moves verified copies into place and records them ready, in one transaction: the rows are
     * locked and the claims checked first, so a file is moved only while its claim is still this
     * instance's and no other instance can take it over (a takeover skips locked rows). A crash
     * after the move and before the commit leaves a verified copy in place under a claim that
     * expires; the next claim finds it and records it.
     *
     * @param tokenByFile the claim token under which each file was staged
     * @param moveIntoPlace given the files whose claims are held, moves them into place and
     *     returns those now in place
     * @return the files recorded ready
     */
    @Transaction
    default Set<String> placeAndSettleReady(Map<String, String> tokenByFile, Instant now,
                                            Function<Set<String>, Set<String>> moveIntoPlace) {
        Set<String> held = lockHeld(tokenByFile);
        Set<String> placed = held.isEmpty() ? Set.of() : moveIntoPlace.apply(held);
        if (!placed.isEmpty()) {
            settle(placed, FileState.READY, null, now);
        }
        return placed;
    }

    /** Puts a claimed file back in the queue, due at {@code notBefore}; false when the claim was lost. */
    @SqlUpdate("""
            UPDATE staged_file SET state = <FileState.PENDING>, not_before = :notBefore, last_error = :error,
                lease_owner = NULL, lease_token = NULL, lease_expires_at = NULL, updated_at = :now
            WHERE file_id = :fileId AND lease_token = :token""")
    int reschedule(@Bind("fileId") String fileId, @Bind("token") String token, @Bind("notBefore") Instant notBefore,
                   @Bind("error") String error, @Bind("now") Instant now);

    /**
     * Locks the claims whose lease ran out, and every claim of {@code owner}, skipping rows locked
     * by anyone else: an instance frozen inside a transaction must not hold the takeover up (its
     * rows are taken once the server ends its session, see {@code work.transactionIdleTimeout}).
     */
    @SqlQuery("""
            SELECT file_id, lease_token FROM staged_file WHERE state = <FileState.ACTIVE>
                AND (lease_expires_at < :now OR lease_owner = :owner)
            ORDER BY file_id FOR UPDATE SKIP LOCKED""")
    @KeyColumn("file_id")
    @ValueColumn("lease_token")
    Map<String, String> lockAbandoned(@Bind("now") Instant now, @Bind("owner") String owner);

    @SqlQuery("""
            SELECT file_id, staging_path FROM catalog_entry WHERE file_id IN (<ids>)""")
    @KeyColumn("file_id")
    @ValueColumn("staging_path")
    Map<String, String> stagingPaths(@BindList("ids") Collection<String> fileIds);

    /**
     * Puts back in the queue, due now, the claims whose lease expired and this instance's own
     * claims that are not {@code live} (left by its previous run, or by a batch whose outcome
     * could not be recorded), in one transaction.
     *
     * @return the claims taken back; their temporary files are the caller's to delete
     */
    @Transaction
    default List<ExpiredLease> takeBack(Instant now, String owner, Predicate<String> live) {
        Map<String, String> abandoned = new LinkedHashMap<>(lockAbandoned(now, owner));
        abandoned.values().removeIf(live);
        if (abandoned.isEmpty()) {
            return List.of();
        }
        Map<String, String> paths = stagingPaths(abandoned.keySet());
        List<ExpiredLease> takenBack = new ArrayList<>();
        for (Map.Entry<String, String> claim : abandoned.entrySet()) {
            if (reschedule(claim.getKey(), claim.getValue(), now, "its claim was abandoned", now) > 0) {
                takenBack.add(new ExpiredLease(claim.getKey(), paths.get(claim.getKey()), claim.getValue()));
            }
        }
        return takenBack;
    }

    /** Files of these claims that no request waits for any more (their requests were cancelled). */
    @SqlQuery("""
            SELECT s.file_id FROM staged_file s WHERE s.state = <FileState.ACTIVE> AND s.lease_token IN (<tokens>)
                AND NOT EXISTS (SELECT 1 FROM request_file w
                                WHERE w.file_id = s.file_id AND w.state = <RequestFileState.WAITING>)""")
    List<String> unwantedClaims(@BindList("tokens") Collection<String> tokens);

    @SqlQuery("""
            SELECT count(*) FROM request_file WHERE file_id = :fileId AND state = <RequestFileState.WAITING>""")
    long waitingRequests(@Bind("fileId") String fileId);

    @SqlUpdate("""
            UPDATE staged_file SET state = <FileState.IDLE>, lease_owner = NULL, lease_token = NULL,
                lease_expires_at = NULL, updated_at = :now
            WHERE file_id = :fileId AND lease_token = :token""")
    int idle(@Bind("fileId") String fileId, @Bind("token") String token, @Bind("now") Instant now);

    /**
     * Gives back a cancelled claim: queued again if a request still waits for the file, else idle.
     * The claim's row is locked first, so a request being stored for the file at the same moment
     * either is seen here or sees the idle row and queues it again itself.
     */
    @Transaction
    default void releaseCancelled(String fileId, String token, Instant now) {
        if (!token.equals(lockClaims(List.of(fileId)).get(fileId))) {
            return;
        }
        if (waitingRequests(fileId) > 0) {
            reschedule(fileId, token, now, null, now);
        } else {
            idle(fileId, token, now);
        }
    }

    /** Forgets an evicted copy, under its row lock; a later request queues the file afresh. */
    @SqlUpdate("""
            DELETE FROM staged_file WHERE file_id = :fileId AND state = <FileState.READY>""")
    int forgetCopy(@Bind("fileId") String fileId);

    @SqlQuery("""
            SELECT DISTINCT lease_token FROM staged_file WHERE state = <FileState.ACTIVE>""")
    List<String> activeLeaseTokens();

    /** Locks the rows still leased under these tokens, skipping rows another session holds. */
    @SqlQuery("""
            SELECT file_id FROM staged_file WHERE state = <FileState.ACTIVE> AND lease_token IN (<tokens>)
            FOR UPDATE SKIP LOCKED""")
    List<String> lockLeased(@BindList("tokens") Collection<String> tokens);

    @SqlUpdate("""
            UPDATE staged_file SET lease_expires_at = :expires WHERE file_id IN (<ids>)""")
    int extend(@BindList("ids") Collection<String> fileIds, @Bind("expires") Instant expires);

    /** The files held under these tokens, whoever holds their row locks at this moment. */
    @SqlQuery("""
            SELECT file_id, lease_token FROM staged_file WHERE state = <FileState.ACTIVE> AND lease_token IN (<tokens>)""")
    @KeyColumn("file_id")
    @ValueColumn("lease_token")
    Map<String, String> heldUnder(@BindList("tokens") Collection<String> tokens);

    /**
     * Extends the leases of these claims and returns, by file, the tokens still held. A row
     * locked by another session (a request being stored for the file) is not extended this
     * round, but it is still held: nobody can take over a locked row either.
     */
    @Transaction
    default Map<String, String> renew(Collection<String> tokens, Instant expires) {
        List<String> leased = lockLeased(tokens);
        if (!leased.isEmpty() && extend(leased, expires) != leased.size()) {
            throw new IllegalStateException("renewed fewer leases than it had locked");
        }
        return heldUnder(tokens);
    }

    /** The runs of instances, on this DAO's handle. */
    @CreateSqlObject
    InstanceEpochDao epochs();

    /** Maps a claim: the catalog columns plus {@code attempts} and {@code lease_token}. */
    final class ClaimedFileMapper implements RowMapper<ClaimedFile> {
        private final CatalogEntryMapper entries = new CatalogEntryMapper();

        @Override
        public ClaimedFile map(ResultSet rs, StatementContext ctx) throws SQLException {
            return new ClaimedFile(entries.map(rs, ctx), rs.getInt("attempts"), rs.getString("lease_token"));
        }
    }
}
