package org.stagehand.testing.rows;

import org.jdbi.v3.core.Jdbi;

/**
 * A {@code request_path} row to insert: a path of a request named by paths that no file's row holds
 * (one naming no file, or a later spelling of a file named before; the first is on the file's row,
 * {@link RequestFileFixture#namedBy}).
 */
public final class RequestPathFixture {

    private final StagingRequestFixture request;
    private final int position;
    private final String path;
    private String fileId;
    private String error;
    private String metadata;

    private RequestPathFixture(StagingRequestFixture request, int position, String path) {
        this.request = request;
        this.position = position;
        this.path = path;
    }

    /** Path number {@code position} of {@code request} (inserted first), naming no file until told. */
    public static RequestPathFixture aRequestPath(StagingRequestFixture request, int position, String path) {
        return new RequestPathFixture(request, position, path);
    }

    public RequestPathFixture naming(CatalogEntryFixture entry) {
        this.fileId = entry.fileId();
        return this;
    }

    /** Why the path names no file. */
    public RequestPathFixture withError(String error) {
        this.error = error;
        return this;
    }

    public RequestPathFixture withMetadata(String metadata) {
        this.metadata = metadata;
        return this;
    }

    public RequestPathFixture insert(Jdbi jdbi) {
        jdbi.useHandle(handle -> handle.createUpdate("""
                        INSERT INTO request_path (request_id, position, path, file_id, error, metadata)
                        VALUES (:requestId, :position, :path, :fileId, :error, :metadata)""")
                .bind("requestId", request.requestId())
                .bind("position", position)
                .bind("path", path)
                .bind("fileId", fileId)
                .bind("error", error)
                .bind("metadata", metadata)
                .execute());
        return this;
    }
}
