package org.stagehand.backend.hpss;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Reads the output of {@code hsi -q "ls -P <paths>"}.
 *
 * <p>A {@code FILE} line reads {@code FILE <path> <size> <size> <position>+<offset> <label> ...};
 * the tape volume is the first six characters of the label. Paths may hold spaces, so a line is
 * matched against the requested paths rather than split blindly. A label that is missing, is
 * {@code -}, or matches the configured disk pattern marks a file on HPSS's disk cache.
 */
final class ListingParser {

    private static final Pattern WHITESPACE = Pattern.compile("\\s+");
    private static final Pattern POSITION = Pattern.compile("(\\d+)\\+(\\d+)");
    private static final int VOLUME_LENGTH = 6;

    private final Optional<Pattern> diskVolumePattern;

    ListingParser(Optional<Pattern> diskVolumePattern) {
        this.diskVolumePattern = diskVolumePattern;
    }

    /** What the listing said about one requested path. */
    sealed interface Entry {
    }

    /** The path is a file HPSS can deliver. */
    record Found(ArchiveFile file) implements Entry {
    }

    /**
     * HPSS said something about the path that is not a file location.
     *
     * @param message what to tell the service, the meaning first and hsi's words after
     * @param permanent whether asking again cannot help (missing, a directory, not readable)
     * @param noFileThere whether HPSS said that no regular file is at the path (missing, a
     *     directory, a link...), as opposed to not saying what is there (not readable, a failure)
     */
    record Problem(String message, boolean permanent, boolean noFileThere) implements Entry {
    }

    /** Words in the first column of {@code ls -P} lines: FILE, DIRECTORY, LINK... */
    private static final Pattern KIND = Pattern.compile("[A-Z]+");

    /**
     * Maps every requested path to what the output says about it; paths the output says nothing
     * about are absent.
     */
    Map<String, Entry> parse(List<String> lines, Collection<String> requestedPaths) {
        // longest first, so /a/b c is preferred over /a/b when both were requested
        List<String> candidates = new ArrayList<>(requestedPaths);
        candidates.sort(Comparator.comparingInt(String::length).reversed());
        Map<String, Entry> entries = new HashMap<>();
        HsiOutput output = new HsiOutput(line -> parseLine(line.trim(), candidates, entries),
                error -> {
                    for (String path : candidates) {
                        if (error.isAbout(path) && !(entries.get(path) instanceof Found)) {
                            entries.putIfAbsent(path, new Problem(HsiMessages.describe(error, path, "hsi ls -P"),
                                    error.kind().permanent(), error.kind() == HsiMessages.ErrorKind.MISSING
                                            || error.kind() == HsiMessages.ErrorKind.NOT_A_FILE));
                        }
                    }
                },
                line -> candidates.stream().anyMatch(path -> HsiMessages.mentions(line, path)));
        lines.forEach(output);
        output.end();
        return entries;
    }

    private void parseLine(String line, List<String> candidates, Map<String, Entry> entries) {
        String[] kindAndRest = line.split("\\s+", 2);
        if (kindAndRest.length < 2 || !KIND.matcher(kindAndRest[0]).matches()) {
            return; // not a listing line: hsi's chatter, or a path line without its error
        }
        String rest = kindAndRest[1];
        String path = pathAtStart(rest, candidates);
        if (path == null) {
            return;
        }
        switch (kindAndRest[0]) {
            case "FILE" -> entries.put(path, parseFile(path, rest.substring(path.length()).trim()));
            case "DIRECTORY" -> entries.put(path, new Problem(path + " is a directory in HPSS, not a file", true, true));
            default -> entries.putIfAbsent(path, new Problem(path + " is not a regular file in HPSS: " + line, true, true));
        }
    }

    private static String pathAtStart(String rest, List<String> candidates) {
        for (String path : candidates) {
            if (rest.startsWith(path) && (rest.length() == path.length() || Character.isWhitespace(rest.charAt(path.length())))) {
                return path;
            }
        }
        return null;
    }

    private Entry parseFile(String path, String columns) {
        String[] fields = columns.isEmpty() ? new String[0] : WHITESPACE.split(columns);
        long size;
        try {
            size = Long.parseLong(fields[0]);
        } catch (RuntimeException e) {
            return new Problem("cannot read the size in hsi's listing of " + path + ": " + columns, false, false);
        }
        long position = 0;
        long offset = 0;
        if (fields.length > 2) {
            var matcher = POSITION.matcher(fields[2]);
            if (matcher.matches()) {
                position = Long.parseLong(matcher.group(1));
                offset = Long.parseLong(matcher.group(2));
            }
        }
        String label = fields.length > 3 ? fields[3] : "-";
        boolean onDisk = label.equals("-") || label.length() < VOLUME_LENGTH
                || diskVolumePattern.map(pattern -> pattern.matcher(label).matches()).orElse(false);
        Optional<String> volume = onDisk ? Optional.empty() : Optional.of(label.substring(0, VOLUME_LENGTH));
        return new Found(new ArchiveFile(path, size, volume, position, offset));
    }
}
