package org.stagehand.http;

import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerResponseContext;
import jakarta.ws.rs.container.ContainerResponseFilter;

/**
 * Answers a refused request that carried a body with {@code Connection: close}. A refusal (415,
 * 413, 401, a parse error) may leave part of the body unread; Jetty then drops the connection after
 * the answer, and without this header a client that reuses it for its next request gets no reply.
 */
public final class ConnectionCloseOnRefusal implements ContainerResponseFilter {

    @Override
    public void filter(ContainerRequestContext request, ContainerResponseContext response) {
        boolean hasBody = request.getLength() > 0 || request.getHeaderString("Transfer-Encoding") != null;
        if (hasBody && response.getStatus() >= 400) {
            response.getHeaders().putSingle("Connection", "close");
        }
    }
}
