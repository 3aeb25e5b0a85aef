package org.stagehand.requests;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

/**
 * One file of a request, as the per-file view shows it.
 *
 * @param id the file's ID
 * @param path its path below the staging root
 * @param state {@code staging}, {@code ready}, {@code failed} or {@code cancelled}
 * @param bytes its size from the catalog, when known
 * @param error why it failed
 * @param completedAt when it settled for this request (ISO-8601)
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
@JsonInclude(JsonInclude.Include.NON_NULL)
public record RequestFile(String id, String path, String state, Long bytes, String error, String completedAt) {
}
