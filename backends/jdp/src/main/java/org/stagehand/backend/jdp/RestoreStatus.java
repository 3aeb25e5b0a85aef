package org.stagehand.backend.jdp;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The state of an upstream restore request.
 *
 * @param state what the backend makes of it
 * @param rawStatus the upstream's {@code status} text
 * @param message any explanation the upstream gave (empty when none)
 * @param fileStates each file's {@code file_status}, when the upstream listed them (else empty)
 */
record RestoreStatus(State state, String rawStatus, String message, Map<String, String> fileStates) {

    RestoreStatus(State state, String rawStatus, String message) {
        this(state, rawStatus, message, Map.of());
    }

    /** The JDP's request states, the words that mean it gave up, and everything else. */
    enum State {
        NEW, PENDING, READY, EXPIRED, FAILED, OTHER;

        static State of(String status) {
            return switch (status == null ? "" : status.strip().toLowerCase(Locale.ROOT)) {
                case "new" -> NEW;
                case "pending" -> PENDING;
                case "ready" -> READY;
                case "expired" -> EXPIRED;
                case "failed", "error", "cancelled", "canceled" -> FAILED;
                default -> OTHER;
            };
        }
    }

    /** Whether the upstream lists {@code fileId} as on disk (the JDP's RESTORED, or READY). */
    boolean restored(String fileId) {
        String state = fileStates.get(fileId);
        return state != null && (state.equalsIgnoreCase("restored") || state.equalsIgnoreCase("ready"));
    }

    /** The status as an operator would want to read it. */
    String describe() {
        return "'" + rawStatus + "'" + (message.isEmpty() ? "" : ": " + message);
    }

    /** Each file's {@code file_status} when a status answer lists them ({@code files: [{_id, file_status}]}). */
    static Map<String, String> fileStatesOf(JsonNode json) {
        Map<String, String> states = new LinkedHashMap<>();
        for (JsonNode file : json.path("files")) {
            JsonNode id = file.has("_id") ? file.get("_id") : file.path("id");
            JsonNode state = file.has("file_status") ? file.get("file_status") : file.path("status");
            if (id.isValueNode() && state.isTextual()) {
                states.put(id.asText(), state.asText());
            }
        }
        return states;
    }
}
