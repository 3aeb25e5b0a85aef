package org.stagehand.requests;

import java.time.Instant;
import java.util.UUID;

/**
 * A row of {@code staging_request}.
 *
 * @param requestId the UUID given to the client
 * @param createdAt when it was accepted
 * @param fileCount how many distinct files it asked for
 * @param cancelledAt when it was cancelled, or null
 * @param releasedAt when the client released its copies, or null
 * @param requesterOrcid who asked, when the door knew (the JDP door's Token credential), or null
 */
public record StagingRequestRecord(UUID requestId, Instant createdAt, int fileCount, Instant cancelledAt,
                                   Instant releasedAt, String requesterOrcid) {
}
