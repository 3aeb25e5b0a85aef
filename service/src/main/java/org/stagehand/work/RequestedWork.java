package org.stagehand.work;

import static org.stagehand.db.SqlArrays.varchars;

import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.argument.Argument;
import org.jdbi.v3.core.statement.Query;
import org.stagehand.db.StateAttributes;

/**
 * The part of the {@code staged_file} owner that requests use, on the handle of the transaction
 * that stores, cancels or retries a request: work rows queued, locked, stamped, queued again and
 * set aside. The rest of the table's writes are {@link WorkDao}'s. A plain class over Jdbi's fluent
 * API, made per handle like {@link RequestFileDao}: attaching the {@code WorkDao} SqlObject in every
 * request's transaction rebuilt its method handlers by reflection each time. IDs are bound as one
 * array ({@link org.stagehand.db.SqlArrays}).
 */
public final class RequestedWork {

    private static final Map<String, Object> STATES = StateAttributes.of(FileState.class, RequestFileState.class);

    private final Handle handle;

    public RequestedWork(Handle handle) {
        this.handle = handle;
        StateAttributes.defineOn(handle, STATES);
    }

    /**
     * Adds work rows, {@code PENDING}, for files never asked for before, in ID order; existing rows are
     * left to {@link #lockAndTouch}.
     *
     * @param postgres whether the database is PostgreSQL, which has {@code RETURNING}
     * @return on PostgreSQL, the IDs of the rows inserted (they are this transaction's own until it
     *     commits: no other transaction can see, claim or lock them); on H2, empty, unknown
     */
    public Optional<Set<String>> insertMissingWork(List<String> sortedFileIds, Instant now, boolean postgres) {
        String insert = """
                INSERT INTO staged_file (file_id, state, attempts, not_before, updated_at, last_requested_at)
                SELECT u.file_id, <FileState.PENDING>, 0, CAST(:now AS timestamp with time zone),
                    CAST(:now AS timestamp with time zone), CAST(:now AS timestamp with time zone)
                FROM UNNEST(:ids) AS u(file_id) ORDER BY u.file_id
                ON CONFLICT DO NOTHING""";
        if (!postgres) {
            handle.createUpdate(insert)
                    .bind("ids", varchars(sortedFileIds))
                    .bind("now", now)
                    .execute();
            return Optional.empty();
        }
        return Optional.of(handle.createQuery(insert + " RETURNING file_id")
                .bind("ids", varchars(sortedFileIds))
                .bind("now", now)
                .mapTo(String.class)
                .set());
    }

    /**
     * Locks the work rows of these files in ID order, returns their states, and records that they
     * were asked for now (for least-recently-used eviction; rows already stamped {@code now} are not
     * written again). The lock orders a request against a worker settling one of the files, so no
     * request can miss a file's outcome. Files without a work row are not in the answer.
     *
     * @param postgres whether the database is PostgreSQL, which has data-modifying {@code WITH}:
     *     there the lock and the stamp are one round trip, the update touching only rows already locked
     */
    public Map<String, FileState> lockAndTouch(List<String> sortedFileIds, Instant now, boolean postgres) {
        if (sortedFileIds.isEmpty()) {
            return Map.of();
        }
        if (postgres) {
            return states(handle.createQuery("""
                            WITH locked AS (
                                SELECT file_id, state FROM staged_file WHERE file_id = ANY(:ids) ORDER BY file_id FOR UPDATE),
                            touched AS (
                                UPDATE staged_file s SET last_requested_at = :now FROM locked l
                                WHERE s.file_id = l.file_id AND (s.last_requested_at IS NULL OR s.last_requested_at < :now))
                            SELECT file_id, state FROM locked""")
                    .bind("ids", varchars(sortedFileIds))
                    .bind("now", now));
        }
        Map<String, FileState> states = states(handle.createQuery("""
                        SELECT file_id, state FROM staged_file WHERE file_id = ANY(:ids) ORDER BY file_id FOR UPDATE""")
                .bind("ids", varchars(sortedFileIds)));
        handle.createUpdate("""
                        UPDATE staged_file SET last_requested_at = :now
                        WHERE file_id = ANY(:ids) AND (last_requested_at IS NULL OR last_requested_at < :now)""")
                .bind("ids", varchars(sortedFileIds))
                .bind("now", now)
                .execute();
        return states;
    }

    private static Map<String, FileState> states(Query query) {
        return query.reduceResultSet(new HashMap<>(), (states, rs, context) -> {
            states.put(rs.getString("file_id"), FileState.valueOf(rs.getString("state")));
            return states;
        });
    }

    /** Queues again files that failed before, nobody wanted any more, or whose copy has gone. */
    public int requeue(Argument fileIds, Instant now) {
        return handle.createUpdate("""
                        UPDATE staged_file SET state = <FileState.PENDING>, attempts = 0, not_before = :now,
                            last_error = NULL, updated_at = :now
                        WHERE file_id = ANY(:ids) AND state IN (<FileState.READY>, <FileState.FAILED>, <FileState.IDLE>)""")
                .bind("ids", fileIds)
                .bind("now", now)
                .execute();
    }

    /** Locks the queued work rows of these files, in ID order; returns their IDs. */
    public List<String> lockPending(Argument sortedFileIds) {
        return handle.createQuery("""
                        SELECT file_id FROM staged_file WHERE state = <FileState.PENDING> AND file_id = ANY(:ids)
                        ORDER BY file_id FOR UPDATE""")
                .bind("ids", sortedFileIds)
                .mapTo(String.class)
                .list();
    }

    /** Locks the queued work rows of a request's files. */
    public List<String> lockPendingOfRequest(UUID requestId) {
        return handle.createQuery("""
                        SELECT file_id FROM staged_file WHERE state = <FileState.PENDING>
                            AND file_id IN (SELECT file_id FROM request_file WHERE request_id = :id)
                        ORDER BY file_id FOR UPDATE""")
                .bind("id", requestId)
                .mapTo(String.class)
                .list();
    }

    /** Sets aside queued files that no request waits for any more. */
    public int idleUnwanted(Argument fileIds, Instant now) {
        return handle.createUpdate("""
                        UPDATE staged_file SET state = <FileState.IDLE>, updated_at = :now
                        WHERE file_id = ANY(:ids) AND state = <FileState.PENDING>
                            AND NOT EXISTS (SELECT 1 FROM request_file w
                                            WHERE w.file_id = staged_file.file_id AND w.state = <RequestFileState.WAITING>)""")
                .bind("ids", fileIds)
                .bind("now", now)
                .execute();
    }
}
