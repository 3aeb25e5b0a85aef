package org.stagehand.requests;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import java.util.List;
import java.util.UUID;

/**
 * The engine's answer to a status query, which each door puts in its own words.
 *
 * @param requestId the request
 * @param status where the request stands ({@link RequestStatus#of})
 * @param files counts of the request's files by state
 * @param bytes sizes, as the catalog records them
 * @param createdAt when the request was accepted (ISO-8601)
 * @param updatedAt when a file of the request last settled, or {@code createdAt}
 * @param completedAt when the last file settled; absent while any file waits
 * @param errors up to 100 failed files with their errors
 * @param asOf only when the database cannot be reached: the answer is the last one this instance
 *     knew, read from the database (or committed) at this moment (ISO-8601)
 * @param estimatedReadyAt while waiting, when the backend expects the last waiting file to be
 *     fetched (ISO-8601); absent when it has no basis for an estimate (see {@link ReadyEstimates})
 */
public record StagingStatus(UUID requestId, RequestStatus status, FileCounts files, ByteCounts bytes, String createdAt,
                            String updatedAt, String completedAt, List<FileError> errors, String asOf,
                            String estimatedReadyAt) {

    public StagingStatus(UUID requestId, RequestStatus status, FileCounts files, ByteCounts bytes, String createdAt,
                         String updatedAt, String completedAt, List<FileError> errors) {
        this(requestId, status, files, bytes, createdAt, updatedAt, completedAt, errors, null, null);
    }

    /** This answer as served from memory while the database cannot be reached. */
    public StagingStatus asOf(java.time.Instant readAt) {
        return new StagingStatus(requestId, status, files, bytes, createdAt, updatedAt, completedAt, errors,
                readAt.toString(), null);
    }

    /** This answer with an estimate of when it will be ready. */
    public StagingStatus estimatedReadyAt(java.time.Instant readyAt) {
        return new StagingStatus(requestId, status, files, bytes, createdAt, updatedAt, completedAt, errors, asOf,
                readyAt.toString());
    }

    /** The most errors listed in a status answer. */
    public static final int MAX_ERRORS = 100;

    /**
     * Counts of a request's files (the JSON of the doors that show them: the DTS's words, where a
     * waiting file is {@code staging}); of the {@code staging} ones, {@code waitingForSpace} are due but
     * wait until the staging area has room, and {@code copying} are being copied now.
     */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record FileCounts(long total, long ready, long staging, long failed, long cancelled, long waitingForSpace,
                             long copying) {
        public FileCounts(long total, long ready, long staging, long failed, long cancelled, long waitingForSpace) {
            this(total, ready, staging, failed, cancelled, waitingForSpace, 0);
        }
    }

    /** Byte totals of a request's files. */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record ByteCounts(long total, long ready) {
    }

    /** A file that failed for good. */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record FileError(String id, String path, String message) {
    }
}
