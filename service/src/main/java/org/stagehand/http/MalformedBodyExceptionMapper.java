package org.stagehand.http;

import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import java.io.EOFException;

/**
 * Answers a body that broke off while the application read it (a garbled chunk, a connection that
 * ended before {@code Content-Length}): 400, not the 500 of an unexpected failure. Jetty reports
 * those as an {@link EOFException}.
 */
public class MalformedBodyExceptionMapper implements ExceptionMapper<EOFException> {

    static final String MESSAGE = "the request body is malformed or ended early";

    @Override
    public Response toResponse(EOFException exception) {
        ApiError error = new ApiError(400, MESSAGE);
        return Response.status(error.code()).type(MediaType.APPLICATION_JSON_TYPE).entity(error).build();
    }
}
