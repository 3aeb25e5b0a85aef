package org.stagehand.work;

import static org.stagehand.db.SqlArrays.varchars;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.jdbi.v3.core.argument.Argument;
import org.jdbi.v3.sqlobject.config.KeyColumn;
import org.jdbi.v3.sqlobject.config.ValueColumn;
import org.jdbi.v3.sqlobject.customizer.Bind;
import org.jdbi.v3.sqlobject.statement.SqlQuery;
import org.jdbi.v3.sqlobject.statement.SqlUpdate;
import org.stagehand.db.DefineStates;

/**
 * The part of {@link WorkDao} that requests use, on the handle of the transaction that stores,
 * cancels or retries a request: work rows queued, locked, stamped, queued again and set aside.
 * Declared apart by job only; the DAO is {@code WorkDao}, attached as a whole. IDs are bound as
 * one array ({@link org.stagehand.db.SqlArrays}).
 */
@DefineStates({FileState.class, RequestFileState.class})
public interface RequestedWork {

    /** Work rows, {@code PENDING}, for files never asked for before; rows already there are left alone. */
    @SqlUpdate("""
            INSERT INTO staged_file (file_id, state, attempts, not_before, updated_at, last_requested_at)
            SELECT u.file_id, <FileState.PENDING>, 0, CAST(:now AS timestamp with time zone),
                CAST(:now AS timestamp with time zone), CAST(:now AS timestamp with time zone)
            FROM UNNEST(:ids) AS u(file_id) ORDER BY u.file_id
            ON CONFLICT DO NOTHING""")
    void insertMissing(@Bind("ids") Argument sortedFileIds, @Bind("now") Instant now);

    /** {@link #insertMissing} on PostgreSQL, which reports the rows it inserted. */
    @SqlQuery("""
            INSERT INTO staged_file (file_id, state, attempts, not_before, updated_at, last_requested_at)
            SELECT u.file_id, <FileState.PENDING>, 0, CAST(:now AS timestamp with time zone),
                CAST(:now AS timestamp with time zone), CAST(:now AS timestamp with time zone)
            FROM UNNEST(:ids) AS u(file_id) ORDER BY u.file_id
            ON CONFLICT DO NOTHING RETURNING file_id""")
    Set<String> insertMissingReturning(@Bind("ids") Argument sortedFileIds, @Bind("now") Instant now);

    /**
     * Adds work rows, {@code PENDING}, for files never asked for before, in ID order; existing rows are
     * left to {@link #lockAndTouch}.
     *
     * @param postgres whether the database is PostgreSQL, which has {@code RETURNING}
     * @return on PostgreSQL, the IDs of the rows inserted (they are this transaction's own until it
     *     commits: no other transaction can see, claim or lock them); on H2, empty, unknown
     */
    default Optional<Set<String>> insertMissingWork(List<String> sortedFileIds, Instant now, boolean postgres) {
        if (!postgres) {
            insertMissing(varchars(sortedFileIds), now);
            return Optional.empty();
        }
        return Optional.of(insertMissingReturning(varchars(sortedFileIds), now));
    }

    @SqlQuery("""
            SELECT file_id, state FROM staged_file WHERE file_id = ANY(:ids) ORDER BY file_id FOR UPDATE""")
    @KeyColumn("file_id")
    @ValueColumn("state")
    Map<String, FileState> lockStates(@Bind("ids") Argument sortedFileIds);

    @SqlUpdate("""
            UPDATE staged_file SET last_requested_at = :now
            WHERE file_id = ANY(:ids) AND (last_requested_at IS NULL OR last_requested_at < :now)""")
    int touch(@Bind("ids") Argument fileIds, @Bind("now") Instant now);

    /** {@link #lockStates} and {@link #touch} in one round trip: the update only touches rows already locked, in order. */
    @SqlQuery("""
            WITH locked AS (
                SELECT file_id, state FROM staged_file WHERE file_id = ANY(:ids) ORDER BY file_id FOR UPDATE),
            touched AS (
                UPDATE staged_file s SET last_requested_at = :now FROM locked l
                WHERE s.file_id = l.file_id AND (s.last_requested_at IS NULL OR s.last_requested_at < :now))
            SELECT file_id, state FROM locked""")
    @KeyColumn("file_id")
    @ValueColumn("state")
    Map<String, FileState> lockStatesAndTouch(@Bind("ids") Argument sortedFileIds, @Bind("now") Instant now);

    /**
     * Locks the work rows of these files in ID order, returns their states, and records that they
     * were asked for now (for least-recently-used eviction; rows already stamped {@code now} are not
     * written again). The lock orders a request against a worker settling one of the files, so no
     * request can miss a file's outcome. Files without a work row are not in the answer.
     *
     * @param postgres whether the database is PostgreSQL, which has data-modifying {@code WITH}
     */
    default Map<String, FileState> lockAndTouch(List<String> sortedFileIds, Instant now, boolean postgres) {
        if (sortedFileIds.isEmpty()) {
            return Map.of();
        }
        if (postgres) {
            return lockStatesAndTouch(varchars(sortedFileIds), now);
        }
        Map<String, FileState> states = lockStates(varchars(sortedFileIds));
        touch(varchars(sortedFileIds), now);
        return states;
    }

    /** Queues again files that failed before, nobody wanted any more, or whose copy has gone. */
    @SqlUpdate("""
            UPDATE staged_file SET state = <FileState.PENDING>, attempts = 0, not_before = :now,
                last_error = NULL, updated_at = :now
            WHERE file_id = ANY(:ids) AND state IN (<FileState.READY>, <FileState.FAILED>, <FileState.IDLE>)""")
    int requeue(@Bind("ids") Argument fileIds, @Bind("now") Instant now);

    /** Locks the queued work rows of these files, in ID order; returns their IDs. */
    @SqlQuery("""
            SELECT file_id FROM staged_file WHERE state = <FileState.PENDING> AND file_id = ANY(:ids)
            ORDER BY file_id FOR UPDATE""")
    List<String> lockPending(@Bind("ids") Argument sortedFileIds);

    /** Locks the queued work rows of a request's files. */
    @SqlQuery("""
            SELECT file_id FROM staged_file WHERE state = <FileState.PENDING>
                AND file_id IN (SELECT file_id FROM request_file WHERE request_id = :id)
            ORDER BY file_id FOR UPDATE""")
    List<String> lockPendingOfRequest(@Bind("id") UUID requestId);

    /** Sets aside queued files that no request waits for any more. */
    @SqlUpdate("""
            UPDATE staged_file SET state = <FileState.IDLE>, updated_at = :now
            WHERE file_id = ANY(:ids) AND state = <FileState.PENDING>
                AND NOT EXISTS (SELECT 1 FROM request_file w
                                WHERE w.file_id = staged_file.file_id AND w.state = <RequestFileState.WAITING>)""")
    int idleUnwanted(@Bind("ids") Argument fileIds, @Bind("now") Instant now);
}
