package org.stagehand.area;

import java.util.Objects;
import org.stagehand.db.StorableText;

/**
 * A file's path relative to the staging root (the DTS's Frictionless {@code path}): non-empty,
 * not absolute, with no {@code .}, {@code ..} or empty segments, so it can never point outside the
 * staging root.
 */
public record RelativePath(String value) {

    /** The longest path accepted, in characters; the catalog column holds this much. */
    public static final int MAX_LENGTH = 1024;

    public RelativePath {
        Objects.requireNonNull(value, "value");
        String problem = problemWith(value);
        if (problem != null) {
            throw new IllegalArgumentException(problem);
        }
    }

    /** Why {@code value} is not an acceptable relative path, or null when it is. */
    public static String problemWith(String value) {
        if (value == null || value.isEmpty()) {
            return "path is empty";
        }
        if (value.length() > MAX_LENGTH) {
            return "path is longer than " + MAX_LENGTH + " characters";
        }
        if (value.startsWith("/")) {
            return "path '" + value + "' is absolute; it must be relative to the staging root";
        }
        String unstorable = StorableText.problemWith(value);
        if (unstorable != null) {
            // A NUL or a lone surrogate: no file name, and a database would store something else.
            return "path " + unstorable;
        }
        // Segment by segment without splitting: a stage of 1,000 paths checks each of them.
        for (int start = 0; start <= value.length(); ) {
            int end = value.indexOf('/', start);
            if (end < 0) {
                end = value.length();
            }
            int length = end - start;
            if (length == 2 && value.charAt(start) == '.' && value.charAt(start + 1) == '.') {
                return "path '" + value + "' contains '..'";
            }
            if (length == 0 || length == 1 && value.charAt(start) == '.') {
                return "path '" + value + "' has an empty or '.' segment";
            }
            start = end + 1;
        }
        return null;
    }

    @Override
    public String toString() {
        return value;
    }
}
