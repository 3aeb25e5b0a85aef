package org.stagehand.console;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.Query;
import org.stagehand.db.StateAttributes;
import org.stagehand.requests.RequestStatus;
import org.stagehand.work.FileState;
import org.stagehand.work.RequestFileState;

/**
 * The console's read-only request queries: the search (newest first, a page at a time, on the
 * indexes of {@code staging_request.created_at}, {@code request_file.file_id}, {@code request_file.path}, {@code request_path.path},
 * {@code staging_request.client} and {@code staging_request.requester_orcid}) and a request's work rows.
 */
final class RequestSearch {

    /** The statuses a search can filter on, as the status answer names them. */
    enum Status {
        STAGING("""
                r.cancelled_at IS NULL
                AND EXISTS (SELECT 1 FROM request_file w WHERE w.request_id = r.request_id AND w.state = <RequestFileState.WAITING>)"""),
        READY("""
                r.cancelled_at IS NULL
                AND NOT EXISTS (SELECT 1 FROM request_file w WHERE w.request_id = r.request_id AND w.state IN (<RequestFileState.WAITING>, <RequestFileState.FAILED>))"""),
        FAILED("""
                r.cancelled_at IS NULL
                AND NOT EXISTS (SELECT 1 FROM request_file w WHERE w.request_id = r.request_id AND w.state = <RequestFileState.WAITING>)
                AND EXISTS (SELECT 1 FROM request_file f WHERE f.request_id = r.request_id AND f.state = <RequestFileState.FAILED>)"""),
        CANCELLED("r.cancelled_at IS NOT NULL");

        private final String condition;

        Status(String condition) {
            this.condition = condition;
        }

        /** The name clients see. */
        String apiName() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }

        /** The console's name of the engine's status: a waiting request is staging, as its client says. */
        static Status of(RequestStatus status) {
            return switch (status) {
                case WAITING -> STAGING;
                case READY -> READY;
                case FAILED -> FAILED;
                case CANCELLED -> CANCELLED;
            };
        }
    }

    /** A stored request with its files counted by state ({@code request_file.state}). */
    record Found(UUID requestId, Instant createdAt, Instant cancelledAt, String client, String requesterOrcid,
                 Map<RequestFileState, Long> filesByState) {
    }

    /** Where a page ends: the next page starts after this request. */
    record Cursor(Instant createdAt, UUID requestId) {
    }

    /** The request row itself, for a drill-down. */
    record RequestRow(String client, String requesterOrcid, Long pinSeconds, Instant releasedAt) {
    }

    /** A file's work row ({@code staged_file}). */
    record WorkRow(FileState state, int attempts, Instant notBefore, String leaseOwner, boolean waitingForSpace) {
    }

    private static final Map<String, Object> STATES = StateAttributes.of(RequestFileState.class);

    private final Jdbi jdbi;

    RequestSearch(Jdbi jdbi) {
        this.jdbi = jdbi;
    }

    /**
     * Requests that {@code text} names (as its UUID, a file ID, a staging path, a path a client sent,
     * a client or an ORCID; any request when null), of this status (any when null), created before
     * the cursor, newest first: up to {@code limit}.
     *
     * @param bareId {@code text} without the DTS ID prefix, or {@code text} itself
     */
    List<Found> search(String text, String bareId, Status status, Cursor before, int limit) {
        StringBuilder sql = new StringBuilder("""
                SELECT r.request_id, r.created_at, r.cancelled_at, r.client, r.requester_orcid
                FROM staging_request r WHERE 1 = 1
                """);
        UUID asUuid = uuidOrNull(text);
        if (text != null) {
            sql.append("""
                    AND r.request_id IN (
                        SELECT request_id FROM request_file WHERE file_id IN (:text, :bareId)
                        UNION SELECT rf.request_id FROM catalog_entry c JOIN request_file rf ON rf.file_id = c.file_id
                              WHERE c.staging_path = :text
                        UNION SELECT request_id FROM request_file WHERE path = :text
                        UNION SELECT request_id FROM request_path WHERE path = :text
                        UNION SELECT request_id FROM staging_request WHERE client = :text
                        UNION SELECT request_id FROM staging_request WHERE requester_orcid = :text
                    """);
            sql.append(asUuid != null ? "    UNION SELECT request_id FROM staging_request WHERE request_id = :uuid)\n" : ")\n");
        }
        if (status != null) {
            sql.append("AND ").append(status.condition).append('\n');
        }
        if (before != null) {
            sql.append("AND (r.created_at < :beforeAt OR (r.created_at = :beforeAt AND r.request_id < :beforeId))\n");
        }
        sql.append("ORDER BY r.created_at DESC, r.request_id DESC LIMIT :limit");
        return jdbi.withHandle(handle -> {
            Query query = StateAttributes.defineOn(handle.createQuery(sql.toString()), STATES).bind("limit", limit);
            if (text != null) {
                query.bind("text", text).bind("bareId", bareId);
                if (asUuid != null) {
                    query.bind("uuid", asUuid);
                }
            }
            if (before != null) {
                query.bind("beforeAt", before.createdAt()).bind("beforeId", before.requestId());
            }
            List<Found> rows = query.map((rs, ctx) -> new Found(rs.getObject("request_id", UUID.class),
                    instant(rs.getTimestamp("created_at")), instant(rs.getTimestamp("cancelled_at")),
                    rs.getString("client"), rs.getString("requester_orcid"), new HashMap<>())).list();
            if (rows.isEmpty()) {
                return rows;
            }
            Map<UUID, Found> byId = new HashMap<>();
            rows.forEach(row -> byId.put(row.requestId(), row));
            handle.createQuery("""
                    SELECT request_id, state, count(*) AS files FROM request_file
                    WHERE request_id IN (<ids>) GROUP BY request_id, state
                    """).bindList("ids", new ArrayList<>(byId.keySet()))
                    .map((rs, ctx) -> Map.entry(rs.getObject("request_id", UUID.class),
                            Map.entry(RequestFileState.valueOf(rs.getString("state")), rs.getLong("files"))))
                    .forEach(count -> byId.get(count.getKey()).filesByState()
                            .put(count.getValue().getKey(), count.getValue().getValue()));
            return rows;
        });
    }

    Optional<RequestRow> request(UUID requestId) {
        return jdbi.withHandle(handle -> handle.createQuery("""
                SELECT client, requester_orcid, pin_seconds, released_at FROM staging_request WHERE request_id = :id
                """).bind("id", requestId)
                .map((rs, ctx) -> new RequestRow(rs.getString("client"), rs.getString("requester_orcid"),
                        (Long) rs.getObject("pin_seconds", Long.class), instant(rs.getTimestamp("released_at"))))
                .findOne());
    }

    /** The work rows of these files; files without one (evicted, or never queued) are left out. */
    Map<String, WorkRow> work(Collection<String> fileIds) {
        if (fileIds.isEmpty()) {
            return Map.of();
        }
        Map<String, WorkRow> rows = new HashMap<>();
        jdbi.useHandle(handle -> handle.createQuery("""
                SELECT file_id, state, attempts, not_before, lease_owner, waiting_for_space FROM staged_file
                WHERE file_id IN (<ids>)
                """).bindList("ids", new ArrayList<>(fileIds))
                .map((rs, ctx) -> Map.entry(rs.getString("file_id"), new WorkRow(FileState.valueOf(rs.getString("state")),
                        rs.getInt("attempts"), instant(rs.getTimestamp("not_before")), rs.getString("lease_owner"),
                        rs.getBoolean("waiting_for_space"))))
                .forEach(row -> rows.put(row.getKey(), row.getValue())));
        return rows;
    }

    static UUID uuidOrNull(String text) {
        if (text == null || text.length() != 36) {
            return null;
        }
        try {
            return UUID.fromString(text);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    private static Instant instant(Timestamp timestamp) {
        return timestamp == null ? null : timestamp.toInstant();
    }
}
