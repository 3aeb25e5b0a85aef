package org.stagehand.admin;

import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.stagehand.staging.RequestIds;

/** Reads admin task parameters, refusing missing or malformed ones with a message that says which. */
final class TaskParameters {

    private TaskParameters() {
    }

    static String required(Map<String, List<String>> parameters, String name) {
        List<String> values = parameters.get(name);
        if (values == null || values.isEmpty() || values.get(0).isBlank()) {
            throw new IllegalArgumentException("the parameter '" + name + "' is required");
        }
        if (values.size() > 1) {
            throw new IllegalArgumentException("give the parameter '" + name + "' once");
        }
        return values.get(0).trim();
    }

    static UUID requestId(Map<String, List<String>> parameters) {
        return RequestIds.parse(required(parameters, "id"));
    }
}
