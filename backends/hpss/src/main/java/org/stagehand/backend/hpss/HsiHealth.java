package org.stagehand.backend.hpss;

import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Whether the last {@code hsi} calls worked: after a few failures in a row the health check reports
 * HPSS unusable, naming the latest problem. Thread-safe.
 */
final class HsiHealth {

    /** Failures in a row after which the health check reports HPSS as unusable. */
    private static final int UNHEALTHY_AFTER_FAILURES = 3;

    private final AtomicInteger failuresInARow = new AtomicInteger();
    private volatile String lastProblem;

    /** Records a call's result: its problem, or null when it worked. */
    void record(String problem) {
        if (problem == null) {
            failuresInARow.set(0);
            lastProblem = null;
        } else {
            failuresInARow.incrementAndGet();
            lastProblem = problem;
        }
    }

    /** The last problem when the last few hsi calls all failed, else empty. */
    Optional<String> persistentProblem() {
        String problem = lastProblem;
        return failuresInARow.get() >= UNHEALTHY_AFTER_FAILURES && problem != null ? Optional.of(problem) : Optional.empty();
    }
}
