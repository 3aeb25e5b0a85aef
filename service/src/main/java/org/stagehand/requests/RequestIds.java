package org.stagehand.requests;

import java.util.UUID;

/** Request IDs as clients and operators type them: UUIDs in canonical form only. */
public final class RequestIds {

    private RequestIds() {
    }

    /**
     * Parses a request ID.
     *
     * @throws IllegalArgumentException saying the text is not a request UUID
     */
    public static UUID parse(String text) {
        String trimmed = text.trim();
        try {
            UUID uuid = UUID.fromString(trimmed);
            // fromString accepts shortened groups such as 1-1-1-1-1; insist on the canonical form.
            if (uuid.toString().equalsIgnoreCase(trimmed)) {
                return uuid;
            }
        } catch (IllegalArgumentException e) {
            // answered below
        }
        String shown = trimmed.length() <= 64 ? trimmed : trimmed.substring(0, 61) + "...";
        throw new IllegalArgumentException("'" + shown + "' is not a request UUID");
    }
}
