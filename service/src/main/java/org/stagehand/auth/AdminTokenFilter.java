package org.stagehand.auth;

import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.InputStream;
import java.util.Optional;
import org.stagehand.http.ApiError;

/**
 * Guards the admin tasks (and whatever else is mapped to it on the admin port): with admin tokens
 * configured, a request needs {@code Authorization: Bearer <admin token>} (never a query parameter),
 * else 401. Also refuses, with 400 instead of the task servlet's 500, a request whose parameters or
 * body cannot be read (a bad charset, a garbled chunk): tasks take their input from the query only.
 */
public final class AdminTokenFilter implements Filter {

    /** Tasks read no body; more than this is not an admin request. */
    private static final int MAX_BODY = 64 * 1024;

    private final Optional<BearerTokenAuthenticator> tokens;
    private final ObjectMapper mapper = new ObjectMapper();

    /** @param tokens the admin tokens, or empty: only the loopback bind guards the admin port */
    public AdminTokenFilter(Optional<BearerTokenAuthenticator> tokens) {
        this.tokens = tokens;
    }

    @Override
    public void doFilter(ServletRequest servletRequest, ServletResponse servletResponse, FilterChain chain)
            throws IOException, ServletException {
        HttpServletRequest request = (HttpServletRequest) servletRequest;
        HttpServletResponse response = (HttpServletResponse) servletResponse;
        if (tokens.isPresent() && !authenticated(request)) {
            response.setHeader("WWW-Authenticate", "Bearer realm=\"stagehand-admin\"");
            refuse(response, 401, "a valid admin token is required: Authorization: Bearer <token> (auth.adminTokenSha256)");
            return;
        }
        try {
            request.getParameterMap();
            drainBody(request);
        } catch (BodyTooLargeException e) {
            refuse(response, 413, "an admin task takes no request body");
            return;
        } catch (RuntimeException | IOException e) {
            // Jetty's BadMessageException (a bad charset, a garbled chunk) and the like.
            refuse(response, 400, "the request's parameters or body cannot be read; tasks take query parameters only");
            return;
        }
        chain.doFilter(request, response);
    }

    private boolean authenticated(HttpServletRequest request) {
        String header = request.getHeader("Authorization");
        if (header == null || !header.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return false;
        }
        String token = header.substring(7).trim();
        return !token.isEmpty() && tokens.get().authenticate(token).isPresent();
    }

    private static void drainBody(HttpServletRequest request) throws IOException {
        InputStream in = request.getInputStream();
        byte[] buffer = new byte[8192];
        long total = 0;
        int n;
        while ((n = in.read(buffer)) >= 0) {
            total += n;
            if (total > MAX_BODY) {
                throw new BodyTooLargeException();
            }
        }
    }

    private static final class BodyTooLargeException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        BodyTooLargeException() {
            super(null, null, false, false);
        }
    }

    private void refuse(HttpServletResponse response, int status, String message) throws IOException {
        response.setStatus(status);
        response.setContentType("application/json");
        response.setHeader("Connection", "close");
        response.getOutputStream().write(mapper.writeValueAsBytes(new ApiError(status, message)));
    }
}
