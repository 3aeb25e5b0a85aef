package org.stagehand.app;

import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;

/** Answers an {@link ApiException} with its status and JSON body. */
public class ApiExceptionMapper implements ExceptionMapper<ApiException> {

    @Override
    public Response toResponse(ApiException exception) {
        Response.ResponseBuilder response = Response.status(exception.error().code())
                .type(MediaType.APPLICATION_JSON_TYPE)
                .entity(exception.error());
        if (exception.error().code() == 413) {
            // A body refused for its size is left partly unread, so the server drops the connection
            // after answering; saying so keeps a client from sending its next request down a dead one.
            response.header("Connection", "close");
        }
        return response.build();
    }
}
