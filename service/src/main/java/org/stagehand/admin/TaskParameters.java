package org.stagehand.admin;

import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.stagehand.requests.RequestIds;

/** Reads admin task parameters, refusing missing or malformed ones with a message that says which. */
final class TaskParameters {

    private TaskParameters() {
    }

    /**
     * Refuses parameters the task does not take (a typo such as {@code dryrun=true} would
     * otherwise run the task for real) and any parameter given more than once.
     */
    static void only(Map<String, List<String>> parameters, String... names) {
        List<String> known = List.of(names);
        for (Map.Entry<String, List<String>> parameter : parameters.entrySet()) {
            String shown = parameter.getKey().length() <= 64 ? parameter.getKey() : parameter.getKey().substring(0, 61) + "...";
            if (!known.contains(parameter.getKey())) {
                throw new IllegalArgumentException("unknown parameter '" + shown + "'; "
                        + (known.isEmpty() ? "this task takes none" : "this task takes " + String.join(", ", known)));
            }
            if (parameter.getValue().size() > 1) {
                throw new IllegalArgumentException("give the parameter '" + shown + "' once");
            }
        }
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
