package org.stagehand.console;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import java.util.List;
import java.util.UUID;
import org.stagehand.requests.StagingStatus;

/**
 * The answers of {@code /console/api/...}, field names in snake case as in the rest of the API.
 * Each page renders exactly the answer of its endpoint (docs/operations.md lists the fields).
 */
final class ConsoleJson {

    private ConsoleJson() {
    }

    /** {@code GET /console/api/overview}. */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record Overview(String generatedAt, String instance, RequestCounts requests, FileCounts files,
                    List<FailureReason> failuresLastHour, Throughput throughput, AreaUsage stagingArea,
                    List<Instance> instances) {
    }

    /** Stored requests by status. */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    record RequestCounts(long total, long staging, long ready, long failed, long cancelled) {
    }

    /**
     * Work rows: due now, backing off until a later attempt, due but waiting for space, being
     * copied, and failed for good in the last hour.
     */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    record FileCounts(long due, long later, long waitingForSpace, long underWay, long failedLastHour) {
    }

    /** Files that failed for good with this message. */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    record FailureReason(String reason, long files) {
    }

    /** Copies made ready in one minute ({@code minute}: its start, ISO-8601). */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    record Minute(String minute, long files, long bytes) {
    }

    /** The last hour's copies: per minute (minutes without any left out) and the hour's averages. */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    record Throughput(String since, List<Minute> perMinute, long files, long bytes, double filesPerSecond,
                      double bytesPerSecond) {
    }

    /**
     * The staging area. {@code capacityBytes} and {@code freeBytes} (capacity less what is used) only
     * with {@code lifecycle.capacity}; the byte sums over every copy are measured in the background
     * ({@code measuredAt}), absent until the first measurement.
     */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record AreaUsage(Long capacityBytes, Long usedBytes, Long freeBytes, Long readyBytes, Long underWayBytes,
                     Long pinnedBytes, Long evictableBytes, String measuredAt, long diskFreeBytes) {
    }

    /**
     * An instance alive in the last day. {@code lastHeartbeat} is when its lease thread last kept its
     * run alive ({@code aliveUntil} less this instance's lease duration); {@code paused} is known only
     * for the instance that serves the page.
     */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record Instance(String name, String startedAt, String aliveUntil, String lastHeartbeat, long claims,
                    boolean alive, boolean thisInstance, Boolean paused) {
    }

    /** {@code GET /console/api/requests}: a page, newest first. */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record RequestList(String q, String status, List<RequestSummary> requests, String nextBefore) {
    }

    /** One request of a list. */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record RequestSummary(String requestId, String status, String createdAt, long files, long ready, long staging,
                          long failed, long cancelled, String client, String requesterOrcid) {
    }

    /** {@code GET /console/api/requests/<uuid>}. */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record RequestDetail(String requestId, String client, String requesterOrcid, Long pinSeconds,
                         String releasedAt, StatusAnswer status, List<FileDetail> files, String nextAfter,
                         List<Command> commands) {
    }

    /** A request's status answer in the words its client sees ({@code staging} while a file waits). */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record StatusAnswer(UUID requestId, String status, StagingStatus.FileCounts files, StagingStatus.ByteCounts bytes,
                        String createdAt, String updatedAt, String completedAt, List<StagingStatus.FileError> errors,
                        String asOf, String estimatedReadyAt) {
    }

    /** A file of a request with its work row: attempts, next try, who copies it. */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record FileDetail(String id, String path, String state, Long bytes, String error, String completedAt,
                      String work, Integer attempts, String notBefore, String leaseOwner, Boolean waitingForSpace) {
    }

    /** An admin task command for an operator to copy. */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    record Command(String task, String command) {
    }

    /**
     * {@code GET /console/api/tape}. With a backend that says where files lie on tape (the queue
     * planned by volume), the plan's volumes; else only the queue and the copies under way. With
     * either, the tape mounts the backend reported in the last 24 hours, on every instance.
     */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record TapeView(boolean volumesReported, String note, QueueSummary queue, List<UnderWay> underWay,
                    String planTakenAt, Integer drivesPerInstance, List<QueuedVolume> volumesQueued,
                    List<VolumeInProgress> volumesInProgress,
                    @JsonProperty("mounts_last_24h") long mountsLast24h, List<VolumeMounts> mountsByVolume) {

        TapeView(boolean volumesReported, String note, QueueSummary queue, List<UnderWay> underWay, String planTakenAt,
                 Integer drivesPerInstance, List<QueuedVolume> volumesQueued, List<VolumeInProgress> volumesInProgress,
                 List<VolumeMounts> mountsByVolume) {
            this(volumesReported, note, queue, underWay, planTakenAt, drivesPerInstance, volumesQueued, volumesInProgress,
                    mountsByVolume.stream().mapToLong(VolumeMounts::mounts).sum(), mountsByVolume);
        }
    }

    /** A volume mounted in the last 24 hours, and how often. */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    record VolumeMounts(String volume, long mounts) {
    }

    /** A volume waiting for a mount: its place in the mount queue (absent while not due), files, bytes. */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record QueuedVolume(String volume, Integer mountOrder, long files, long bytes, String oldestDueSince,
                        long oldestAgeSeconds, boolean starving) {
    }

    /** A volume an instance works on: its files under way, and those queued for its next pass. */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    record VolumeInProgress(String volume, String instance, long files, long bytes, String claimedAt, long waiting) {
    }

    /** Files queued, their bytes and when the oldest was queued. */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record QueueSummary(long files, long bytes, String oldestQueuedAt) {
    }

    /** Files being copied on one instance. */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    record UnderWay(String instance, long files, long bytes) {
    }
}
