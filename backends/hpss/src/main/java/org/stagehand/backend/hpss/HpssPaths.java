package org.stagehand.backend.hpss;

import java.util.ArrayList;
import java.util.List;

/** Turns archive locations into HPSS paths, and refuses paths that hsi commands cannot carry. */
final class HpssPaths {

    /** hsi expands these even in names; HPSS names are printable ASCII anyway. */
    private static final String HSI_SPECIAL = "\"\\*?[]{}^";

    private HpssPaths() {
    }

    /**
     * Normalizes a configured archive root: absolute, no trailing slash, {@code ""} for {@code /}.
     *
     * @throws IllegalArgumentException naming {@code backend.archiveRoot}
     */
    static String normalizeRoot(String root) {
        if (root == null || !root.startsWith("/")) {
            throw new IllegalArgumentException("backend.archiveRoot: must be an absolute HPSS path, not '" + root + "'");
        }
        try {
            requireUsableByHsi(root, "archive root");
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("backend.archiveRoot: " + e.getMessage(), e);
        }
        return String.join("/", segments(root, true));
    }

    /**
     * The absolute HPSS path of an archive location relative to the root.
     *
     * @throws IllegalArgumentException when the location leaves the root or holds characters hsi cannot take
     */
    static String remotePath(String normalizedRoot, String location) {
        List<String> segments = segments(location, false);
        if (segments.isEmpty()) {
            throw new IllegalArgumentException("archive location '" + location + "' names no file");
        }
        String path = normalizedRoot + "/" + String.join("/", segments);
        requireUsableByHsi(path, "archive location");
        return path;
    }

    private static List<String> segments(String path, boolean keepLeadingEmpty) {
        List<String> segments = new ArrayList<>();
        if (keepLeadingEmpty) {
            segments.add("");
        }
        for (String segment : path.split("/")) {
            if (segment.isEmpty() || segment.equals(".")) {
                continue;
            }
            if (segment.equals("..")) {
                throw new IllegalArgumentException("archive location '" + path + "' leaves the archive root");
            }
            segments.add(segment);
        }
        return segments;
    }

    /** Refuses control characters, non-ASCII, quotes, backslashes and hsi's wildcard characters. */
    static void requireUsableByHsi(String path, String what) {
        for (int index = 0; index < path.length(); index++) {
            char c = path.charAt(index);
            if (c < 0x20 || c > 0x7e || HSI_SPECIAL.indexOf(c) >= 0) {
                throw new IllegalArgumentException(what + " '" + path.replaceAll("\\p{Cntrl}", "?")
                        + "' holds a character hsi cannot take (" + (c < 0x20 || c > 0x7e ? "U+" + String.format("%04X", (int) c) : "'" + c + "'")
                        + "); HPSS names are printable ASCII without quotes, backslashes or wildcards");
            }
        }
    }
}
