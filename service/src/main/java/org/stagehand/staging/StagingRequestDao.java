package org.stagehand.staging;

import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import org.jdbi.v3.core.mapper.RowMapper;
import org.jdbi.v3.core.statement.StatementContext;
import org.jdbi.v3.sqlobject.config.KeyColumn;
import org.jdbi.v3.sqlobject.config.RegisterRowMapper;
import org.jdbi.v3.sqlobject.config.RegisterConstructorMapper;
import org.jdbi.v3.sqlobject.config.ValueColumn;
import org.jdbi.v3.sqlobject.customizer.Bind;
import org.jdbi.v3.sqlobject.customizer.BindList;
import org.jdbi.v3.sqlobject.statement.SqlBatch;
import org.jdbi.v3.sqlobject.statement.SqlQuery;
import org.jdbi.v3.sqlobject.statement.SqlUpdate;
import java.util.Map;

/** Staging requests and their files. */
@RegisterConstructorMapper(StagingRequestRecord.class)
@RegisterConstructorMapper(StagingStatus.FileError.class)
public interface StagingRequestDao {

    @SqlUpdate("INSERT INTO staging_request (request_id, created_at, file_count) VALUES (:id, :now, :fileCount)")
    void insertRequest(@Bind("id") UUID requestId, @Bind("now") Instant now, @Bind("fileCount") int fileCount);

    /** Adds work rows for files never asked for before; existing rows are left to the next steps. */
    @SqlBatch("INSERT INTO staged_file (file_id, state, attempts, not_before, updated_at, last_requested_at)"
            + " VALUES (:fileId, 'PENDING', 0, :now, :now, :now) ON CONFLICT DO NOTHING")
    void insertMissingWork(@Bind("fileId") List<String> sortedFileIds, @Bind("now") Instant now);

    /**
     * Locks the work rows of these files and returns their states. The lock orders this request
     * against a worker settling one of the files, so no request can miss a file's outcome.
     */
    @SqlQuery("SELECT file_id, state FROM staged_file WHERE file_id IN (<ids>) ORDER BY file_id FOR UPDATE")
    @KeyColumn("file_id")
    @ValueColumn("state")
    Map<String, String> lockWork(@BindList("ids") Collection<String> fileIds);

    /**
     * Records that these files were asked for now, for least-recently-used eviction. Rows already
     * stamped {@code now} (just inserted by this request) are not written again.
     */
    @SqlUpdate("UPDATE staged_file SET last_requested_at = :now WHERE file_id IN (<ids>)"
            + " AND (last_requested_at IS NULL OR last_requested_at < :now)")
    int touch(@BindList("ids") Collection<String> fileIds, @Bind("now") Instant now);

    /** Queues again files that failed before, nobody wanted any more, or whose copy has gone. */
    @SqlUpdate("UPDATE staged_file SET state = 'PENDING', attempts = 0, not_before = :now, last_error = NULL,"
            + " updated_at = :now WHERE file_id IN (<ids>) AND state IN ('READY', 'FAILED', 'IDLE')")
    int requeue(@BindList("ids") Collection<String> fileIds, @Bind("now") Instant now);

    @SqlBatch("INSERT INTO request_file (request_id, file_id, state, completed_at)"
            + " VALUES (:requestId, :fileId, :state, :completedAt)")
    void insertRequestFiles(@Bind("requestId") UUID requestId, @Bind("fileId") List<String> fileIds,
                            @Bind("state") List<String> states, @Bind("completedAt") List<Instant> completedAt);

    @SqlQuery("SELECT request_id, created_at, file_count, cancelled_at, released_at FROM staging_request WHERE request_id = :id")
    Optional<StagingRequestRecord> findRequest(@Bind("id") UUID requestId);

    /** Reads and locks a request, so cancel and retry of one request run one after the other. */
    @SqlQuery("SELECT request_id, created_at, file_count, cancelled_at, released_at FROM staging_request"
            + " WHERE request_id = :id FOR UPDATE")
    Optional<StagingRequestRecord> lockRequest(@Bind("id") UUID requestId);

    @SqlUpdate("UPDATE staging_request SET released_at = :now WHERE request_id = :id AND released_at IS NULL")
    int release(@Bind("id") UUID requestId, @Bind("now") Instant now);

    @SqlUpdate("UPDATE staging_request SET cancelled_at = :cancelledAt WHERE request_id = :id")
    void setCancelledAt(@Bind("id") UUID requestId, @Bind("cancelledAt") Instant cancelledAt);

    @SqlUpdate("UPDATE request_file SET state = 'CANCELLED', completed_at = :now WHERE request_id = :id AND state = 'WAITING'")
    int cancelWaitingFiles(@Bind("id") UUID requestId, @Bind("now") Instant now);

    /** Locks the queued work rows of a request's files. */
    @SqlQuery("SELECT file_id FROM staged_file WHERE state = 'PENDING'"
            + " AND file_id IN (SELECT file_id FROM request_file WHERE request_id = :id) ORDER BY file_id FOR UPDATE")
    List<String> lockPendingWorkOf(@Bind("id") UUID requestId);

    /** Sets aside queued files that no request waits for any more. */
    @SqlUpdate("UPDATE staged_file SET state = 'IDLE', updated_at = :now WHERE file_id IN (<ids>) AND state = 'PENDING'"
            + " AND NOT EXISTS (SELECT 1 FROM request_file w WHERE w.file_id = staged_file.file_id AND w.state = 'WAITING')")
    int idleUnwanted(@BindList("ids") Collection<String> fileIds, @Bind("now") Instant now);

    @SqlQuery("SELECT file_id FROM request_file WHERE request_id = :id AND state IN (<states>) ORDER BY file_id")
    List<String> fileIdsInStates(@Bind("id") UUID requestId, @BindList("states") Collection<String> states);

    @SqlBatch("UPDATE request_file SET state = :state, error = NULL, completed_at = :completedAt"
            + " WHERE request_id = :requestId AND file_id = :fileId")
    void resetRequestFiles(@Bind("requestId") UUID requestId, @Bind("fileId") List<String> fileIds,
                           @Bind("state") List<String> states, @Bind("completedAt") List<Instant> completedAt);

    /**
     * A request's row and its files summed up by state, with how many of its waiting files wait for
     * space, in one round trip (status is what clients poll). One row per state; a single row with
     * no summary for a request without files; none for an unknown request.
     */
    @SqlQuery("SELECT r.created_at, r.cancelled_at, rf.state, count(rf.file_id) AS files,"
            + " coalesce(sum(c.bytes), 0) AS bytes, max(rf.completed_at) AS last_completed_at,"
            + " coalesce(sum(CASE WHEN rf.state = 'WAITING' AND s.waiting_for_space THEN 1 ELSE 0 END), 0)"
            + " AS waiting_for_space"
            + " FROM staging_request r"
            + " LEFT JOIN request_file rf ON rf.request_id = r.request_id"
            + " LEFT JOIN catalog_entry c ON c.file_id = rf.file_id"
            + " LEFT JOIN staged_file s ON s.file_id = rf.file_id"
            + " WHERE r.request_id = :id GROUP BY r.created_at, r.cancelled_at, rf.state")
    @RegisterRowMapper(StatusRowMapper.class)
    List<StatusRow> statusRows(@Bind("id") UUID requestId);

    /**
     * One row of {@link #statusRows}.
     *
     * @param summary the files in one state, or null for a request without files
     */
    record StatusRow(Instant createdAt, Instant cancelledAt, RequestFileSummary summary, long waitingForSpace) {
    }

    /** Maps {@link #statusRows}. */
    final class StatusRowMapper implements RowMapper<StatusRow> {
        @Override
        public StatusRow map(ResultSet rs, StatementContext ctx) throws SQLException {
            String state = rs.getString("state");
            return new StatusRow(instant(rs, "created_at"), instant(rs, "cancelled_at"),
                    state == null ? null : new RequestFileSummary(state, rs.getLong("files"), rs.getLong("bytes"),
                            instant(rs, "last_completed_at")),
                    rs.getLong("waiting_for_space"));
        }

        private static Instant instant(ResultSet rs, String column) throws SQLException {
            Timestamp timestamp = rs.getTimestamp(column);
            return timestamp == null ? null : timestamp.toInstant();
        }
    }

    @SqlQuery("SELECT rf.file_id, c.staging_path, rf.state, c.bytes, rf.error, rf.completed_at"
            + " FROM request_file rf JOIN catalog_entry c ON c.file_id = rf.file_id"
            + " WHERE rf.request_id = :id AND rf.file_id > :after ORDER BY rf.file_id LIMIT :limit")
    @RegisterRowMapper(RequestFileMapper.class)
    List<RequestFile> files(@Bind("id") UUID requestId, @Bind("after") String after, @Bind("limit") int limit);

    /** Maps request_file rows to the per-file view, with the API's lower-case state names. */
    final class RequestFileMapper implements RowMapper<RequestFile> {
        @Override
        public RequestFile map(ResultSet rs, StatementContext ctx) throws SQLException {
            long bytes = rs.getLong("bytes");
            Long size = rs.wasNull() ? null : bytes;
            Timestamp completed = rs.getTimestamp("completed_at");
            return new RequestFile(rs.getString("file_id"), rs.getString("staging_path"),
                    RequestFileState.valueOf(rs.getString("state")).apiName(), size, rs.getString("error"),
                    completed == null ? null : completed.toInstant().toString());
        }
    }

    @SqlQuery("SELECT rf.file_id AS id, c.staging_path AS path, rf.error AS message"
            + " FROM request_file rf JOIN catalog_entry c ON c.file_id = rf.file_id"
            + " WHERE rf.request_id = :id AND rf.state = 'FAILED' ORDER BY rf.file_id LIMIT :limit")
    List<StagingStatus.FileError> failedFiles(@Bind("id") UUID requestId, @Bind("limit") int limit);
}
