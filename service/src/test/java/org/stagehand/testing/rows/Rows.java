package org.stagehand.testing.rows;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.jdbi.v3.core.Jdbi;

/** Reads rows back as they are stored, for DAO tests to check what a DAO method wrote. */
public final class Rows {

    private Rows() {
    }

    /** A {@code staged_file} row. */
    public record StagedFileRow(String state, int attempts, Instant notBefore, String leaseOwner, String leaseToken,
                                Instant leaseExpiresAt, String lastError, Instant updatedAt, Instant lastRequestedAt,
                                boolean waitingForSpace) {
    }

    /** A {@code request_file} row. */
    public record RequestFileRow(String state, String error, Instant completedAt, Instant releasedAt) {
    }

    public static Optional<StagedFileRow> stagedFile(Jdbi jdbi, String fileId) {
        return jdbi.withHandle(handle -> handle.createQuery("""
                        SELECT state, attempts, not_before, lease_owner, lease_token, lease_expires_at, last_error,
                            updated_at, last_requested_at, waiting_for_space
                        FROM staged_file WHERE file_id = :fileId""")
                .bind("fileId", fileId)
                .map((rs, ctx) -> new StagedFileRow(rs.getString("state"), rs.getInt("attempts"),
                        instant(rs, "not_before"), rs.getString("lease_owner"), rs.getString("lease_token"),
                        instant(rs, "lease_expires_at"), rs.getString("last_error"), instant(rs, "updated_at"),
                        instant(rs, "last_requested_at"), rs.getBoolean("waiting_for_space")))
                .findOne());
    }

    /** The state of a work row; fails when there is none. */
    public static String workState(Jdbi jdbi, String fileId) {
        return stagedFile(jdbi, fileId).orElseThrow(() -> new AssertionError("no work row for " + fileId)).state();
    }

    public static Optional<RequestFileRow> requestFile(Jdbi jdbi, UUID requestId, String fileId) {
        return jdbi.withHandle(handle -> handle.createQuery("""
                        SELECT state, error, completed_at, released_at FROM request_file
                        WHERE request_id = :requestId AND file_id = :fileId""")
                .bind("requestId", requestId)
                .bind("fileId", fileId)
                .map((rs, ctx) -> new RequestFileRow(rs.getString("state"), rs.getString("error"),
                        instant(rs, "completed_at"), instant(rs, "released_at")))
                .findOne());
    }

    /** The state of a request's row for a file; fails when there is none. */
    public static String requestFileState(Jdbi jdbi, UUID requestId, String fileId) {
        return requestFile(jdbi, requestId, fileId)
                .orElseThrow(() -> new AssertionError("no row for " + fileId + " in " + requestId)).state();
    }

    /** How many rows {@code table} holds. */
    public static long count(Jdbi jdbi, String table) {
        return jdbi.withHandle(handle -> handle.createQuery("SELECT count(*) FROM " + table).mapTo(Long.class).one());
    }

    /** The values of one column of a table, sorted. */
    public static List<String> column(Jdbi jdbi, String table, String column) {
        return jdbi.withHandle(handle -> handle.createQuery("SELECT " + column + " FROM " + table + " ORDER BY 1")
                .mapTo(String.class)
                .list());
    }

    private static Instant instant(ResultSet rs, String column) throws SQLException {
        Timestamp timestamp = rs.getTimestamp(column);
        return timestamp == null ? null : timestamp.toInstant();
    }
}
