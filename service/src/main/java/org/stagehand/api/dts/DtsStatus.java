package org.stagehand.api.dts;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import java.util.List;
import java.util.UUID;
import org.stagehand.requests.RequestStatus;
import org.stagehand.requests.StagingStatus;
import org.stagehand.requests.StagingStatus.ByteCounts;
import org.stagehand.requests.StagingStatus.FileCounts;
import org.stagehand.requests.StagingStatus.FileError;

/**
 * The answer to {@code GET /dts/staging?id=<uuid>}. The DTS reads {@code status}; the rest is for operators.
 *
 * @param status {@code staging} while any file waits, then {@code ready} when every file is in
 *     place, or {@code failed} when any file failed for good; {@code cancelled} once cancelled
 * @param asOf only when the database cannot be reached: the answer is the last one this instance
 *     knew, read at this moment (ISO-8601)
 * @param estimatedReadyAt while staging, when the backend expects the last waiting file to be
 *     fetched (ISO-8601); absent when there is no basis for an estimate
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
@JsonInclude(JsonInclude.Include.NON_NULL)
public record DtsStatus(UUID requestId, String status, FileCounts files, ByteCounts bytes, String createdAt,
                        String updatedAt, String completedAt, List<FileError> errors, String asOf,
                        String estimatedReadyAt) {

    /** The engine's answer in the contract's words. */
    static DtsStatus of(StagingStatus status) {
        return new DtsStatus(status.requestId(), word(status.status()), status.files(), status.bytes(),
                status.createdAt(), status.updatedAt(), status.completedAt(), status.errors(), status.asOf(),
                status.estimatedReadyAt());
    }

    /** The contract's word for a request's status: a waiting request is {@code staging}. */
    static String word(RequestStatus status) {
        return switch (status) {
            case WAITING -> "staging";
            case READY -> "ready";
            case FAILED -> "failed";
            case CANCELLED -> "cancelled";
        };
    }
}
