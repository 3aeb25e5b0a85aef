package org.stagehand.backend.hsm;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One line per file: a regular expression with the named groups {@code path} and {@code state}.
 * Lines that do not match (headers, totals, blank lines) are skipped.
 */
final class LinePatternStateParser implements StateOutputParser {

    private final Pattern line;

    LinePatternStateParser(Pattern line) {
        this.line = line;
    }

    @Override
    public Map<String, String> parse(String output) {
        Map<String, String> states = new LinkedHashMap<>();
        for (String text : output.split("\\R")) {
            Matcher matcher = line.matcher(text);
            if (matcher.matches()) {
                states.put(matcher.group("path").strip(), matcher.group("state").strip());
            }
        }
        return states;
    }

    @Override
    public String toString() {
        return "lines matching " + line.pattern();
    }
}
