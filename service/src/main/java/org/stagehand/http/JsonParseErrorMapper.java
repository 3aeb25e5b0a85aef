package org.stagehand.http;

import com.fasterxml.jackson.core.JsonParseException;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;

/**
 * Answers a body that is not JSON, is not valid UTF-8, or names a key twice (the parser refuses
 * duplicates rather than letting the last one win) with a 400 that says what is wrong, in the
 * parser's words without its position dump.
 */
public final class JsonParseErrorMapper implements ExceptionMapper<JsonParseException> {

    @Override
    public Response toResponse(JsonParseException exception) {
        String detail = exception.getOriginalMessage();
        String message = detail != null && detail.startsWith("Duplicate field ")
                ? "Unable to process JSON: the key " + detail.substring("Duplicate field ".length())
                        + " is given more than once; give it once"
                : "Unable to process JSON" + (detail == null ? "" : ": " + firstLine(detail));
        return Response.status(400).type(MediaType.APPLICATION_JSON_TYPE).entity(new ApiError(400, message)).build();
    }

    private static String firstLine(String text) {
        int newline = text.indexOf('\n');
        String line = newline < 0 ? text : text.substring(0, newline);
        return line.length() <= 200 ? line : line.substring(0, 197) + "...";
    }
}
