package org.stagehand.http;

import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;

/** Answers an {@link ApiException} with its status and JSON body. */
public class ApiExceptionMapper implements ExceptionMapper<ApiException> {

    @Override
    public Response toResponse(ApiException exception) {
        return Response.status(exception.error().code())
                .type(MediaType.APPLICATION_JSON_TYPE)
                .entity(exception.error())
                .build();
    }
}
