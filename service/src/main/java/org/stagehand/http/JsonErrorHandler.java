package org.stagehand.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.ByteBuffer;
import java.util.regex.Pattern;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.Callback;

/**
 * Jetty's answer to what it refuses before any servlet runs (414, 431, a malformed request line or
 * header, a smuggling attempt, an ambiguous path) and to a servlet's {@code sendError} (a method not
 * allowed): the same JSON body as every other error, {@code {"code": .., "message": ..}}, instead of
 * Jetty's HTML page. Installed on the server and on the application's and admin's contexts.
 */
public final class JsonErrorHandler extends ErrorHandler {

    /** Jetty's reasons are short phrases; anything else (a class name, a path) is replaced by the status's words. */
    private static final Pattern PLAIN_REASON = Pattern.compile("[A-Za-z0-9 ,'()_-]{1,200}");

    private final ObjectMapper mapper = new ObjectMapper();

    public JsonErrorHandler() {
        setShowStacks(false);
        setShowCauses(false);
    }

    /** Every method gets a body: TRACE's 405 included, which Jetty answers empty by default. */
    @Override
    public boolean errorPageForMethod(String method) {
        return true;
    }

    @Override
    protected void generateResponse(Request request, Response response, int code, String message, Throwable cause,
                                    Callback callback) {
        if (HttpStatus.hasNoBody(code)) {
            callback.succeeded();
            return;
        }
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json");
        response.write(true, ByteBuffer.wrap(body(code, message)), callback);
    }

    byte[] body(int code, String reason) {
        try {
            return mapper.writeValueAsBytes(new ApiError(code, plainMessage(code, reason)));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("an error body is always serializable", e);
        }
    }

    static String plainMessage(int code, String reason) {
        String words = HttpStatus.getMessage(code);
        if (reason == null || reason.equalsIgnoreCase(words) || !PLAIN_REASON.matcher(reason).matches()
                || reason.contains("Exception")) {
            return words;
        }
        return words + ": " + reason;
    }
}
