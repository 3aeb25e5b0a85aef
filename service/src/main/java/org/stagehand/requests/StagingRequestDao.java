package org.stagehand.requests;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.argument.Argument;
import org.jdbi.v3.core.mapper.RowMapper;
import org.jdbi.v3.core.statement.PreparedBatch;
import org.jdbi.v3.core.statement.Query;
import org.jdbi.v3.core.statement.StatementContext;
import org.stagehand.catalog.CatalogDao;
import org.stagehand.catalog.CatalogEntry;
import org.stagehand.catalog.CatalogEntryMapper;
import org.stagehand.work.RequestFileState;

/**
 * Staging requests and their files, on one handle. A plain class over Jdbi's fluent API rather than a
 * SqlObject: attaching a SqlObject builds its method handlers and mappers again on every handle,
 * which cost more than the status query itself. Lists of IDs are bound as one array
 * ({@code = ANY(:ids)}, {@code UNNEST(:ids)}), which PostgreSQL and H2 (in PostgreSQL mode) both
 * understand; on PostgreSQL, work rows this request inserts are reported by {@code RETURNING} so that
 * only rows that existed before need a lock.
 */
final class StagingRequestDao {

    private static final RowMapper<StagingRequestRecord> REQUEST = (rs, ctx) -> new StagingRequestRecord(
            rs.getObject("request_id", UUID.class), instant(rs, "created_at"), rs.getInt("file_count"),
            instant(rs, "cancelled_at"), instant(rs, "released_at"), rs.getString("requester_orcid"));
    private static final RowMapper<CatalogEntry> CATALOG_ENTRY = new CatalogEntryMapper();
    /** {@code :now} typed, where PostgreSQL cannot infer its type (a select list, a CASE). */
    private static final String NOW = "CAST(:now AS timestamp with time zone)";
    private static final String REQUEST_COLUMNS = "request_id, created_at, file_count, cancelled_at, released_at,"
            + " requester_orcid";

    private final Handle handle;
    private final boolean postgres;

    /**
     * @param postgres whether the database is PostgreSQL (else H2): PostgreSQL gets statements with
     *     {@code RETURNING} and data-modifying {@code WITH}, which H2 does not have
     */
    StagingRequestDao(Handle handle, boolean postgres) {
        this.handle = handle;
        this.postgres = postgres;
    }

    /** Records when the request's first file started, unless a moment is recorded already. */
    void recordStarted(UUID requestId, Instant startedAt) {
        handle.createUpdate("""
                        UPDATE staging_request SET started_at = :startedAt
                        WHERE request_id = :id AND started_at IS NULL""")
                .bind("id", requestId)
                .bind("startedAt", startedAt)
                .execute();
    }

    /** The catalog entries of these IDs; unknown IDs are left out. */
    List<CatalogEntry> catalogEntries(Collection<String> fileIds) {
        return handle.createQuery("SELECT " + CatalogDao.COLUMNS + " FROM catalog_entry WHERE file_id = ANY(:ids)")
                .bind("ids", varchars(fileIds))
                .map(CATALOG_ENTRY)
                .list();
    }

    void insertRequests(List<RequestWriter.NewRequest> requests, Instant now) {
        handle.createUpdate("INSERT INTO staging_request (request_id, created_at, file_count, requester_orcid)"
                        + " SELECT CAST(u.request_id AS uuid), :now, u.file_count, u.orcid"
                        + " FROM UNNEST(:ids, :counts, :orcids) AS u(request_id, file_count, orcid)")
                .bind("ids", varchars(requests.stream().map(request -> request.requestId().toString()).toList()))
                .bind("counts", integers(requests.stream().map(request -> request.ids().size()).toList()))
                .bind("orcids", varchars(requests.stream().map(request -> request.origin() == null ? null
                        : request.origin().requesterOrcid()).toList()))
                .bind("now", now)
                .execute();
        for (RequestWriter.NewRequest request : requests) {
            if (request.byPath() != null) {
                insertPaths(request.requestId(), request.byPath());
            }
            if (request.origin() != null && request.origin().jdpRequestId() != null) {
                // A clash of the random ID is a unique-key violation: the request is then drawn again.
                handle.createUpdate("INSERT INTO jdp_request (jdp_request_id, request_id) VALUES (:jdpId, :id)")
                        .bind("jdpId", request.origin().jdpRequestId())
                        .bind("id", request.requestId())
                        .execute();
            }
        }
    }

    /** A path request's client, pin and paths, in the transaction that inserts the request. */
    private void insertPaths(UUID requestId, PathRows rows) {
        handle.createUpdate("UPDATE staging_request SET client = :client, pin_seconds = :pin WHERE request_id = :id")
                .bind("id", requestId)
                .bind("client", rows.client())
                .bind("pin", rows.pinSeconds())
                .execute();
        List<Integer> positions = new ArrayList<>(rows.names().size());
        for (int i = 0; i < rows.names().size(); i++) {
            positions.add(i);
        }
        handle.createUpdate("INSERT INTO request_path (request_id, position, path, file_id, error, metadata)"
                        + " SELECT CAST(:id AS uuid), u.position, u.path, u.file_id, u.error, u.metadata"
                        + " FROM UNNEST(:positions, :paths, :fileIds, :errors, :metadata) AS u(position, path, file_id, error, metadata)")
                .bind("id", requestId.toString())
                .bind("positions", integers(positions))
                .bind("paths", varchars(rows.names()))
                .bind("fileIds", varchars(rows.fileIds()))
                .bind("errors", varchars(rows.errors()))
                .bind("metadata", varchars(rows.metadata()))
                .execute();
    }

    /** The request that a JDP integer ID names. */
    Optional<UUID> requestOfJdpId(long jdpRequestId) {
        return handle.createQuery("SELECT request_id FROM jdp_request WHERE jdp_request_id = :jdpId")
                .bind("jdpId", jdpRequestId)
                .mapTo(UUID.class)
                .findOne();
    }

    /** The JDP integer IDs of those of these requests that have one. */
    Map<Long, UUID> jdpIdsOf(Collection<UUID> requestIds) {
        return handle.createQuery("SELECT j.jdp_request_id, j.request_id FROM UNNEST(:ids) AS u(request_id)"
                        + " JOIN jdp_request j ON j.request_id = CAST(u.request_id AS uuid)")
                .bind("ids", varchars(requestIds.stream().map(UUID::toString).toList()))
                .map((rs, ctx) -> Map.entry(rs.getLong(1), rs.getObject(2, UUID.class)))
                .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue));
    }

    /**
     * Adds work rows, {@code PENDING}, for files never asked for before, in ID order; existing rows are
     * left to {@link #lockAndTouch}.
     *
     * @return on PostgreSQL, the IDs of the rows inserted (they are this transaction's own until it
     *     commits: no other transaction can see, claim or lock them); on H2, empty, unknown
     */
    Optional<Set<String>> insertMissingWork(List<String> sortedFileIds, Instant now) {
        String insert = "INSERT INTO staged_file (file_id, state, attempts, not_before, updated_at, last_requested_at)"
                + " SELECT u.file_id, 'PENDING', 0, " + NOW + ", " + NOW + ", " + NOW
                + " FROM UNNEST(:ids) AS u(file_id) ORDER BY u.file_id"
                + " ON CONFLICT DO NOTHING";
        if (!postgres) {
            handle.createUpdate(insert).bind("ids", varchars(sortedFileIds)).bind("now", now).execute();
            return Optional.empty();
        }
        return Optional.of(new HashSet<>(handle.createQuery(insert + " RETURNING file_id")
                .bind("ids", varchars(sortedFileIds))
                .bind("now", now)
                .mapTo(String.class)
                .list()));
    }

    /**
     * Locks the work rows of these files in ID order, returns their states, and records that they
     * were asked for now (for least-recently-used eviction; rows already stamped {@code now} are not
     * written again). The lock orders this request against a worker settling one of the files, so no
     * request can miss a file's outcome. Files without a work row are not in the answer.
     */
    Map<String, String> lockAndTouch(List<String> sortedFileIds, Instant now) {
        if (sortedFileIds.isEmpty()) {
            return Map.of();
        }
        String lock = "SELECT file_id, state FROM staged_file WHERE file_id = ANY(:ids) ORDER BY file_id FOR UPDATE";
        if (postgres) {
            // One round trip: the UPDATE only touches rows the first part has locked, in order.
            return fileStates(handle.createQuery("WITH locked AS (" + lock + "), touched AS (UPDATE staged_file s"
                            + " SET last_requested_at = :now FROM locked l WHERE s.file_id = l.file_id"
                            + " AND (s.last_requested_at IS NULL OR s.last_requested_at < :now))"
                            + " SELECT file_id, state FROM locked")
                    .bind("ids", varchars(sortedFileIds))
                    .bind("now", now));
        }
        Map<String, String> states = fileStates(handle.createQuery(lock).bind("ids", varchars(sortedFileIds)));
        handle.createUpdate("UPDATE staged_file SET last_requested_at = :now WHERE file_id = ANY(:ids)"
                        + " AND (last_requested_at IS NULL OR last_requested_at < :now)")
                .bind("ids", varchars(sortedFileIds))
                .bind("now", now)
                .execute();
        return states;
    }

    /** A query's {@code (file_id, state)} rows as a map. */
    private static Map<String, String> fileStates(Query query) {
        return query.map((rs, ctx) -> Map.entry(rs.getString(1), rs.getString(2)))
                .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue));
    }

    /** Queues again files that failed before, nobody wanted any more, or whose copy has gone. */
    int requeue(Collection<String> fileIds, Instant now) {
        return handle.createUpdate("UPDATE staged_file SET state = 'PENDING', attempts = 0, not_before = :now,"
                        + " last_error = NULL, updated_at = :now WHERE file_id = ANY(:ids) AND state IN ('READY', 'FAILED', 'IDLE')")
                .bind("ids", varchars(fileIds))
                .bind("now", now)
                .execute();
    }

    /**
     * Inserts requests' rows for files, in one statement: row {@code i} is file {@code fileIds[i]}
     * of request {@code requestIds[i]}.
     *
     * @param states per row, {@code READY} (completed {@code now}) or {@code WAITING}
     */
    void insertRequestFiles(List<String> requestIds, List<String> fileIds, List<String> states, Instant now) {
        handle.createUpdate("INSERT INTO request_file (request_id, file_id, state, completed_at)"
                        + " SELECT CAST(u.request_id AS uuid), u.file_id, u.state, CASE WHEN u.state = 'READY' THEN " + NOW + " END"
                        + " FROM UNNEST(:requestIds, :ids, :states) AS u(request_id, file_id, state)")
                .bind("requestIds", varchars(requestIds))
                .bind("now", now)
                .bind("ids", varchars(fileIds))
                .bind("states", varchars(states))
                .execute();
    }

    Optional<StagingRequestRecord> findRequest(UUID requestId) {
        return handle.createQuery("SELECT " + REQUEST_COLUMNS + " FROM staging_request WHERE request_id = :id")
                .bind("id", requestId)
                .map(REQUEST)
                .findOne();
    }

    /** Reads and locks a request, so cancel and retry of one request run one after the other. */
    Optional<StagingRequestRecord> lockRequest(UUID requestId) {
        return handle.createQuery("SELECT " + REQUEST_COLUMNS + " FROM staging_request WHERE request_id = :id FOR UPDATE")
                .bind("id", requestId)
                .map(REQUEST)
                .findOne();
    }

    int release(UUID requestId, Instant now) {
        return handle.createUpdate("UPDATE staging_request SET released_at = :now WHERE request_id = :id AND released_at IS NULL")
                .bind("id", requestId)
                .bind("now", now)
                .execute();
    }

    void setCancelledAt(UUID requestId, Instant cancelledAt) {
        handle.createUpdate("UPDATE staging_request SET cancelled_at = :cancelledAt WHERE request_id = :id")
                .bind("id", requestId)
                .bind("cancelledAt", cancelledAt)
                .execute();
    }

    int cancelWaitingFiles(UUID requestId, Instant now) {
        return handle.createUpdate("UPDATE request_file SET state = 'CANCELLED', completed_at = :now"
                        + " WHERE request_id = :id AND state = 'WAITING'")
                .bind("id", requestId)
                .bind("now", now)
                .execute();
    }

    /** Locks the queued work rows of a request's files. */
    List<String> lockPendingWorkOf(UUID requestId) {
        return handle.createQuery("SELECT file_id FROM staged_file WHERE state = 'PENDING'"
                        + " AND file_id IN (SELECT file_id FROM request_file WHERE request_id = :id) ORDER BY file_id FOR UPDATE")
                .bind("id", requestId)
                .mapTo(String.class)
                .list();
    }

    /** Sets aside queued files that no request waits for any more. */
    int idleUnwanted(Collection<String> fileIds, Instant now) {
        return handle.createUpdate("UPDATE staged_file SET state = 'IDLE', updated_at = :now WHERE file_id = ANY(:ids)"
                        + " AND state = 'PENDING' AND NOT EXISTS (SELECT 1 FROM request_file w"
                        + " WHERE w.file_id = staged_file.file_id AND w.state = 'WAITING')")
                .bind("ids", varchars(fileIds))
                .bind("now", now)
                .execute();
    }

    List<String> fileIdsInStates(UUID requestId, Collection<String> states) {
        return handle.createQuery("SELECT file_id FROM request_file WHERE request_id = :id AND state = ANY(:states) ORDER BY file_id")
                .bind("id", requestId)
                .bind("states", varchars(states))
                .mapTo(String.class)
                .list();
    }

    /**
     * Sets a request's rows for these files to a fresh state, without error.
     *
     * @param states per file, {@code READY} (completed {@code now}) or {@code WAITING}
     */
    void resetRequestFiles(UUID requestId, List<String> fileIds, List<String> states, Instant now) {
        PreparedBatch batch = handle.prepareBatch("UPDATE request_file SET state = :state, error = NULL,"
                + " completed_at = :completedAt WHERE request_id = :requestId AND file_id = :fileId");
        for (int i = 0; i < fileIds.size(); i++) {
            batch.bind("requestId", requestId)
                    .bind("fileId", fileIds.get(i))
                    .bind("state", states.get(i))
                    .bind("completedAt", "READY".equals(states.get(i)) ? now : null)
                    .add();
        }
        batch.execute();
    }

    /**
     * A request's row and its files summed up by state, with how many of its waiting files wait for
     * space, in one round trip (status is what clients poll). One row per state; a single row with
     * no summary for a request without files; none for an unknown request.
     */
    List<StatusRow> statusRows(UUID requestId) {
        return handle.createQuery("SELECT r.created_at, r.cancelled_at, rf.state, count(rf.file_id) AS files,"
                        + " coalesce(sum(c.bytes), 0) AS bytes, max(rf.completed_at) AS last_completed_at,"
                        + " coalesce(sum(CASE WHEN rf.state = 'WAITING' AND s.waiting_for_space THEN 1 ELSE 0 END), 0)"
                        + " AS waiting_for_space,"
                        + " coalesce(sum(CASE WHEN rf.state = 'WAITING' AND s.state = 'ACTIVE' THEN 1 ELSE 0 END), 0)"
                        + " AS copying"
                        + " FROM staging_request r"
                        + " LEFT JOIN request_file rf ON rf.request_id = r.request_id"
                        + " LEFT JOIN catalog_entry c ON c.file_id = rf.file_id"
                        + " LEFT JOIN staged_file s ON s.file_id = rf.file_id"
                        + " WHERE r.request_id = :id GROUP BY r.created_at, r.cancelled_at, rf.state")
                .bind("id", requestId)
                .map(StagingRequestDao::statusRow)
                .list();
    }

    /**
     * One row of {@link #statusRows}.
     *
     * @param summary the files in one state, or null for a request without files
     */
    record StatusRow(Instant createdAt, Instant cancelledAt, RequestFileSummary summary, long waitingForSpace,
                     long copying) {
    }

    private static StatusRow statusRow(ResultSet rs, StatementContext ctx) throws SQLException {
        String state = rs.getString("state");
        return new StatusRow(instant(rs, "created_at"), instant(rs, "cancelled_at"),
                state == null ? null : new RequestFileSummary(state, rs.getLong("files"), rs.getLong("bytes"),
                        instant(rs, "last_completed_at")),
                rs.getLong("waiting_for_space"), rs.getLong("copying"));
    }

    List<RequestFile> files(UUID requestId, String after, int limit) {
        return handle.createQuery("SELECT rf.file_id, c.staging_path, rf.state, c.bytes, rf.error, rf.completed_at"
                        + " FROM request_file rf JOIN catalog_entry c ON c.file_id = rf.file_id"
                        + " WHERE rf.request_id = :id AND rf.file_id > :after ORDER BY rf.file_id LIMIT :limit")
                .bind("id", requestId)
                .bind("after", after)
                .bind("limit", limit)
                .map((rs, ctx) -> {
                    long bytes = rs.getLong("bytes");
                    Long size = rs.wasNull() ? null : bytes;
                    Timestamp completed = rs.getTimestamp("completed_at");
                    return new RequestFile(rs.getString("file_id"), rs.getString("staging_path"),
                            RequestFileState.valueOf(rs.getString("state")).dtsName(), size, rs.getString("error"),
                            completed == null ? null : completed.toInstant().toString());
                })
                .list();
    }

    List<StagingStatus.FileError> failedFiles(UUID requestId, int limit) {
        return handle.createQuery("SELECT rf.file_id, c.staging_path, rf.error"
                        + " FROM request_file rf JOIN catalog_entry c ON c.file_id = rf.file_id"
                        + " WHERE rf.request_id = :id AND rf.state = 'FAILED' ORDER BY rf.file_id LIMIT :limit")
                .bind("id", requestId)
                .bind("limit", limit)
                .map((rs, ctx) -> new StagingStatus.FileError(rs.getString(1), rs.getString(2), rs.getString(3)))
                .list();
    }

    /**
     * The archive locations of the request's files that are still waiting, at most {@code limit}
     * (for the estimate of when the request will be ready).
     */
    List<String> waitingLocations(UUID requestId, int limit) {
        return handle.createQuery("""
                        SELECT c.archive_location
                        FROM request_file rf JOIN catalog_entry c ON c.file_id = rf.file_id
                        WHERE rf.request_id = :id AND rf.state = 'WAITING'
                        LIMIT :limit""")
                .bind("id", requestId)
                .bind("limit", limit)
                .mapTo(String.class)
                .list();
    }

    /**
     * A list bound as one {@code varchar} array. Made by hand: Jdbi's {@code bindArray} looks the
     * element type's array support up by reflection on every statement.
     */
    static Argument varchars(Collection<String> values) {
        return (position, statement, context) ->
                statement.setArray(position, statement.getConnection().createArrayOf("varchar", values.toArray()));
    }

    /** A list bound as one {@code integer} array. */
    private static Argument integers(Collection<Integer> values) {
        return (position, statement, context) ->
                statement.setArray(position, statement.getConnection().createArrayOf("integer", values.toArray()));
    }

    private static Instant instant(ResultSet rs, String column) throws SQLException {
        Timestamp timestamp = rs.getTimestamp(column);
        return timestamp == null ? null : timestamp.toInstant();
    }
}
