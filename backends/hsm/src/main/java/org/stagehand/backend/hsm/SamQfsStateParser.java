package org.stagehand.backend.hsm;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Reads {@code sls -D}: each file is a block that starts with an unindented {@code <path>:} line
 * and continues with indented {@code key: value} lines and one line of flags without a colon
 * ({@code offline;  archdone;}). The state text of a file is its flag line, empty when it has none.
 */
final class SamQfsStateParser implements StateOutputParser {

    @Override
    public Map<String, String> parse(String output) {
        Map<String, String> states = new LinkedHashMap<>();
        String current = null;
        for (String line : output.split("\\R")) {
            if (line.isBlank()) {
                continue;
            }
            if (!Character.isWhitespace(line.charAt(0)) && line.endsWith(":")) {
                current = line.substring(0, line.length() - 1);
                states.put(current, "");
            } else if (current != null && !line.contains(":")) {
                String flags = states.get(current);
                states.put(current, (flags.isEmpty() ? "" : flags + " ") + line.strip());
            }
        }
        return states;
    }

    @Override
    public String toString() {
        return "sls -D blocks";
    }
}
