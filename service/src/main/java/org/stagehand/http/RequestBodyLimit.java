package org.stagehand.http;

import jakarta.ws.rs.ProcessingException;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import java.io.EOFException;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;

/**
 * Refuses request bodies over a size with 413, before they are parsed: by their Content-Length
 * when they declare one, otherwise while they are read. Refuses with 408 a body that arrives slower
 * than a minimum rate, averaged from the application's first read once a grace second has passed:
 * a client trickling its body would otherwise hold the thread that reads it. (Jetty's own check
 * counts from the body's first byte on the wire, so it also trips on a small body that arrived
 * whole but was read late on a busy server.)
 */
public final class RequestBodyLimit implements ContainerRequestFilter {

    private static final long GRACE_NANOS = 1_000_000_000L;

    private final long maxBytes;
    private final long minBytesPerSecond;

    /**
     * @param minBytesPerSecond the least a body must average once read for a second; 0: no check
     */
    public RequestBodyLimit(long maxBytes, long minBytesPerSecond) {
        this.maxBytes = maxBytes;
        this.minBytesPerSecond = minBytesPerSecond;
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
        private long startNanos = Long.MIN_VALUE;

        LimitedInputStream(InputStream in) {
            super(in);
        }

        @Override
        public int read() throws IOException {
            start();
            int b = super.read();
            if (b >= 0 && --remaining < 0) {
                throw tooLarge();
            }
            checkRate(b >= 0);
            return b;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
            start();
            int n = super.read(buffer, offset, length);
            if (n > 0) {
                remaining -= n;
                if (remaining < 0) {
                    throw tooLarge();
                }
            }
            checkRate(n >= 0);
            return n;
        }

        private void start() {
            if (startNanos == Long.MIN_VALUE) {
                startNanos = System.nanoTime();
            }
        }

        private void checkRate(boolean more) {
            if (minBytesPerSecond <= 0 || !more) {
                return;
            }
            long elapsed = System.nanoTime() - startNanos;
            long read = maxBytes - remaining;
            if (elapsed > GRACE_NANOS && read < minBytesPerSecond * (elapsed / 1_000_000) / 1000) {
                throw new ApiException(408, "the request body arrived too slowly (under http.minRequestDataRate"
                        + " of " + minBytesPerSecond + " bytes per second)");
            }
        }
    }
}
