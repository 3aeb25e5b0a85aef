package org.stagehand.work;

import static org.stagehand.db.SqlArrays.integers;
import static org.stagehand.db.SqlArrays.varchars;

import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.statement.PreparedBatch;
import org.stagehand.db.StateAttributes;

/**
 * The one writer of {@code request_file}, each request's row for each of its files, on the
 * caller's handle: rows are written when a request is stored, settled by their file's work
 * ({@link WorkDao#settle}), cancelled, reset for a retry, released, and deleted with their request.
 * A plain class over Jdbi's fluent API, as the request statements are: attaching a SqlObject on
 * every handle would cost more than most of these statements.
 */
public final class RequestFileDao {

    private static final Map<String, Object> STATES = StateAttributes.of(RequestFileState.class);

    private final Handle handle;

    public RequestFileDao(Handle handle) {
        this.handle = handle;
        StateAttributes.defineOn(handle, STATES);
    }

    /**
     * Inserts requests' rows for files, in one statement: row {@code i} is file {@code fileIds[i]}
     * of request {@code requestIds[i]}, in state {@code states[i]}; a {@code READY} row is
     * completed {@code now}. For a request named by paths, {@code positions[i]}, {@code paths[i]}
     * and {@code metadata[i]} are the first path that names the file, as sent; else null.
     */
    public void insert(List<String> requestIds, List<String> fileIds, List<RequestFileState> states,
                       List<Integer> positions, List<String> paths, List<String> metadata, Instant now) {
        handle.createUpdate("""
                        INSERT INTO request_file (request_id, file_id, state, completed_at, position, path, metadata)
                        SELECT CAST(u.request_id AS uuid), u.file_id, u.state,
                            CASE WHEN u.state = <RequestFileState.READY> THEN CAST(:now AS timestamp with time zone) END,
                            u.position, u.path, u.metadata
                        FROM UNNEST(:requestIds, :ids, :states, :positions, :paths, :metadata)
                            AS u(request_id, file_id, state, position, path, metadata)""")
                .bind("requestIds", varchars(requestIds))
                .bind("now", now)
                .bind("ids", varchars(fileIds))
                .bind("states", varchars(states.stream().map(Enum::name).toList()))
                .bind("positions", integers(positions))
                .bind("paths", varchars(paths))
                .bind("metadata", varchars(metadata))
                .execute();
    }

    /**
     * Sets every row waiting for these files to the state their work ended in; the caller holds
     * the files' work row locks.
     */
    public int settleWaiting(Collection<String> fileIds, RequestFileState state, String error, Instant now) {
        return handle.createUpdate("""
                        UPDATE request_file SET state = :state, error = :error, completed_at = :now
                        WHERE file_id = ANY(:ids) AND state = <RequestFileState.WAITING>""")
                .bind("ids", varchars(List.copyOf(fileIds)))
                .bind("state", state)
                .bind("error", error)
                .bind("now", now)
                .execute();
    }

    /** Cancels a request's waiting rows; returns how many. */
    public int cancelWaiting(UUID requestId, Instant now) {
        return handle.createUpdate("""
                        UPDATE request_file SET state = <RequestFileState.CANCELLED>, completed_at = :now
                        WHERE request_id = :id AND state = <RequestFileState.WAITING>""")
                .bind("id", requestId)
                .bind("now", now)
                .execute();
    }

    /** Cancels a request's waiting rows of these files, with the reason; returns how many. */
    public int cancelWaiting(UUID requestId, Collection<String> fileIds, String reason, Instant now) {
        return handle.createUpdate("""
                        UPDATE request_file SET state = <RequestFileState.CANCELLED>, error = :reason, completed_at = :now
                        WHERE request_id = :id AND file_id = ANY(:ids) AND state = <RequestFileState.WAITING>""")
                .bind("id", requestId)
                .bind("ids", varchars(fileIds))
                .bind("reason", reason)
                .bind("now", now)
                .execute();
    }

    /** The files of a request whose rows are in one of these states, in ID order. */
    public List<String> fileIdsInStates(UUID requestId, Collection<RequestFileState> states) {
        return handle.createQuery("""
                        SELECT file_id FROM request_file WHERE request_id = :id AND state = ANY(:states)
                        ORDER BY file_id""")
                .bind("id", requestId)
                .bind("states", varchars(states.stream().map(Enum::name).toList()))
                .mapTo(String.class)
                .list();
    }

    /**
     * Sets a request's rows for these files to a fresh state, without error: per file,
     * {@code READY} (completed {@code now}) or {@code WAITING}.
     */
    public void reset(UUID requestId, List<String> fileIds, List<RequestFileState> states, Instant now) {
        PreparedBatch batch = handle.prepareBatch("""
                UPDATE request_file SET state = :state, error = NULL, completed_at = :completedAt
                WHERE request_id = :requestId AND file_id = :fileId""");
        for (int i = 0; i < fileIds.size(); i++) {
            batch.bind("requestId", requestId)
                    .bind("fileId", fileIds.get(i))
                    .bind("state", states.get(i))
                    .bind("completedAt", states.get(i) == RequestFileState.READY ? now : null)
                    .add();
        }
        batch.execute();
    }

    /** Releases a request's rows of these files: they pin their copies no longer. */
    public int release(UUID requestId, Collection<String> fileIds, Instant now) {
        return handle.createUpdate("""
                        UPDATE request_file SET released_at = :now
                        WHERE request_id = :id AND file_id = ANY(:ids) AND released_at IS NULL""")
                .bind("id", requestId)
                .bind("ids", varchars(fileIds))
                .bind("now", now)
                .execute();
    }

    /**
     * Releases, in every request of this client, the files it named by these paths: a file's row
     * holds the first path that named it, {@code request_path} any later spelling.
     */
    public int releaseForClient(String client, Collection<String> names, Instant now) {
        return handle.createUpdate("""
                        UPDATE request_file SET released_at = :now
                        WHERE released_at IS NULL AND (request_id, file_id) IN (
                            SELECT f.request_id, f.file_id FROM request_file f
                            JOIN staging_request r ON r.request_id = f.request_id
                            WHERE f.path = ANY(:names) AND r.client = :client
                            UNION
                            SELECT p.request_id, p.file_id FROM request_path p
                            JOIN staging_request r ON r.request_id = p.request_id
                            WHERE p.path = ANY(:names) AND p.file_id IS NOT NULL AND r.client = :client)""")
                .bind("client", client)
                .bind("names", varchars(names))
                .bind("now", now)
                .execute();
    }

    /** Deletes a request's rows, before the request itself. */
    public int deleteOf(UUID requestId) {
        return handle.createUpdate("""
                        DELETE FROM request_file WHERE request_id = :id""")
                .bind("id", requestId)
                .execute();
    }
}
