package org.stagehand.work;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Collection;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.jdbi.v3.core.mapper.RowMapper;
import org.jdbi.v3.core.statement.StatementContext;
import org.jdbi.v3.sqlobject.config.KeyColumn;
import org.jdbi.v3.sqlobject.config.RegisterConstructorMapper;
import org.jdbi.v3.sqlobject.config.ValueColumn;
import org.jdbi.v3.sqlobject.config.RegisterRowMapper;
import org.jdbi.v3.sqlobject.customizer.Bind;
import org.jdbi.v3.sqlobject.customizer.BindList;
import org.jdbi.v3.sqlobject.statement.SqlQuery;
import org.jdbi.v3.sqlobject.statement.SqlUpdate;
import org.jdbi.v3.sqlobject.transaction.Transaction;
import org.stagehand.catalog.CatalogEntryMapper;

/**
 * The {@code staged_file} work queue: claims under leases, and the recording of outcomes, which
 * also settles the file for every request waiting on it.
 */
@RegisterRowMapper(WorkDao.ClaimedFileMapper.class)
@RegisterConstructorMapper(ExpiredLease.class)
public interface WorkDao {

    /** Locks due work, skipping rows another instance is claiming at this moment. */
    @SqlQuery("SELECT file_id FROM staged_file WHERE state = 'PENDING' AND not_before <= :now"
            + " ORDER BY not_before, file_id LIMIT :limit FOR UPDATE SKIP LOCKED")
    List<String> lockDue(@Bind("now") Instant now, @Bind("limit") int limit);

    @SqlQuery("SELECT file_id, coalesce(bytes, 0) FROM catalog_entry WHERE file_id IN (<ids>)")
    @KeyColumn("file_id")
    @ValueColumn("coalesce")
    Map<String, Long> sizes(@BindList("ids") Collection<String> fileIds);

    @SqlUpdate("UPDATE staged_file SET waiting_for_space = :waiting WHERE file_id IN (<ids>)")
    int markWaitingForSpace(@BindList("ids") Collection<String> fileIds, @Bind("waiting") boolean waiting);

    @SqlUpdate("UPDATE staged_file SET state = 'ACTIVE', attempts = attempts + 1, lease_owner = :owner,"
            + " lease_token = :token, lease_expires_at = :expires, updated_at = :now, waiting_for_space = false"
            + " WHERE file_id IN (<ids>) AND state = 'PENDING'")
    int lease(@BindList("ids") Collection<String> fileIds, @Bind("owner") String owner, @Bind("token") String token,
              @Bind("expires") Instant expires, @Bind("now") Instant now);

    @SqlQuery("SELECT s.file_id, s.attempts, s.lease_token, c.staging_path, c.archive_location, c.bytes, c.checksum"
            + " FROM staged_file s JOIN catalog_entry c ON c.file_id = s.file_id"
            + " WHERE s.lease_token = :token ORDER BY s.not_before, s.file_id")
    List<ClaimedFile> claimedBy(@Bind("token") String token);

    /**
     * The result of a claim.
     *
     * @param files the files claimed
     * @param bytesNeeded when nothing could be claimed for want of space, the size of the first due
     *     file; 0 otherwise
     */
    record Claim(List<ClaimedFile> files, long bytesNeeded) {
    }

    /**
     * Claims, under one lease token, up to {@code limit} due files whose sizes together fit in
     * {@code freeBytes}. Due files that do not fit are marked as waiting for space.
     */
    @Transaction
    default Claim claim(String owner, String token, Instant now, Instant expires, int limit, long freeBytes) {
        List<String> due = lockDue(now, limit);
        if (due.isEmpty()) {
            return new Claim(List.of(), 0);
        }
        List<String> fitting = due;
        if (freeBytes != Long.MAX_VALUE) {
            Map<String, Long> sizes = sizes(due);
            fitting = new ArrayList<>();
            long total = 0;
            for (String fileId : due) {
                long size = sizes.getOrDefault(fileId, 0L);
                if (total + size > freeBytes) {
                    break;
                }
                total += size;
                fitting.add(fileId);
            }
            if (fitting.size() < due.size()) {
                markWaitingForSpace(due.subList(fitting.size(), due.size()), true);
            }
            if (fitting.isEmpty()) {
                return new Claim(List.of(), sizes.getOrDefault(due.get(0), 0L));
            }
        }
        lease(fitting, owner, token, expires, now);
        return new Claim(claimedBy(token), 0);
    }

    @SqlUpdate("UPDATE staged_file SET lease_expires_at = :expires WHERE state = 'ACTIVE' AND lease_token IN (<tokens>)")
    int renewLeases(@BindList("tokens") Collection<String> tokens, @Bind("expires") Instant expires);

    @SqlUpdate("UPDATE staged_file SET state = :state, last_error = :error, lease_owner = NULL, lease_token = NULL,"
            + " lease_expires_at = NULL, updated_at = :now WHERE file_id = :fileId AND lease_token = :token")
    int finish(@Bind("fileId") String fileId, @Bind("token") String token, @Bind("state") FileState state,
               @Bind("error") String error, @Bind("now") Instant now);

    @SqlUpdate("UPDATE request_file SET state = :state, error = :error, completed_at = :now"
            + " WHERE file_id = :fileId AND state = 'WAITING'")
    int settleWaitingRequests(@Bind("fileId") String fileId, @Bind("state") String requestFileState,
                              @Bind("error") String error, @Bind("now") Instant now);

    /**
     * Records a verified copy in place, for the file and for every request waiting on it. Returns
     * false when the claim was lost (another instance took the file over).
     */
    @Transaction
    default boolean recordReady(String fileId, String token, Instant now) {
        if (finish(fileId, token, FileState.READY, null, now) == 0) {
            return false;
        }
        settleWaitingRequests(fileId, "READY", null, now);
        return true;
    }

    /** Records a permanent failure; returns false when the claim was lost. */
    @Transaction
    default boolean recordFailed(String fileId, String token, String error, Instant now) {
        if (finish(fileId, token, FileState.FAILED, error, now) == 0) {
            return false;
        }
        settleWaitingRequests(fileId, "FAILED", error, now);
        return true;
    }

    /** Puts a claimed file back in the queue, due at {@code notBefore}; false when the claim was lost. */
    @SqlUpdate("UPDATE staged_file SET state = 'PENDING', not_before = :notBefore, last_error = :error,"
            + " lease_owner = NULL, lease_token = NULL, lease_expires_at = NULL, updated_at = :now"
            + " WHERE file_id = :fileId AND lease_token = :token")
    int reschedule(@Bind("fileId") String fileId, @Bind("token") String token, @Bind("notBefore") Instant notBefore,
                   @Bind("error") String error, @Bind("now") Instant now);

    /**
     * Claims whose lease ran out, and every claim of {@code owner}: the caller keeps those of its own
     * that are still under way and takes back the rest.
     */
    @SqlQuery("SELECT s.file_id, c.staging_path, s.lease_token FROM staged_file s"
            + " JOIN catalog_entry c ON c.file_id = s.file_id"
            + " WHERE s.state = 'ACTIVE' AND (s.lease_expires_at < :now OR s.lease_owner = :owner)")
    List<ExpiredLease> expiredOrOwnLeases(@Bind("now") Instant now, @Bind("owner") String owner);

    /** Files of these claims that no request waits for any more (their requests were cancelled). */
    @SqlQuery("SELECT s.file_id FROM staged_file s WHERE s.state = 'ACTIVE' AND s.lease_token IN (<tokens>)"
            + " AND NOT EXISTS (SELECT 1 FROM request_file w WHERE w.file_id = s.file_id AND w.state = 'WAITING')")
    List<String> unwantedClaims(@BindList("tokens") Collection<String> tokens);

    @SqlQuery("SELECT file_id FROM staged_file WHERE file_id = :fileId AND lease_token = :token FOR UPDATE")
    List<String> lockClaim(@Bind("fileId") String fileId, @Bind("token") String token);

    @SqlQuery("SELECT count(*) FROM request_file WHERE file_id = :fileId AND state = 'WAITING'")
    long waitingRequests(@Bind("fileId") String fileId);

    @SqlUpdate("UPDATE staged_file SET state = 'IDLE', lease_owner = NULL, lease_token = NULL,"
            + " lease_expires_at = NULL, updated_at = :now WHERE file_id = :fileId AND lease_token = :token")
    int idle(@Bind("fileId") String fileId, @Bind("token") String token, @Bind("now") Instant now);

    /**
     * Gives back a cancelled claim: queued again if a request still waits for the file, else idle.
     * The claim's row is locked first, so a request being stored for the file at the same moment
     * either is seen here or sees the idle row and queues it again itself.
     */
    @Transaction
    default void releaseCancelled(String fileId, String token, Instant now) {
        if (lockClaim(fileId, token).isEmpty()) {
            return;
        }
        if (waitingRequests(fileId) > 0) {
            reschedule(fileId, token, now, null, now);
        } else {
            idle(fileId, token, now);
        }
    }

    @SqlQuery("SELECT DISTINCT lease_token FROM staged_file WHERE state = 'ACTIVE'")
    List<String> activeLeaseTokens();

    /** Maps a claim: the catalog columns plus {@code attempts} and {@code lease_token}. */
    final class ClaimedFileMapper implements RowMapper<ClaimedFile> {
        private final CatalogEntryMapper entries = new CatalogEntryMapper();

        @Override
        public ClaimedFile map(ResultSet rs, StatementContext ctx) throws SQLException {
            return new ClaimedFile(entries.map(rs, ctx), rs.getInt("attempts"), rs.getString("lease_token"));
        }
    }
}
