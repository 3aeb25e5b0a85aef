package org.stagehand.staging;

import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.jdbi.v3.sqlobject.config.KeyColumn;
import org.jdbi.v3.sqlobject.config.RegisterConstructorMapper;
import org.jdbi.v3.sqlobject.config.ValueColumn;
import org.jdbi.v3.sqlobject.customizer.Bind;
import org.jdbi.v3.sqlobject.customizer.BindList;
import org.jdbi.v3.sqlobject.statement.SqlBatch;
import org.jdbi.v3.sqlobject.statement.SqlQuery;
import org.jdbi.v3.sqlobject.statement.SqlUpdate;
import java.util.Map;

/** Staging requests and their files. */
@RegisterConstructorMapper(StagingRequestRecord.class)
@RegisterConstructorMapper(RequestFileSummary.class)
@RegisterConstructorMapper(StagingStatus.FileError.class)
public interface StagingRequestDao {

    @SqlUpdate("INSERT INTO staging_request (request_id, created_at, file_count) VALUES (:id, :now, :fileCount)")
    void insertRequest(@Bind("id") UUID requestId, @Bind("now") Instant now, @Bind("fileCount") int fileCount);

    /** Adds work rows for files never asked for before; existing rows are left to the next steps. */
    @SqlBatch("INSERT INTO staged_file (file_id, state, attempts, not_before, updated_at)"
            + " VALUES (:fileId, 'PENDING', 0, :now, :now) ON CONFLICT DO NOTHING")
    void insertMissingWork(@Bind("fileId") List<String> sortedFileIds, @Bind("now") Instant now);

    /**
     * Locks the work rows of these files and returns their states. The lock orders this request
     * against a worker settling one of the files, so no request can miss a file's outcome.
     */
    @SqlQuery("SELECT file_id, state FROM staged_file WHERE file_id IN (<ids>) ORDER BY file_id FOR UPDATE")
    @KeyColumn("file_id")
    @ValueColumn("state")
    Map<String, String> lockWork(@BindList("ids") Collection<String> fileIds);

    /** Queues again files that failed before, or whose copy has gone from the staging area. */
    @SqlUpdate("UPDATE staged_file SET state = 'PENDING', attempts = 0, not_before = :now, last_error = NULL,"
            + " updated_at = :now WHERE file_id IN (<ids>) AND state IN ('READY', 'FAILED')")
    int requeue(@BindList("ids") Collection<String> fileIds, @Bind("now") Instant now);

    @SqlBatch("INSERT INTO request_file (request_id, file_id, state, completed_at)"
            + " VALUES (:requestId, :fileId, :state, :completedAt)")
    void insertRequestFiles(@Bind("requestId") UUID requestId, @Bind("fileId") List<String> fileIds,
                            @Bind("state") List<String> states, @Bind("completedAt") List<Instant> completedAt);

    @SqlQuery("SELECT request_id, created_at, file_count FROM staging_request WHERE request_id = :id")
    Optional<StagingRequestRecord> findRequest(@Bind("id") UUID requestId);

    @SqlQuery("SELECT rf.state, count(*) AS files, coalesce(sum(c.bytes), 0) AS bytes,"
            + " max(rf.completed_at) AS last_completed_at"
            + " FROM request_file rf JOIN catalog_entry c ON c.file_id = rf.file_id"
            + " WHERE rf.request_id = :id GROUP BY rf.state")
    List<RequestFileSummary> summarize(@Bind("id") UUID requestId);

    @SqlQuery("SELECT rf.file_id AS id, c.staging_path AS path, rf.error AS message"
            + " FROM request_file rf JOIN catalog_entry c ON c.file_id = rf.file_id"
            + " WHERE rf.request_id = :id AND rf.state = 'FAILED' ORDER BY rf.file_id LIMIT :limit")
    List<StagingStatus.FileError> failedFiles(@Bind("id") UUID requestId, @Bind("limit") int limit);
}
