package org.stagehand.console;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.Query;
import org.stagehand.db.StateAttributes;
import org.stagehand.lifecycle.LifecycleDao;
import org.stagehand.work.FileState;
import org.stagehand.work.RequestFileState;
import org.stagehand.work.TapeMountDao;

/**
 * The console's read-only queries behind the overview and the tape view. Each reads an index
 * ({@code request_file_by_state}, {@code staged_file_by_state_updated}, {@code staged_file_due},
 * on PostgreSQL {@code staging_request_cancelled}) so that its cost follows the requests that are
 * staging or failed or cancelled, the files queued and the last hour's outcomes; only the total of
 * stored requests reads every request (an index-only scan). The walk over every ready copy (bytes
 * in use, pinned bytes) is left to {@link AreaSampler}, off the page's path.
 */
final class OverviewReadModel {

    /** The pin condition names request states as the lifecycle's statements do. */
    private static final Map<String, Object> STATES = StateAttributes.of(FileState.class, RequestFileState.class);

    private final Jdbi jdbi;

    OverviewReadModel(Jdbi jdbi) {
        this.jdbi = jdbi;
    }

    /** A query whose SQL names states as {@code <FileState.X>} and {@code <RequestFileState.X>}. */
    private static Query query(Handle handle, String sql) {
        return StateAttributes.defineOn(handle.createQuery(sql), STATES);
    }

    /** Stored requests by status, derived as a status answer derives it: cancelled, staging, failed, ready. */
    ConsoleJson.RequestCounts requestCounts() {
        return jdbi.withHandle(handle -> query(handle, """
                SELECT (SELECT count(*) FROM staging_request) AS total,
                       (SELECT count(*) FROM staging_request WHERE cancelled_at IS NOT NULL) AS cancelled,
                       (SELECT count(*) FROM (SELECT DISTINCT w.request_id FROM request_file w WHERE w.state = <RequestFileState.WAITING>) d
                          WHERE NOT EXISTS (SELECT 1 FROM staging_request r
                                            WHERE r.request_id = d.request_id AND r.cancelled_at IS NOT NULL)) AS staging,
                       (SELECT count(*) FROM (SELECT DISTINCT f.request_id FROM request_file f WHERE f.state = <RequestFileState.FAILED>) d
                          WHERE NOT EXISTS (SELECT 1 FROM staging_request r
                                            WHERE r.request_id = d.request_id AND r.cancelled_at IS NOT NULL)
                          AND NOT EXISTS (SELECT 1 FROM request_file w
                                          WHERE w.request_id = d.request_id AND w.state = <RequestFileState.WAITING>)) AS failed
                """).map((rs, ctx) -> {
                    long total = rs.getLong("total");
                    long cancelled = rs.getLong("cancelled");
                    long staging = rs.getLong("staging");
                    long failed = rs.getLong("failed");
                    return new ConsoleJson.RequestCounts(total, staging, total - cancelled - staging - failed, failed,
                            cancelled);
                }).one());
    }

    /** The work queue: due, backing off until a later try, waiting for space, under way; and failed since {@code since}. */
    ConsoleJson.FileCounts fileCounts(Instant now, Instant since) {
        return jdbi.withHandle(handle -> query(handle, """
                SELECT q.due, q.later, q.waiting_for_space, q.under_way,
                       (SELECT count(*) FROM staged_file WHERE state = <FileState.FAILED> AND updated_at >= :since) AS failed
                FROM (SELECT count(CASE WHEN state = <FileState.PENDING> AND NOT waiting_for_space AND not_before <= :now THEN 1 END) AS due,
                             count(CASE WHEN state = <FileState.PENDING> AND NOT waiting_for_space AND not_before > :now THEN 1 END) AS later,
                             count(CASE WHEN state = <FileState.PENDING> AND waiting_for_space THEN 1 END) AS waiting_for_space,
                             count(CASE WHEN state = <FileState.ACTIVE> THEN 1 END) AS under_way
                      FROM staged_file WHERE state IN (<FileState.PENDING>, <FileState.ACTIVE>)) q
                """).bind("now", now).bind("since", since)
                .map((rs, ctx) -> new ConsoleJson.FileCounts(rs.getLong("due"), rs.getLong("later"),
                        rs.getLong("waiting_for_space"), rs.getLong("under_way"), rs.getLong("failed")))
                .one());
    }

    /** Files that failed for good since {@code since}, by error message, most frequent first. */
    List<ConsoleJson.FailureReason> failuresSince(Instant since, int limit) {
        return jdbi.withHandle(handle -> query(handle, """
                SELECT coalesce(last_error, '(no message)') AS reason, count(*) AS files
                FROM staged_file WHERE state = <FileState.FAILED> AND updated_at >= :since
                GROUP BY last_error ORDER BY count(*) DESC, coalesce(last_error, '(no message)') LIMIT :limit
                """).bind("since", since).bind("limit", limit)
                .map((rs, ctx) -> new ConsoleJson.FailureReason(rs.getString("reason"), rs.getLong("files")))
                .list());
    }

    /** Copies that became ready since {@code since}, per minute (minutes since the epoch), oldest first. */
    List<ConsoleJson.Minute> readyPerMinute(Instant since) {
        return jdbi.withHandle(handle -> query(handle, """
                SELECT FLOOR(EXTRACT(EPOCH FROM s.updated_at) / 60) AS epoch_minute, count(*) AS files,
                       coalesce(sum(c.bytes), 0) AS bytes
                FROM staged_file s JOIN catalog_entry c ON c.file_id = s.file_id
                WHERE s.state = <FileState.READY> AND s.updated_at >= :since
                GROUP BY FLOOR(EXTRACT(EPOCH FROM s.updated_at) / 60)
                ORDER BY epoch_minute
                """).bind("since", since)
                .map((rs, ctx) -> new ConsoleJson.Minute(Instant.ofEpochSecond(rs.getLong("epoch_minute") * 60).toString(),
                        rs.getLong("files"), rs.getLong("bytes")))
                .list());
    }

    /** Instances whose runs were alive since {@code since}, with the claims each holds now. */
    List<InstanceRow> instances(Instant since) {
        return jdbi.withHandle(handle -> query(handle, """
                SELECT e.instance_name, max(e.started_at) AS started_at, max(e.alive_until) AS alive_until,
                       (SELECT count(*) FROM staged_file s WHERE s.state = <FileState.ACTIVE> AND s.lease_owner = e.instance_name) AS claims
                FROM instance_epoch e WHERE e.alive_until >= :since
                GROUP BY e.instance_name ORDER BY e.instance_name
                """).bind("since", since)
                .map((rs, ctx) -> new InstanceRow(rs.getString("instance_name"),
                        rs.getTimestamp("started_at").toInstant(), rs.getTimestamp("alive_until").toInstant(),
                        rs.getLong("claims")))
                .list());
    }

    /** A row of {@link #instances}. */
    record InstanceRow(String name, Instant startedAt, Instant aliveUntil, long claims) {
    }

    /** The queue as the tape view shows it: files and bytes waiting, and when the oldest was queued. */
    ConsoleJson.QueueSummary queue() {
        return jdbi.withHandle(handle -> query(handle, """
                SELECT count(*) AS files, coalesce(sum(c.bytes), 0) AS bytes, min(s.updated_at) AS oldest
                FROM staged_file s JOIN catalog_entry c ON c.file_id = s.file_id WHERE s.state = <FileState.PENDING>
                """).map((rs, ctx) -> new ConsoleJson.QueueSummary(rs.getLong("files"), rs.getLong("bytes"),
                        rs.getTimestamp("oldest") == null ? null : rs.getTimestamp("oldest").toInstant().toString()))
                .one());
    }

    /** The files under way on each instance, with their bytes. */
    List<ConsoleJson.UnderWay> underWay() {
        return jdbi.withHandle(handle -> query(handle, """
                SELECT s.lease_owner, count(*) AS files, coalesce(sum(c.bytes), 0) AS bytes
                FROM staged_file s JOIN catalog_entry c ON c.file_id = s.file_id WHERE s.state = <FileState.ACTIVE>
                GROUP BY s.lease_owner ORDER BY s.lease_owner
                """).map((rs, ctx) -> new ConsoleJson.UnderWay(rs.getString("lease_owner"), rs.getLong("files"),
                        rs.getLong("bytes")))
                .list());
    }

    /** The volumes mounted since {@code since} on every instance, as their one DAO counts them. */
    List<ConsoleJson.VolumeMounts> mountsSince(Instant since) {
        return jdbi.withExtension(TapeMountDao.class, mounts -> mounts.mountsSince(since)).stream()
                .map(volume -> new ConsoleJson.VolumeMounts(volume.volume(), volume.mounts())).toList();
    }

    /** Bytes of the ready copies (the copies under way are {@link #underWay}). */
    long readyBytes() {
        return jdbi.withHandle(handle -> query(handle, """
                SELECT coalesce(sum(c.bytes), 0) FROM staged_file s JOIN catalog_entry c ON c.file_id = s.file_id
                WHERE s.state = <FileState.READY>
                """).mapTo(Long.class).one());
    }

    /** Bytes of the ready copies that a request pins (the lifecycle's own rule, {@link LifecycleDao#PINNED}). */
    long pinnedBytes(Instant pinnedSince, Instant now) {
        return jdbi.withHandle(handle -> StateAttributes.defineOn(handle.createQuery("""
                SELECT coalesce(sum(c.bytes), 0) FROM staged_file s JOIN catalog_entry c ON c.file_id = s.file_id
                WHERE s.state = <FileState.READY> AND
                """ + LifecycleDao.PINNED), STATES)
                .bind("pinnedSince", pinnedSince).bind("now", now)
                .mapTo(Long.class).one());
    }
}
