package org.stagehand.api.dts;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import java.util.UUID;

/** The 201 answer to a staging request: {@code {"request_id": "<uuid>"}}. */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record StagingAccepted(UUID requestId) {
}
