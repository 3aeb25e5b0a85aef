package org.stagehand.lifecycle;

import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.jdbi.v3.sqlobject.config.RegisterConstructorMapper;
import org.jdbi.v3.sqlobject.customizer.Bind;
import org.jdbi.v3.sqlobject.statement.SqlQuery;
import org.stagehand.db.DefineStates;
import org.stagehand.work.FileState;
import org.stagehand.work.RequestFileState;

/**
 * Pins, eviction and retention: reads only, of {@code staged_file}, {@code request_file} and
 * {@code staging_request}; evicted copies are forgotten by {@code WorkDao}, purged requests by
 * {@code StagingRequestDao}, their tables' writers. A ready copy is pinned by a request that is
 * neither released nor cancelled and either still waits for some file or completed less than the
 * pin lifetime ago.
 */
@DefineStates({FileState.class, RequestFileState.class})
@RegisterConstructorMapper(EvictionCandidate.class)
public interface LifecycleDao {

    /**
     * The condition under which a request pins the copy {@code s.file_id}; {@code :pinnedSince} = now -
     * the configured lifetime, which a request's own {@code pin_seconds} (a Tape REST diskLifetime)
     * replaces; both are compared with when the request's last file settled. A file released on its
     * own ({@code rf.released_at}) pins nothing. It ends with a line break, so a statement goes on
     * after it.
     */
    String PINNED = """
            EXISTS (SELECT 1 FROM request_file rf JOIN staging_request r ON r.request_id = rf.request_id
                WHERE rf.file_id = s.file_id AND r.released_at IS NULL AND r.cancelled_at IS NULL
                AND rf.released_at IS NULL
                AND (EXISTS (SELECT 1 FROM request_file w
                             WHERE w.request_id = r.request_id AND w.state = <RequestFileState.WAITING>)
                     OR (r.pin_seconds IS NULL
                         AND (SELECT max(d.completed_at) FROM request_file d WHERE d.request_id = r.request_id)
                             > :pinnedSince)
                     OR (r.pin_seconds IS NOT NULL
                         AND (SELECT max(d.completed_at) FROM request_file d WHERE d.request_id = r.request_id)
                             + r.pin_seconds * INTERVAL '1' SECOND > :now)))
            """;

    /** Unpinned ready copies, least recently requested first. */
    @SqlQuery("""
            SELECT s.file_id, c.staging_path, coalesce(c.bytes, 0) AS bytes
            FROM staged_file s JOIN catalog_entry c ON c.file_id = s.file_id
            WHERE s.state = <FileState.READY> AND NOT
            """ + PINNED + """
            ORDER BY s.last_requested_at, s.file_id LIMIT :limit""")
    List<EvictionCandidate> evictionCandidates(@Bind("pinnedSince") Instant pinnedSince, @Bind("now") Instant now,
                                               @Bind("limit") int limit);

    /** Locks a ready copy's row if it is still unpinned; empty when it is pinned or gone meanwhile. */
    @SqlQuery("""
            SELECT s.file_id FROM staged_file s
            WHERE s.file_id = :fileId AND s.state = <FileState.READY> AND NOT
            """ + PINNED + """
            FOR UPDATE""")
    List<String> lockIfUnpinned(@Bind("fileId") String fileId, @Bind("pinnedSince") Instant pinnedSince,
                                @Bind("now") Instant now);

    /** Bytes the staging area holds or is about to: ready copies and copies under way. */
    @SqlQuery("""
            SELECT coalesce(sum(c.bytes), 0) FROM staged_file s JOIN catalog_entry c ON c.file_id = s.file_id
            WHERE s.state IN (<FileState.READY>, <FileState.ACTIVE>)""")
    long bytesInUse();

    /**
     * Requests that completed, or were cancelled or released, before {@code cutoff} (none whose paths
     * are still to be expanded: it has not begun); a request with
     * a JDP integer ID only once it was created before {@code jdpCutoff} too (the DTS polls such an
     * ID for 7 days, its {@code delete_after}, whatever happened to it).
     */
    @SqlQuery("""
            SELECT r.request_id FROM staging_request r WHERE r.created_at < :cutoff
                AND (r.created_at < :jdpCutoff
                     OR NOT EXISTS (SELECT 1 FROM jdp_request j WHERE j.request_id = r.request_id))
                AND NOT EXISTS (SELECT 1 FROM request_path_list l WHERE l.request_id = r.request_id)
                AND (coalesce(r.cancelled_at, r.released_at) < :cutoff
                     OR (NOT EXISTS (SELECT 1 FROM request_file w
                                     WHERE w.request_id = r.request_id AND w.state = <RequestFileState.WAITING>)
                         AND coalesce((SELECT max(d.completed_at) FROM request_file d WHERE d.request_id = r.request_id),
                                      r.created_at) < :cutoff))
            LIMIT :limit""")
    List<UUID> expiredRequests(@Bind("cutoff") Instant cutoff, @Bind("jdpCutoff") Instant jdpCutoff,
                               @Bind("limit") int limit);

    /** How long a JDP integer ID answers at least: the DTS's default {@code delete_after}. */
    java.time.Duration JDP_ID_LIFETIME = java.time.Duration.ofDays(7);
}
