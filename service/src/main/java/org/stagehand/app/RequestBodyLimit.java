package org.stagehand.app;

import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import java.io.FilterInputStream;
import jakarta.ws.rs.ProcessingException;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;

/**
 * Refuses request bodies over a size with 413, before they are parsed: by their Content-Length
 * when they declare one, otherwise while they are read.
 */
public final class RequestBodyLimit implements ContainerRequestFilter {

    private final long maxBytes;

    public RequestBodyLimit(long maxBytes) {
        this.maxBytes = maxBytes;
    }

    @Override
    public void filter(ContainerRequestContext request) {
        if (request.getLength() > maxBytes) {
            throw tooLarge();
        }
        if (hasEntity(request)) {
            request.setEntityStream(new LimitedInputStream(request.getEntityStream()));
        }
    }

    /** Jersey peeks at the body to see whether there is one; a garbled chunk already breaks off there. */
    private static boolean hasEntity(ContainerRequestContext request) {
        try {
            return request.hasEntity();
        } catch (ProcessingException e) {
            if (e.getCause() instanceof EOFException) {
                throw ApiException.badRequest(MalformedBodyExceptionMapper.MESSAGE);
            }
            throw e;
        }
    }

    private ApiException tooLarge() {
        return ApiException.tooLarge("the request body is larger than " + maxBytes + " bytes");
    }

    private final class LimitedInputStream extends FilterInputStream {
        private long remaining = maxBytes;

        LimitedInputStream(InputStream in) {
            super(in);
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            if (b >= 0 && --remaining < 0) {
                throw tooLarge();
            }
            return b;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
            int n = super.read(buffer, offset, length);
            if (n > 0) {
                remaining -= n;
                if (remaining < 0) {
                    throw tooLarge();
                }
            }
            return n;
        }
    }
}
