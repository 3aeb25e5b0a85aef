package org.stagehand.backend.jdp;

import java.util.Locale;

/**
 * The state of an upstream restore request.
 *
 * @param state what the backend makes of it
 * @param rawStatus the upstream's {@code status} text
 * @param message any explanation the upstream gave (empty when none)
 */
record RestoreStatus(State state, String rawStatus, String message) {

    /** The JDP's request states, and everything else. */
    enum State {
        NEW, PENDING, READY, EXPIRED, OTHER;

        static State of(String status) {
            return switch (status == null ? "" : status.strip().toLowerCase(Locale.ROOT)) {
                case "new" -> NEW;
                case "pending" -> PENDING;
                case "ready" -> READY;
                case "expired" -> EXPIRED;
                default -> OTHER;
            };
        }
    }

    /** The status as an operator would want to read it. */
    String describe() {
        return "'" + rawStatus + "'" + (message.isEmpty() ? "" : ": " + message);
    }
}
