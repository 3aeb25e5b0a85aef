package org.stagehand.console;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.UUID;
import org.stagehand.db.StorableText;

/** Reads the console's query parameters; anything else than what they name is a 400 with a plain message. */
final class ConsoleParameters {

    /** The longest search text: the longest path a catalog holds. */
    static final int MAX_QUERY = 4096;

    private ConsoleParameters() {
    }

    /** A 400 or 404 for the console's pages and endpoints; the message never repeats the input. */
    static final class Refusal extends RuntimeException {
        private static final long serialVersionUID = 1L;
        private final int status;

        Refusal(int status, String message) {
            super(message, null, false, false);
            this.status = status;
        }

        int status() {
            return status;
        }
    }

    /** The search text, trimmed; null when absent or blank. */
    static String query(String raw) {
        if (raw == null || raw.isBlank()) {
            return null;
        }
        String text = raw.strip();
        if (text.length() > MAX_QUERY) {
            throw new Refusal(400, "'q' is longer than " + MAX_QUERY + " characters");
        }
        String problem = StorableText.problemWith(text);
        if (problem != null) {
            throw new Refusal(400, "'q' " + problem);
        }
        return text;
    }

    /** A status to filter on; null when absent or empty. */
    static RequestSearch.Status status(String raw) {
        if (raw == null || raw.isEmpty()) {
            return null;
        }
        for (RequestSearch.Status status : RequestSearch.Status.values()) {
            if (status.apiName().equals(raw.toLowerCase(Locale.ROOT))) {
                return status;
            }
        }
        throw new Refusal(400, "'status' is one of staging, ready, failed, cancelled");
    }

    /** The cursor {@code <created_at>_<uuid>} of a page after the first; null when absent. */
    static RequestSearch.Cursor before(String raw) {
        if (raw == null || raw.isEmpty()) {
            return null;
        }
        int split = raw.lastIndexOf('_');
        try {
            if (split < 0 || raw.length() - split - 1 != 36) {
                throw new IllegalArgumentException();
            }
            return new RequestSearch.Cursor(Instant.parse(raw.substring(0, split)), UUID.fromString(raw.substring(split + 1)));
        } catch (IllegalArgumentException | DateTimeParseException e) {
            throw new Refusal(400, "'before' is not a cursor this console handed out");
        }
    }

    static String cursor(RequestSearch.Cursor cursor) {
        return cursor.createdAt() + "_" + cursor.requestId();
    }

    /** A request UUID from a path; 400 otherwise. */
    static UUID requestId(String raw) {
        UUID id = RequestSearch.uuidOrNull(raw);
        if (id == null) {
            throw new Refusal(400, "the path does not end in a request UUID");
        }
        return id;
    }
}
