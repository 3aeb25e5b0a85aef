package org.stagehand.api.tape;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/**
 * The door's JSON answers, in the API's camelCase. No field is ever written as {@code null}: gfal2
 * 2.21.3 fails a whole poll on {@code "error": null}, so an absent value is an absent key.
 * Timestamps are seconds since the epoch.
 */
final class TapeJson {

    private TapeJson() {
    }

    /** {@code GET /.well-known/wlcg-tape-rest-api}. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record WellKnown(String sitename, String description, List<Endpoint> endpoints) {
    }

    /** One API version and where it is served. */
    record Endpoint(String uri, String version) {
    }

    /** The 201 answer to a stage request. */
    record StageAccepted(String requestId) {
    }

    /** A poll answer. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record StageStatus(String id, Long createdAt, Long startedAt, Long completedAt, List<FileStatus> files) {
    }

    /**
     * One file of a poll answer.
     *
     * @param state SUBMITTED, STARTED, COMPLETED, FAILED or CANCELLED
     * @param onDisk true exactly when COMPLETED (gfal2 reads it before {@code state})
     * @param error for FAILED and CANCELLED, never empty; absent otherwise
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record FileStatus(String path, String state, boolean onDisk, String error, Long finishedAt) {
    }

    /** One path of an archiveinfo answer: a {@code locality}, or an {@code error}. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record ArchiveInfo(String path, String locality, String error) {
    }

    /** An RFC 7807 problem: gfal2 2.21.4 and later quote {@code detail} in their errors. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record Problem(String type, String title, int status, String detail) {
    }
}
