package org.stagehand.backend.hsm;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.stagehand.backend.LocatesOnTape.TapePlace;

/**
 * A configured {@code locatePattern}: a line of the state command's output with the named groups
 * {@code path} and {@code volume}, and optionally {@code position} (decimal digits) for the order
 * on the volume. Lines that do not match, or match with an empty volume, place nothing.
 */
final class LinePatternPlaceParser implements TapePlaceParser {

    private final Pattern line;
    private final boolean hasPosition;

    LinePatternPlaceParser(Pattern line) {
        this.line = line;
        this.hasPosition = line.pattern().contains("(?<position>");
    }

    @Override
    public Map<String, TapePlace> places(String output) {
        Map<String, TapePlace> places = new LinkedHashMap<>();
        for (String text : output.split("\\R")) {
            Matcher matcher = line.matcher(text);
            if (!matcher.matches() || matcher.group("volume") == null || matcher.group("volume").isBlank()) {
                continue;
            }
            long position = 0;
            if (hasPosition && matcher.group("position") != null) {
                try {
                    position = Long.parseLong(matcher.group("position").strip());
                } catch (NumberFormatException e) {
                    continue; // not a position this parser can order by: the file is not placed
                }
            }
            places.put(matcher.group("path").strip(), TapePlace.onTape(matcher.group("volume").strip(), position, 0));
        }
        return places;
    }

    @Override
    public String toString() {
        return "locations matching " + line.pattern();
    }
}
