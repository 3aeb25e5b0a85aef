package org.stagehand.http;

import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import java.util.concurrent.ThreadLocalRandom;
import org.jdbi.v3.core.JdbiException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.stagehand.db.DatabaseFailures;

/**
 * Answers database trouble: 503 when the database cannot be reached (the client should try again;
 * nothing was stored), 500 otherwise. Details go to the log under an ID quoted in the answer.
 */
public class DatabaseExceptionMapper implements ExceptionMapper<JdbiException> {

    private static final Logger LOG = LoggerFactory.getLogger(DatabaseExceptionMapper.class);

    @Override
    public Response toResponse(JdbiException exception) {
        String id = Long.toHexString(ThreadLocalRandom.current().nextLong());
        ApiError error;
        if (DatabaseFailures.isUnavailable(exception)) {
            LOG.warn("database unavailable (error {}): {}", id, exception.toString());
            error = new ApiError(503, "the database is unavailable; nothing was stored, try again later (error " + id + ")");
        } else {
            LOG.error("database error {}", id, exception);
            error = new ApiError(500, "internal database error, logged as " + id);
        }
        return Response.status(error.code()).type(MediaType.APPLICATION_JSON_TYPE).entity(error).build();
    }
}
