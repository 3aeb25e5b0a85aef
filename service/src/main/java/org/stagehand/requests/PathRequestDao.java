package org.stagehand.requests;

import static org.stagehand.db.SqlArrays.varchars;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.statement.StatementContext;
import org.stagehand.catalog.CatalogEntry;
import org.stagehand.catalog.CatalogEntryMapper;
import org.stagehand.db.StateAttributes;
import org.stagehand.work.FileState;
import org.stagehand.work.RequestFileState;

/**
 * The reads that requests named by path need beyond {@link StagingRequestDao}, on one handle: they
 * join the catalog, the requests and their files' work rows, and write nothing.
 */
final class PathRequestDao {

    private static final Map<String, Object> STATES = StateAttributes.of(RequestFileState.class);

    private final Handle handle;

    PathRequestDao(Handle handle) {
        this.handle = handle;
        StateAttributes.defineOn(handle, STATES);
    }

    /** The catalog entries with these staging paths, each with the state of its work row (or null). */
    List<EntryState> entriesByStagingPath(Collection<String> stagingPaths) {
        return handle.createQuery("""
                        SELECT c.file_id, c.staging_path, c.archive_location, c.bytes, c.checksum, s.state
                        FROM catalog_entry c LEFT JOIN staged_file s ON s.file_id = c.file_id
                        WHERE c.staging_path = ANY(:paths)""")
                .bind("paths", varchars(stagingPaths))
                .map((rs, ctx) -> new EntryState(new CatalogEntryMapper().map(rs, ctx), fileState(rs, "state")))
                .list();
    }

    /** A catalog entry and the state of its work row, null when it was never asked for (or evicted). */
    record EntryState(CatalogEntry entry, FileState workState) {
    }

    /**
     * Requests of this client that are neither cancelled nor finished (some file waits, or its
     * paths are not expanded yet), counted up to {@code most}.
     * Each request is probed for one waiting file (a scalar subquery, which PostgreSQL runs per
     * request on the (request, state) index): as an {@code EXISTS} the planner may join it against
     * every waiting file of every request instead, which grew with the whole queue.
     */
    /** {@link #unfinishedRequestsOf}'s statement. */
    static final String UNFINISHED_REQUESTS = """
            SELECT count(*) FROM (
                SELECT 1 FROM staging_request r WHERE r.client = :client AND r.cancelled_at IS NULL
                    AND ((SELECT 1 FROM request_file w WHERE w.request_id = r.request_id
                              AND w.state = <RequestFileState.WAITING> FETCH FIRST 1 ROW ONLY) IS NOT NULL
                         OR (SELECT 1 FROM request_path_list l WHERE l.request_id = r.request_id) IS NOT NULL)
                FETCH FIRST :most ROWS ONLY) AS unfinished""";

    long unfinishedRequestsOf(String client, int most) {
        return handle.createQuery(UNFINISHED_REQUESTS)
                .bind("client", client)
                .bind("most", most)
                .mapTo(Long.class)
                .one();
    }

    /**
     * A path request's paths in order with their states, one round trip: the request's own view of
     * each file (whose row holds the first path naming it; {@code request_path} the other paths) and
     * whether its work is under way. Empty for an unknown request, or one not named by
     * paths.
     *
     * <p>Its answers are kept in the live {@link StatusCache}, so every column read here must be covered
     * by a {@code stagehand_status} notification (migrations.sql) naming the request: {@code staging_request}
     * and {@code request_file} by their update and delete triggers (a request's rows are inserted in its
     * own transaction, before any answer of it is kept; {@code request_path} rows only with it, and deleted
     * with it); {@code staged_file.state} going ACTIVE or not by {@code staged_file_copying}, which names
     * the requests waiting for the file, the only rows whose answer reads it (a work row is inserted
     * PENDING and deleted only READY, which such an answer does not tell from no row); {@code work_since} only
     * while ACTIVE and until {@code started_at} is recorded, by the read itself, whose update notifies.
     * The catalog is not read: a path is answered as it was sent. (A request not expanded yet is
     * answered from its {@code request_path_list} row, inserted with the request and deleted by its
     * expansion in the transaction that updates the request, which notifies.)
     */
    List<PathRow> pathRows(UUID requestId) {
        return handle.createQuery("""
                        SELECT r.created_at, r.started_at, x.path, x.file_id, x.path_error, x.state, x.error,
                            x.completed_at, s.state AS work_state, s.updated_at AS work_since
                        FROM (SELECT f.request_id, f.position, f.path, f.file_id, CAST(NULL AS varchar(4000)) AS path_error,
                                  f.state, f.error, f.completed_at
                              FROM request_file f WHERE f.request_id = :id AND f.position IS NOT NULL
                              UNION ALL
                              SELECT p.request_id, p.position, p.path, p.file_id, p.error, rf.state, rf.error, rf.completed_at
                              FROM request_path p
                              LEFT JOIN request_file rf ON rf.request_id = p.request_id AND rf.file_id = p.file_id
                              WHERE p.request_id = :id) x
                        JOIN staging_request r ON r.request_id = x.request_id
                        LEFT JOIN staged_file s ON s.file_id = x.file_id
                        ORDER BY x.position""")
                .bind("id", requestId)
                .map(PathRequestDao::pathRow)
                .list();
    }

    /**
     * One path of a request.
     *
     * @param fileId the file it names, or null (then {@code pathError} says why)
     * @param state the request's state for the file ({@code request_file.state}), null without file
     * @param workState the file's work state, null when it has no work row
     * @param startedAt when the request's first file was recorded started, null before
     * @param workSince when the file's work last changed state (for ACTIVE work: when it was claimed)
     */
    record PathRow(Instant createdAt, String path, String fileId, String pathError, RequestFileState state,
                   String error, Instant completedAt, FileState workState, Instant startedAt, Instant workSince) {
    }

    private static PathRow pathRow(ResultSet rs, StatementContext ctx) throws SQLException {
        String state = rs.getString("state");
        return new PathRow(instant(rs, "created_at"), rs.getString("path"), rs.getString("file_id"),
                rs.getString("path_error"), state == null ? null : RequestFileState.valueOf(state), rs.getString("error"),
                instant(rs, "completed_at"), fileState(rs, "work_state"), instant(rs, "started_at"),
                instant(rs, "work_since"));
    }

    private static FileState fileState(ResultSet rs, String column) throws SQLException {
        String state = rs.getString(column);
        return state == null ? null : FileState.valueOf(state);
    }

    private static Instant instant(ResultSet rs, String column) throws SQLException {
        Timestamp timestamp = rs.getTimestamp(column);
        return timestamp == null ? null : timestamp.toInstant();
    }
}
