package org.stagehand.backend.support;

import java.time.Duration;

/**
 * Exponential backoff between attempts: {@code initial}, twice that, four times, ... capped at
 * {@code max}. The service's between staging attempts, a backend's between tries within one.
 */
public record Backoff(Duration initial, Duration max) {

    /** The wait after the given failed attempt (1 for the first). */
    public Duration after(int attempt) {
        int doublings = Math.max(0, Math.min(attempt - 1, 30));
        Duration delay = initial.multipliedBy(1L << doublings);
        return delay.compareTo(max) > 0 ? max : delay;
    }
}
