package org.stagehand.requests;

import static org.stagehand.db.SqlArrays.bigints;
import static org.stagehand.db.SqlArrays.integers;
import static org.stagehand.db.SqlArrays.varchars;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.Collectors;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.mapper.RowMapper;
import org.jdbi.v3.core.statement.StatementContext;
import org.stagehand.catalog.CatalogEntry;
import org.stagehand.catalog.CatalogEntryMapper;
import org.stagehand.db.StateAttributes;
import org.stagehand.work.FileState;
import org.stagehand.work.RequestFileDao;
import org.stagehand.work.RequestFileState;

/**
 * The one writer of {@code staging_request}, {@code request_path} and {@code jdp_request}, and the
 * reader of a request's status (which joins its files' rows), on one handle. Its files' rows are
 * {@link RequestFileDao}'s, their work rows {@code WorkDao}'s. A plain class over Jdbi's fluent API
 * rather than a SqlObject: attaching a SqlObject builds its method handlers and mappers again on
 * every handle, which cost more than the status query itself. Lists of IDs are bound as one array
 * ({@link org.stagehand.db.SqlArrays}).
 */
public final class StagingRequestDao {

    private static final RowMapper<StagingRequestRecord> REQUEST = (rs, ctx) -> new StagingRequestRecord(
            rs.getObject("request_id", UUID.class), instant(rs, "created_at"), rs.getInt("file_count"),
            instant(rs, "cancelled_at"), instant(rs, "released_at"), rs.getString("requester_orcid"));
    private static final RowMapper<CatalogEntry> CATALOG_ENTRY = new CatalogEntryMapper();
    private static final Map<String, Object> STATES = StateAttributes.of(FileState.class, RequestFileState.class);

    private final Handle handle;

    public StagingRequestDao(Handle handle) {
        this.handle = handle;
        StateAttributes.defineOn(handle, STATES);
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
        return handle.createQuery("""
                        SELECT file_id, staging_path, archive_location, bytes, checksum FROM catalog_entry
                        WHERE file_id = ANY(:ids)""")
                .bind("ids", varchars(fileIds))
                .map(CATALOG_ENTRY)
                .list();
    }

    /**
     * Inserts requests with their paths (for those named by path) and JDP IDs, one statement per
     * table: a path request's client and pin go into its row as it is inserted, so the request is
     * notified once, as new, and never as changed by its own transaction.
     */
    void insertRequests(List<RequestWriter.NewRequest> requests, Instant now) {
        handle.createUpdate("""
                        INSERT INTO staging_request (request_id, created_at, file_count, requester_orcid, client, pin_seconds)
                        SELECT CAST(u.request_id AS uuid), :now, u.file_count, u.orcid, u.client, u.pin_seconds
                        FROM UNNEST(:ids, :counts, :orcids, :clients, :pins)
                            AS u(request_id, file_count, orcid, client, pin_seconds)""")
                .bind("ids", varchars(requests.stream().map(request -> request.requestId().toString()).toList()))
                .bind("counts", integers(requests.stream().map(RequestWriter.NewRequest::size).toList()))
                .bind("orcids", varchars(requests.stream().map(request -> request.origin() == null ? null
                        : request.origin().requesterOrcid()).toList()))
                .bind("clients", varchars(requests.stream().map(RequestWriter.NewRequest::client).toList()))
                .bind("pins", bigints(requests.stream().map(RequestWriter.NewRequest::pinSeconds).toList()))
                .bind("now", now)
                .execute();
        insertPaths(requests.stream().filter(request -> request.byPath() != null).toList());
        for (RequestWriter.NewRequest request : requests) {
            if (request.origin() != null && request.origin().jdpRequestId() != null) {
                // A clash of the random ID is a unique-key violation: the request is then drawn again.
                handle.createUpdate("""
                                INSERT INTO jdp_request (jdp_request_id, request_id) VALUES (:jdpId, :id)""")
                        .bind("jdpId", request.origin().jdpRequestId())
                        .bind("id", request.requestId())
                        .execute();
            }
        }
    }

    /**
     * The paths of requests named by path that their files' rows do not hold (paths naming no file,
     * later spellings of a file), in one statement, in the transaction that inserts the requests.
     */
    void insertPaths(List<RequestWriter.NewRequest> byPath) {
        List<String> requestIds = new ArrayList<>();
        List<Integer> positions = new ArrayList<>();
        List<String> names = new ArrayList<>();
        List<String> fileIds = new ArrayList<>();
        List<String> errors = new ArrayList<>();
        List<String> metadata = new ArrayList<>();
        for (RequestWriter.NewRequest request : byPath) {
            PathRows paths = request.byPath();
            String requestId = request.requestId().toString();
            for (int i : paths.leftOver()) {
                requestIds.add(requestId);
                positions.add(i);
                names.add(paths.names().get(i));
                fileIds.add(paths.fileIds().get(i));
                errors.add(paths.errors().get(i));
                metadata.add(paths.metadata().get(i));
            }
        }
        if (requestIds.isEmpty()) {
            return;
        }
        handle.createUpdate("""
                        INSERT INTO request_path (request_id, position, path, file_id, error, metadata)
                        SELECT CAST(u.request_id AS uuid), u.position, u.path, u.file_id, u.error, u.metadata
                        FROM UNNEST(:requestIds, :positions, :paths, :fileIds, :errors, :metadata)
                            AS u(request_id, position, path, file_id, error, metadata)""")
                .bind("requestIds", varchars(requestIds))
                .bind("positions", integers(positions))
                .bind("paths", varchars(names))
                .bind("fileIds", varchars(fileIds))
                .bind("errors", varchars(errors))
                .bind("metadata", varchars(metadata))
                .execute();
    }

    /**
     * Sets the file counts of expanded requests: each list counted its paths, its expansion the
     * distinct files they name. Also what tells every instance that the answer changed.
     */
    void setFileCounts(List<RequestWriter.NewRequest> expanded) {
        handle.createUpdate("""
                        UPDATE staging_request SET file_count = (
                            SELECT u.file_count FROM UNNEST(:ids, :counts) AS u(request_id, file_count)
                            WHERE CAST(u.request_id AS uuid) = staging_request.request_id)
                        WHERE request_id IN (SELECT CAST(u.id AS uuid) FROM UNNEST(:ids) AS u(id))""")
                .bind("ids", varchars(expanded.stream().map(request -> request.requestId().toString()).toList()))
                .bind("counts", integers(expanded.stream().map(request -> request.ids().size()).toList()))
                .execute();
    }

    /** The request that a JDP integer ID names. */
    Optional<UUID> requestOfJdpId(long jdpRequestId) {
        return handle.createQuery("""
                        SELECT request_id FROM jdp_request WHERE jdp_request_id = :jdpId""")
                .bind("jdpId", jdpRequestId)
                .mapTo(UUID.class)
                .findOne();
    }

    /** The JDP integer IDs of those of these requests that have one. */
    Map<Long, UUID> jdpIdsOf(Collection<UUID> requestIds) {
        return handle.createQuery("""
                        SELECT j.jdp_request_id, j.request_id FROM UNNEST(:ids) AS u(request_id)
                        JOIN jdp_request j ON j.request_id = CAST(u.request_id AS uuid)""")
                .bind("ids", varchars(requestIds.stream().map(UUID::toString).toList()))
                .map((rs, ctx) -> Map.entry(rs.getLong(1), rs.getObject(2, UUID.class)))
                .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue));
    }

    Optional<StagingRequestRecord> findRequest(UUID requestId) {
        return handle.createQuery("""
                        SELECT request_id, created_at, file_count, cancelled_at, released_at, requester_orcid
                        FROM staging_request WHERE request_id = :id""")
                .bind("id", requestId)
                .map(REQUEST)
                .findOne();
    }

    /** Reads and locks a request, so cancel and retry of one request run one after the other. */
    Optional<StagingRequestRecord> lockRequest(UUID requestId) {
        return handle.createQuery("""
                        SELECT request_id, created_at, file_count, cancelled_at, released_at, requester_orcid
                        FROM staging_request WHERE request_id = :id FOR UPDATE""")
                .bind("id", requestId)
                .map(REQUEST)
                .findOne();
    }

    int release(UUID requestId, Instant now) {
        return handle.createUpdate("""
                        UPDATE staging_request SET released_at = :now WHERE request_id = :id AND released_at IS NULL""")
                .bind("id", requestId)
                .bind("now", now)
                .execute();
    }

    void setCancelledAt(UUID requestId, Instant cancelledAt) {
        handle.createUpdate("""
                        UPDATE staging_request SET cancelled_at = :cancelledAt WHERE request_id = :id""")
                .bind("id", requestId)
                .bind("cancelledAt", cancelledAt)
                .execute();
    }

    /**
     * Forgets a request and everything about it: its files' rows, its paths, its JDP ID.
     *
     * @return 1, or 0 when there was no such request
     */
    public int deleteRequest(UUID requestId) {
        new RequestFileDao(handle).deleteOf(requestId);
        handle.createUpdate("""
                        DELETE FROM request_path WHERE request_id = :id""")
                .bind("id", requestId)
                .execute();
        // Its jdp_request row goes with it (ON DELETE CASCADE).
        return handle.createUpdate("""
                        DELETE FROM staging_request WHERE request_id = :id""")
                .bind("id", requestId)
                .execute();
    }

    /**
     * A request's row and its files summed up by state, with how many of its waiting files wait for
     * space, in one round trip (status is what clients poll). One row per state; a single row with
     * no summary for a request without files; none for an unknown request.
     */
    List<StatusRow> statusRows(UUID requestId) {
        return handle.createQuery("""
                        SELECT r.created_at, r.cancelled_at, r.file_count,
                            (SELECT count(*) FROM request_path_list l WHERE l.request_id = r.request_id) AS listed,
                            rf.state, count(rf.file_id) AS files,
                            coalesce(sum(c.bytes), 0) AS bytes, max(rf.completed_at) AS last_completed_at,
                            coalesce(sum(CASE WHEN rf.state = <RequestFileState.WAITING> AND s.waiting_for_space
                                         THEN 1 ELSE 0 END), 0) AS waiting_for_space,
                            coalesce(sum(CASE WHEN rf.state = <RequestFileState.WAITING> AND s.state = <FileState.ACTIVE>
                                         THEN 1 ELSE 0 END), 0) AS copying
                        FROM staging_request r
                        LEFT JOIN request_file rf ON rf.request_id = r.request_id
                        LEFT JOIN catalog_entry c ON c.file_id = rf.file_id
                        LEFT JOIN staged_file s ON s.file_id = rf.file_id
                        WHERE r.request_id = :id GROUP BY r.request_id, r.created_at, r.cancelled_at, r.file_count, rf.state""")
                .bind("id", requestId)
                .map(StagingRequestDao::statusRow)
                .list();
    }

    /**
     * One row of {@link #statusRows}.
     *
     * @param summary the files in one state, or null for a request without files
     * @param listed whether the request's paths are still to be expanded into its files (then it has none yet)
     * @param fileCount the request's files, or for a listed request its paths
     */
    record StatusRow(Instant createdAt, Instant cancelledAt, RequestFileSummary summary, long waitingForSpace,
                     long copying, boolean listed, int fileCount) {
    }

    private static StatusRow statusRow(ResultSet rs, StatementContext ctx) throws SQLException {
        String state = rs.getString("state");
        return new StatusRow(instant(rs, "created_at"), instant(rs, "cancelled_at"),
                state == null ? null : new RequestFileSummary(RequestFileState.valueOf(state), rs.getLong("files"),
                        rs.getLong("bytes"), instant(rs, "last_completed_at")),
                rs.getLong("waiting_for_space"), rs.getLong("copying"), rs.getLong("listed") > 0, rs.getInt("file_count"));
    }

    List<RequestFile> files(UUID requestId, String after, int limit) {
        return handle.createQuery("""
                        SELECT rf.file_id, c.staging_path, rf.state, c.bytes, rf.error, rf.completed_at
                        FROM request_file rf JOIN catalog_entry c ON c.file_id = rf.file_id
                        WHERE rf.request_id = :id AND rf.file_id > :after ORDER BY rf.file_id LIMIT :limit""")
                .bind("id", requestId)
                .bind("after", after)
                .bind("limit", limit)
                .map((rs, ctx) -> {
                    long bytes = rs.getLong("bytes");
                    Long size = rs.wasNull() ? null : bytes;
                    Timestamp completed = rs.getTimestamp("completed_at");
                    return new RequestFile(rs.getString("file_id"), rs.getString("staging_path"),
                            RequestFileState.valueOf(rs.getString("state")), size, rs.getString("error"),
                            completed == null ? null : completed.toInstant().toString());
                })
                .list();
    }

    List<StagingStatus.FileError> failedFiles(UUID requestId, int limit) {
        return handle.createQuery("""
                        SELECT rf.file_id, c.staging_path, rf.error
                        FROM request_file rf JOIN catalog_entry c ON c.file_id = rf.file_id
                        WHERE rf.request_id = :id AND rf.state = <RequestFileState.FAILED>
                        ORDER BY rf.file_id LIMIT :limit""")
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
                        WHERE rf.request_id = :id AND rf.state = <RequestFileState.WAITING>
                        LIMIT :limit""")
                .bind("id", requestId)
                .bind("limit", limit)
                .mapTo(String.class)
                .list();
    }

    private static Instant instant(ResultSet rs, String column) throws SQLException {
        Timestamp timestamp = rs.getTimestamp(column);
        return timestamp == null ? null : timestamp.toInstant();
    }
}
