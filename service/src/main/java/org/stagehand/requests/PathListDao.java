package org.stagehand.requests;

import static org.stagehand.db.SqlArrays.varchars;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.statement.PreparedBatch;

/**
 * The one writer of {@code request_path_list}: path requests accepted and not yet expanded into
 * their files' rows, on one handle.
 */
final class PathListDao {

    private final Handle handle;

    PathListDao(Handle handle) {
        this.handle = handle;
    }

    /** A stored list with its request's client and pin. */
    record Listed(UUID requestId, Instant createdAt, PathList list) {
    }

    /**
     * Stores the lists of requests just inserted. A batch of rows, not one array: a list may be
     * longer than the longest {@code varchar} H2 binds in an array.
     */
    void insert(List<RequestWriter.NewRequest> requests, Instant now) {
        PreparedBatch batch = handle.prepareBatch("""
                INSERT INTO request_path_list (request_id, created_at, paths) VALUES (:id, :now, :paths)""");
        for (RequestWriter.NewRequest request : requests) {
            batch.bind("id", request.requestId()).bind("now", now).bind("paths", request.listed().text()).add();
        }
        batch.execute();
    }

    /** The oldest lists' requests with their numbers of paths, at most {@code most}, oldest first. */
    List<Waiting> oldest(int most) {
        return handle.createQuery("""
                        SELECT l.request_id, r.file_count
                        FROM request_path_list l JOIN staging_request r ON r.request_id = l.request_id
                        ORDER BY l.created_at, l.request_id FETCH FIRST :most ROWS ONLY""")
                .bind("most", most)
                .map((rs, ctx) -> new Waiting(rs.getObject("request_id", UUID.class), rs.getInt("file_count")))
                .list();
    }

    /** A list waiting to be expanded: its request, and how many paths it holds. */
    record Waiting(UUID requestId, int paths) {
    }

    /** The lists of these requests that are still there. */
    List<Listed> find(Collection<UUID> requestIds) {
        return handle.createQuery("""
                        SELECT l.request_id, l.created_at, l.paths, r.client, r.pin_seconds
                        FROM request_path_list l JOIN staging_request r ON r.request_id = l.request_id
                        WHERE l.request_id IN (SELECT CAST(u.id AS uuid) FROM UNNEST(:ids) AS u(id))
                        ORDER BY l.created_at, l.request_id""")
                .bind("ids", varchars(requestIds.stream().map(UUID::toString).toList()))
                .map((rs, ctx) -> listed(rs))
                .list();
    }

    /** The request's list, if it is not expanded yet. */
    Optional<Listed> find(UUID requestId) {
        return find(List.of(requestId)).stream().findFirst();
    }

    /**
     * Locks these requests' rows (in ID order, as every expansion does, so two cannot deadlock) and
     * returns those whose list is still there: not expanded or forgotten by someone else meanwhile.
     * A cancel or forget locks the request's row first too, so it runs wholly before or after.
     */
    List<UUID> lockStillListed(Collection<UUID> requestIds) {
        List<String> ids = requestIds.stream().map(UUID::toString).sorted().toList();
        handle.createQuery("""
                        SELECT request_id FROM staging_request WHERE request_id IN (SELECT CAST(u.id AS uuid) FROM UNNEST(:ids) AS u(id))
                        ORDER BY request_id FOR UPDATE""")
                .bind("ids", varchars(ids))
                .mapTo(UUID.class)
                .list();
        return handle.createQuery("""
                        SELECT request_id FROM request_path_list WHERE request_id IN (SELECT CAST(u.id AS uuid) FROM UNNEST(:ids) AS u(id))""")
                .bind("ids", varchars(ids))
                .mapTo(UUID.class)
                .list();
    }

    /** Deletes the lists of these requests, once expanded. */
    void delete(Collection<UUID> requestIds) {
        handle.createUpdate("""
                        DELETE FROM request_path_list WHERE request_id IN (SELECT CAST(u.id AS uuid) FROM UNNEST(:ids) AS u(id))""")
                .bind("ids", varchars(requestIds.stream().map(UUID::toString).toList()))
                .execute();
    }

    private static Listed listed(ResultSet rs) throws SQLException {
        long pin = rs.getLong("pin_seconds");
        Long pinSeconds = rs.wasNull() ? null : pin;
        return new Listed(rs.getObject("request_id", UUID.class), rs.getTimestamp("created_at").toInstant(),
                new PathList(rs.getString("client"), pinSeconds, PathList.pathsOf(rs.getString("paths"))));
    }
}
