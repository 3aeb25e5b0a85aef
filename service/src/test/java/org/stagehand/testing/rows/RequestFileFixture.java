package org.stagehand.testing.rows;

import java.time.Instant;
import java.util.UUID;
import org.jdbi.v3.core.Jdbi;
import org.stagehand.work.RequestFileState;

/** A {@code request_file} row (a request's view of one file) to insert: by default {@code WAITING}. */
public final class RequestFileFixture {

    private final UUID requestId;
    private final String fileId;
    private RequestFileState state = RequestFileState.WAITING;
    private String error;
    private Instant completedAt;
    private Instant releasedAt;
    private Integer position;
    private String path;
    private String metadata;

    private RequestFileFixture(UUID requestId, String fileId) {
        this.requestId = requestId;
        this.fileId = fileId;
    }

    /** The row of {@code entry} in {@code request}; both must be inserted first. */
    public static RequestFileFixture aRequestFile(StagingRequestFixture request, CatalogEntryFixture entry) {
        return new RequestFileFixture(request.requestId(), entry.fileId());
    }

    public RequestFileFixture withState(RequestFileState state) {
        this.state = state;
        return this;
    }

    /** Settled ({@code READY}, {@code FAILED} or {@code CANCELLED}) at {@code completedAt}. */
    public RequestFileFixture settled(RequestFileState state, Instant completedAt) {
        this.state = state;
        this.completedAt = completedAt;
        return this;
    }

    public RequestFileFixture withError(String error) {
        this.error = error;
        return this;
    }

    public RequestFileFixture withReleasedAt(Instant releasedAt) {
        this.releasedAt = releasedAt;
        return this;
    }

    /** For a request named by paths: the first path naming the file, at {@code position}, as sent. */
    public RequestFileFixture namedBy(int position, String path) {
        this.position = position;
        this.path = path;
        return this;
    }

    public RequestFileFixture withMetadata(String metadata) {
        this.metadata = metadata;
        return this;
    }

    public RequestFileFixture insert(Jdbi jdbi) {
        jdbi.useHandle(handle -> handle.createUpdate("""
                        INSERT INTO request_file (request_id, file_id, state, error, completed_at, released_at,
                            position, path, metadata)
                        VALUES (:requestId, :fileId, :state, :error, :completedAt, :releasedAt, :position, :path, :metadata)""")
                .bind("requestId", requestId)
                .bind("fileId", fileId)
                .bind("state", state.name())
                .bind("error", error)
                .bind("completedAt", completedAt)
                .bind("releasedAt", releasedAt)
                .bind("position", position)
                .bind("path", path)
                .bind("metadata", metadata)
                .execute());
        return this;
    }
}
