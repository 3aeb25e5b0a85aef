package org.stagehand.testing.rows;

import java.time.Instant;

/** The fixed moments row fixtures and DAO tests use: whole seconds, which every database keeps exactly. */
public final class Times {

    /** The moment a test's rows are made, unless it says otherwise. */
    public static final Instant T0 = Instant.parse("2026-12-01T10:00:00Z");

    private Times() {
    }

    /** {@code seconds} after {@link #T0} (before it, when negative). */
    public static Instant t0Plus(long seconds) {
        return T0.plusSeconds(seconds);
    }
}
