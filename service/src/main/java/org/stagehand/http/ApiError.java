package org.stagehand.http;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import java.util.List;

/**
 * The body of every error answer: {@code {"code": 404, "message": "...", "unknown_ids": [...]}}.
 * The same shape as Dropwizard's own error bodies, so clients parse one form.
 *
 * @param code the HTTP status
 * @param message what was wrong, in words a client can act on
 * @param unknownIds for a 404 on staging, up to 100 of the IDs the catalog does not know
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record ApiError(int code, String message, List<String> unknownIds) {

    public ApiError(int code, String message) {
        this(code, message, List.of());
    }
}
