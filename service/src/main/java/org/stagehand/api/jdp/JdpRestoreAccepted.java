package org.stagehand.api.jdp;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.UUID;

/**
 * The answer to {@code POST /request_archived_files/}.
 *
 * @param requestId the integer the DTS polls with (a JSON integer, as its Go {@code int} needs)
 * @param stagingRequestId the same request's UUID, for operators (the DTS ignores it)
 */
public record JdpRestoreAccepted(@JsonProperty("request_id") long requestId,
                                 @JsonProperty("staging_request_id") UUID stagingRequestId) {
}
