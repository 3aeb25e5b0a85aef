package org.stagehand.backend.jdp;

import java.time.Duration;
import java.util.Optional;

/**
 * The upstream answered with an error, or could not be reached. The message is safe to show: it
 * never holds the credential.
 */
final class UpstreamException extends Exception {

    private static final long serialVersionUID = 1L;

    /** How the backend should react. */
    enum Kind {
        /** 404: the upstream does not know the file or request. */
        NOT_FOUND,
        /** 409 on a download: the file is still on tape (not restored yet, or purged again). */
        NOT_RESTORED,
        /** A redirect the backend may not follow (another host not in backend.redirectHosts, too many hops). */
        REDIRECT,
        /** 413: too many IDs in one request. */
        TOO_LARGE,
        /** 401, 403 on restore, 407: the credential is missing, wrong or not allowed. */
        AUTH,
        /** Other 4xx: the upstream refuses this request as it stands. */
        REFUSED,
        /** 408, 425, 429, 5xx, network errors: try again later. */
        TRANSIENT
    }

    private final Kind kind;
    private final int httpStatus;
    private final transient Optional<Duration> retryAfter;
    private final String body;

    UpstreamException(Kind kind, int httpStatus, String message, Optional<Duration> retryAfter) {
        this(kind, httpStatus, message, retryAfter, "");
    }

    UpstreamException(Kind kind, int httpStatus, String message, Optional<Duration> retryAfter, String body) {
        super(message);
        this.kind = kind;
        this.httpStatus = httpStatus;
        this.retryAfter = retryAfter;
        this.body = body;
    }

    Kind kind() {
        return kind;
    }

    /** The HTTP status, or 0 when there was no answer. */
    int httpStatus() {
        return httpStatus;
    }

    /** The start of the upstream's error body (credential redacted); "" when there was none. */
    String body() {
        return body;
    }

    /** The upstream's Retry-After, when it sent one. */
    Optional<Duration> retryAfter() {
        return retryAfter;
    }
}
