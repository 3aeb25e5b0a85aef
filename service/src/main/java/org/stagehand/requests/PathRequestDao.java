package org.stagehand.requests;

import static org.stagehand.requests.StagingRequestDao.varchars;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.UUID;
import org.jdbi.v3.core.Handle;
import org.stagehand.catalog.CatalogDao;
import org.stagehand.catalog.CatalogEntry;
import org.stagehand.catalog.CatalogEntryMapper;

/** What requests named by path need beyond {@link StagingRequestDao}, on one handle. */
final class PathRequestDao {

    private final Handle handle;

    PathRequestDao(Handle handle) {
        this.handle = handle;
    }

    /** The catalog entries with these staging paths, each with the state of its work row (or null). */
    List<EntryState> entriesByStagingPath(Collection<String> stagingPaths) {
        return handle.createQuery("SELECT " + prefixed("c") + ", s.state FROM catalog_entry c"
                        + " LEFT JOIN staged_file s ON s.file_id = c.file_id WHERE c.staging_path = ANY(:paths)")
                .bind("paths", varchars(stagingPaths))
                .map((rs, ctx) -> new EntryState(new CatalogEntryMapper().map(rs, ctx), rs.getString("state")))
                .list();
    }

    /** A catalog entry and the state of its work row, null when it was never asked for (or evicted). */
    record EntryState(CatalogEntry entry, String workState) {
    }

    private static String prefixed(String alias) {
        return alias + "." + CatalogDao.COLUMNS.replace(", ", ", " + alias + ".");
    }

    /**
     * Adds catalog entries for files found in the archive by path; an entry that appeared meanwhile
     * (the same path asked for at the same moment) is left as it is.
     */
    void insertDiscovered(List<CatalogEntry> entries, Instant now) {
        for (CatalogEntry entry : entries) {
            handle.createUpdate("INSERT INTO catalog_entry (file_id, staging_path, archive_location, bytes, checksum, imported_at)"
                            + " VALUES (:id, :path, :location, :bytes, :checksum, :now) ON CONFLICT DO NOTHING")
                    .bind("id", entry.fileId())
                    .bind("path", entry.stagingPath().value())
                    .bind("location", entry.archiveLocation())
                    .bind("bytes", entry.bytes().isPresent() ? entry.bytes().getAsLong() : null)
                    .bind("checksum", entry.checksum().map(Object::toString).orElse(null))
                    .bind("now", now)
                    .execute();
        }
    }

    /** Requests of this client that are neither cancelled nor finished. */
    long unfinishedRequestsOf(String client) {
        return handle.createQuery("SELECT count(*) FROM staging_request r WHERE r.client = :client AND r.cancelled_at IS NULL"
                        + " AND EXISTS (SELECT 1 FROM request_file w WHERE w.request_id = r.request_id AND w.state = 'WAITING')")
                .bind("client", client)
                .mapTo(Long.class)
                .one();
    }

    /**
     * A path request's paths in order with their states, one round trip: the request's own view of
     * each file and whether its work is under way. Empty for an unknown request, or one not named by
     * paths.
     */
    List<PathRow> pathRows(UUID requestId) {
        return handle.createQuery("SELECT r.created_at, r.started_at, p.path, p.file_id, p.error AS path_error, rf.state,"
                        + " rf.error, rf.completed_at, s.state AS work_state, s.updated_at AS work_since"
                        + " FROM staging_request r JOIN request_path p ON p.request_id = r.request_id"
                        + " LEFT JOIN request_file rf ON rf.request_id = p.request_id AND rf.file_id = p.file_id"
                        + " LEFT JOIN staged_file s ON s.file_id = p.file_id"
                        + " WHERE r.request_id = :id ORDER BY p.position")
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
    record PathRow(Instant createdAt, String path, String fileId, String pathError, String state, String error,
                   Instant completedAt, String workState, Instant startedAt, Instant workSince) {
    }

    private static PathRow pathRow(ResultSet rs, org.jdbi.v3.core.statement.StatementContext ctx) throws SQLException {
        return new PathRow(instant(rs, "created_at"), rs.getString("path"), rs.getString("file_id"),
                rs.getString("path_error"), rs.getString("state"), rs.getString("error"), instant(rs, "completed_at"),
                rs.getString("work_state"), instant(rs, "started_at"), instant(rs, "work_since"));
    }

    /** Stops a request's waiting rows of these files, with the reason; returns how many. */
    int cancelFiles(UUID requestId, Collection<String> fileIds, String reason, Instant now) {
        return handle.createUpdate("UPDATE request_file SET state = 'CANCELLED', error = :reason, completed_at = :now"
                        + " WHERE request_id = :id AND file_id = ANY(:ids) AND state = 'WAITING'")
                .bind("id", requestId)
                .bind("ids", varchars(fileIds))
                .bind("reason", reason)
                .bind("now", now)
                .execute();
    }

    /** Locks the queued work rows of these files, in ID order; returns their IDs. */
    List<String> lockPendingWork(Collection<String> sortedFileIds) {
        return handle.createQuery("SELECT file_id FROM staged_file WHERE state = 'PENDING' AND file_id = ANY(:ids)"
                        + " ORDER BY file_id FOR UPDATE")
                .bind("ids", varchars(sortedFileIds))
                .mapTo(String.class)
                .list();
    }

    /** Releases a request's rows of these files: they pin their copies no longer. */
    int releaseFiles(UUID requestId, Collection<String> fileIds, Instant now) {
        return handle.createUpdate("UPDATE request_file SET released_at = :now"
                        + " WHERE request_id = :id AND file_id = ANY(:ids) AND released_at IS NULL")
                .bind("id", requestId)
                .bind("ids", varchars(fileIds))
                .bind("now", now)
                .execute();
    }

    /** Releases, in every request of this client, the files it named by these paths. */
    int releaseForClient(String client, Collection<String> names, Instant now) {
        return handle.createUpdate("UPDATE request_file SET released_at = :now WHERE released_at IS NULL AND EXISTS ("
                        + "SELECT 1 FROM request_path p JOIN staging_request r ON r.request_id = p.request_id"
                        + " WHERE p.request_id = request_file.request_id AND p.file_id = request_file.file_id"
                        + " AND r.client = :client AND p.path = ANY(:names))")
                .bind("client", client)
                .bind("names", varchars(names))
                .bind("now", now)
                .execute();
    }

    /** Forgets a request and everything about it. */
    void deleteRequest(UUID requestId) {
        handle.createUpdate("DELETE FROM request_path WHERE request_id = :id").bind("id", requestId).execute();
        handle.createUpdate("DELETE FROM request_file WHERE request_id = :id").bind("id", requestId).execute();
        handle.createUpdate("DELETE FROM staging_request WHERE request_id = :id").bind("id", requestId).execute();
    }

    private static Instant instant(ResultSet rs, String column) throws SQLException {
        Timestamp timestamp = rs.getTimestamp(column);
        return timestamp == null ? null : timestamp.toInstant();
    }
}
