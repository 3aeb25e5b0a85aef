package org.stagehand.backend;

import java.util.Objects;

/**
 * The result of {@link ArchiveBackend#checkHealth()}.
 *
 * @param healthy whether the backend can stage files now
 * @param message what was checked, or what is wrong and what to do about it
 */
public record BackendHealth(boolean healthy, String message) {

    public BackendHealth {
        Objects.requireNonNull(message, "message");
    }

    /** A healthy result. */
    public static BackendHealth healthy(String message) {
        return new BackendHealth(true, message);
    }

    /** An unhealthy result; say what an operator should look at. */
    public static BackendHealth unhealthy(String message) {
        return new BackendHealth(false, message);
    }
}
