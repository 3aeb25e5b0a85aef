package org.stagehand.http;

import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import org.eclipse.jetty.http.BadMessageException;

/**
 * Answers what Jetty refuses while the application reads a body with Jetty's status and the usual
 * JSON, not a 500.
 */
public class BadMessageExceptionMapper implements ExceptionMapper<BadMessageException> {

    @Override
    public Response toResponse(BadMessageException exception) {
        int code = exception.getCode();
        ApiError error = new ApiError(code, JsonErrorHandler.plainMessage(code, exception.getReason()));
        return Response.status(code).type(MediaType.APPLICATION_JSON_TYPE).entity(error).build();
    }
}
