package org.stagehand.api.jdp;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;
import java.util.UUID;
import org.stagehand.requests.StagingStatus;

/**
 * The answer to {@code GET /request_archived_files/requests/<n>}. The DTS reads {@code status} only.
 *
 * @param status {@code new}, {@code pending}, {@code ready}, {@code failed} or {@code cancelled}
 * @param requestId the integer ID asked about
 * @param stagingRequestId the request's UUID; absent when it is not known (database unreachable)
 * @param files the request's file counts, as {@code GET /dts/staging} gives them
 * @param errors up to 100 failed files with their errors
 * @param asOf only when the database cannot be reached: when the answer given was read
 * @param message only when the database cannot be reached: what that means for this answer
 * @param estimatedReadyAt as {@code GET /dts/staging} gives it: while staging, when the backend
 *     expects the last waiting file; absent without a basis (the DTS's JDP client ignores it)
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record JdpRequestStatus(String status,
                               @JsonProperty("request_id") long requestId,
                               @JsonProperty("staging_request_id") UUID stagingRequestId,
                               StagingStatus.FileCounts files,
                               List<StagingStatus.FileError> errors,
                               @JsonProperty("as_of") String asOf,
                               String message,
                               @JsonProperty("estimated_ready_at") String estimatedReadyAt) {

    JdpRequestStatus(String status, long requestId, UUID stagingRequestId, StagingStatus.FileCounts files,
                     List<StagingStatus.FileError> errors, String asOf, String message) {
        this(status, requestId, stagingRequestId, files, errors, asOf, message, null);
    }
}
